// Sign-in and the three ways a request proves who it is: session cookie, API token, HTTP Basic.
import type { AppContext } from '../context.ts';
import { invalidCredentials } from '../errors.ts';
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
