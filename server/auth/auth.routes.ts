// Sign in and out with a cookie session; GET /me tells who you are and your roles per project.
import { parse as parseCookies } from 'cookie';
import type { Response } from 'express';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { clientOf, SESSION_COOKIE } from './authenticate.ts';
import { LOCALES, signInBody, updateMeBody } from './auth.schema.ts';
import { signIn, signOut } from './auth.service.ts';



export function authRoutes(api: Api, ctx: AppContext) {
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, path: '/' } as const;

  api.route({
    method: 'post', path: '/session', summary: 'Sign in (sets the session cookie; returns the CSRF token)',
    tag: 'session', access: 'public', body: signInBody, status: 201,
    async handler({ body, req, res }) {
      const previousSecret = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
      const session = await signIn(ctx, { ...body, client: clientOf(req), previousSecret });
      (res as Response).cookie(SESSION_COOKIE, session.secret, { ...cookieOptions, expires: session.expiresAt });
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  });

  api.route({
    method: 'delete', path: '/session', summary: 'Sign out', tag: 'session', access: 'user',
    async handler({ auth, res }) {
      if (auth.session) await signOut(ctx, auth.session.id);
      res.clearCookie(SESSION_COOKIE, cookieOptions);
      return undefined;
    },
  });

  api.route({
    method: 'get', path: '/me', summary: 'The caller, their roles per project, and the CSRF token', tag: 'session',
    access: 'user',
    async handler({ auth }) {
      const memberships = await ctx.db.prisma.membership.findMany({
        where: { userId: auth.user.id },
        include: { project: { select: { id: true, slug: true, name: true } } },
        orderBy: [{ projectId: 'asc' }, { role: 'asc' }],
      });
      const projects = new Map<number, { project: { id: number; slug: string; name: string }; roles: string[] }>();
      for (const m of memberships) {
        const entry = projects.get(m.projectId) ?? { project: m.project, roles: [] };
        entry.roles.push(m.role);
        projects.set(m.projectId, entry);
      }
      const { locale } = await ctx.db.prisma.user.findUniqueOrThrow({ where: { id: auth.user.id }, select: { locale: true } });
      return {
        user: { ...auth.user, locale: presentLocale(locale) }, via: auth.via, projects: [...projects.values()],
        csrfToken: auth.session?.csrfToken ?? null,
      };
    },
  });

  api.route({
    method: 'patch', path: '/me', summary: "Change the caller's own settings (the interface language)", tag: 'session',
    access: 'user', body: updateMeBody,
    async handler({ auth, body }) {
      const row = await ctx.db.prisma.user.update({ where: { id: auth.user.id }, data: { locale: body.locale }, select: { locale: true } });
      return { locale: presentLocale(row.locale) };
    },
  });
}

/** A stored language as the API shows it (an unknown value reads as "follow the browser"). */
function presentLocale(value: string | null): (typeof LOCALES)[number] | null {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as (typeof LOCALES)[number]) : null;
}
