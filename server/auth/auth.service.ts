// Sign-in and the three ways a request proves who it is: session cookie, API token, HTTP Basic.
import type { AppContext } from '../context.ts';
import type { Locale, MeView, SessionView } from '../contract.ts';
import { invalidCredentials } from '../errors.ts';
import { presentProjectRef } from '../projects/projects.service.ts';
import type { Role } from '../tickets/ticket.machine.ts';
import { LOCALES } from './auth.schema.ts';
import type { Auth, AuthUser } from './auth.types.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret } from './secrets.ts';

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  isAdmin: boolean;
  disabled: boolean;
  passwordHash: string;
}

const toAuthUser = (u: UserRow): AuthUser => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  isAdmin: u.isAdmin,
});

/** Checks a username and password under the rate limits; returns the user or throws 401/429. */
export async function checkPassword(ctx: AppContext, username: string, password: string, client: string) {
  ctx.limiter.begin(username, client);
  const user = await ctx.db.prisma.user.findUnique({ where: { username } });
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !ok || user.disabled) {
    ctx.limiter.fail(username);
    throw invalidCredentials();
  }
  ctx.limiter.succeed(username);
  return toAuthUser(user);
}

/** Signs in: a new session (the previous one, if any, is ended: sessions rotate at sign-in). */
export async function signIn(
  ctx: AppContext,
  input: { username: string; password: string; client: string; previousSecret?: string },
) {
  const user = await checkPassword(ctx, input.username, input.password, input.client);
  const secret = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(Date.now() + ctx.config.sessionHours * 3_600_000);
  await ctx.db.transaction(async (tx) => {
    if (input.previousSecret) await tx.session.deleteMany({ where: { id: hashSecret(input.previousSecret) } });
    await tx.session.create({ data: { id: hashSecret(secret), userId: user.id, csrfToken, expiresAt } });
  });
  return { user, secret, csrfToken, expiresAt };
}

/** The answer to signing in: who, the CSRF token for changes, and when the session ends (not the cookie secret). */
export function presentSession(session: { user: AuthUser; csrfToken: string; expiresAt: Date }): SessionView {
  return {
    user: { id: session.user.id, username: session.user.username, displayName: session.user.displayName, isAdmin: session.user.isAdmin },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** What GET /me shows beyond the Auth itself: the caller's memberships and stored language. */
export async function loadMe(ctx: AppContext, auth: Auth) {
  const memberships = await ctx.db.prisma.membership.findMany({
    where: { userId: auth.user.id },
    include: { project: { select: { id: true, slug: true, name: true } } },
    orderBy: [{ projectId: 'asc' }, { role: 'asc' }],
  });
  const { locale } = await ctx.db.prisma.user.findUniqueOrThrow({ where: { id: auth.user.id }, select: { locale: true } });
  return { auth, memberships, locale };
}

/** The caller as GET /me shows them: their roles grouped per project, and the CSRF token of a session. */
export function presentMe({ auth, memberships, locale }: Awaited<ReturnType<typeof loadMe>>): MeView {
  const projects = new Map<number, MeView['projects'][number]>();
  for (const m of memberships) {
    const entry = projects.get(m.projectId) ?? { project: presentProjectRef(m.project), roles: [] };
    entry.roles.push(m.role as Role);
    projects.set(m.projectId, entry);
  }
  const { id, username, displayName, isAdmin } = auth.user;
  return {
    user: { id, username, displayName, isAdmin, locale: presentLocale(locale) }, via: auth.via, projects: [...projects.values()],
    csrfToken: auth.session?.csrfToken ?? null,
  };
}

/** Stores the caller's interface language (null: follow the browser); returns the stored value. */
export async function setLocale(ctx: AppContext, user: AuthUser, locale: Locale | null) {
  const row = await ctx.db.prisma.user.update({ where: { id: user.id }, data: { locale }, select: { locale: true } });
  return row.locale;
}

/** A stored language as the API shows it (an unknown value reads as "follow the browser"). */
export function presentLocale(value: string | null): Locale | null {
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : null;
}

/** Ends a session. */
export async function signOut(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.prisma.session.deleteMany({ where: { id: sessionId } });
}

/** The Auth of a live session cookie, or null when it is unknown or expired. Sliding expiry. */
export async function authFromSession(ctx: AppContext, secret: string): Promise<Auth | null> {
  const id = hashSecret(secret);
  const session = await ctx.db.prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!session || session.expiresAt <= new Date() || session.user.disabled) return null;
  // Extend the session at most once a minute, not on every request.
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    const expiresAt = new Date(Date.now() + ctx.config.sessionHours * 3_600_000);
    await ctx.db.prisma.session.updateMany({ where: { id }, data: { lastSeenAt: new Date(), expiresAt } });
  }
  return { user: toAuthUser(session.user), via: 'session', session: { id, csrfToken: session.csrfToken } };
}

/** The Auth of an API token, or null when it is unknown or revoked. Records when it was last used. */
export async function authFromToken(ctx: AppContext, secret: string): Promise<Auth | null> {
  const token = await ctx.db.prisma.apiToken.findUnique({ where: { tokenHash: hashSecret(secret) }, include: { user: true } });
  if (!token || token.revokedAt || token.user.disabled) return null;
  await ctx.db.prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  return { user: toAuthUser(token.user), via: 'token' };
}
