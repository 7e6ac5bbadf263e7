// Sign in and out with a cookie session; GET /me tells who you are and your roles per project.
import { parse as parseCookies } from 'cookie';
import type { Response } from 'express';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { clientOf, SESSION_COOKIE } from './authenticate.ts';
import { signInBody, updateMeBody } from './auth.schema.ts';
import { loadMe, presentLocale, presentMe, presentSession, setLocale, signIn, signOut } from './auth.service.ts';

export function authRoutes(api: Api, ctx: AppContext) {
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, path: '/' } as const;

  api.route({
    method: 'post', path: '/session', summary: 'Sign in (sets the session cookie; returns the CSRF token)',
    tag: 'session', access: 'public', body: signInBody, status: 201,
    async handler({ body, req, res }) {
      const previousSecret = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
      const session = await signIn(ctx, { ...body, client: clientOf(req), previousSecret });
      (res as Response).cookie(SESSION_COOKIE, session.secret, { ...cookieOptions, expires: session.expiresAt });
      return presentSession(session);
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
      return presentMe(await loadMe(ctx, auth));
    },
  });

  api.route({
    method: 'patch', path: '/me', summary: "Change the caller's own settings (the interface language)", tag: 'session',
    access: 'user', body: updateMeBody,
    async handler({ auth, body }) {
      return { locale: presentLocale(await setLocale(ctx, auth.user, body.locale)) };
    },
  });
}
