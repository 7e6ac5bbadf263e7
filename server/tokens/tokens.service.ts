// API tokens: created by a user, shown once, stored hashed, revocable.
import type { AuthUser } from '../auth/auth.types.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { notFound } from '../errors.ts';
import type { TokenView } from '../contract.ts';

interface TokenRow { id: number; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }

/** The caller's tokens, oldest first (revoked ones too, so the list shows when they were revoked). */
export async function listTokens(ctx: AppContext, user: AuthUser) {
  return ctx.db.prisma.apiToken.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } });
}

/** Creates a token for the caller; the secret is returned here and never again (only its hash is kept). */
export async function createToken(ctx: AppContext, user: AuthUser, input: { name: string }) {
  const secret = newSecret('gty_');
  const row = await ctx.db.transaction(async (tx) => {
    const token = await tx.apiToken.create({
      data: { userId: user.id, name: input.name, tokenHash: hashSecret(secret), prefix: secret.slice(0, 8) },
    });
    await recordAudit(tx, { actor: user, action: 'token.create', details: { token: token.name, id: token.id } });
    return token;
  });
  return { row, secret };
}

/** Revokes a token (its owner or an admin; anyone else gets 404). Revoking twice keeps the first time. */
export async function revokeToken(ctx: AppContext, actor: AuthUser, id: number): Promise<void> {
  const token = await ctx.db.prisma.apiToken.findUnique({ where: { id } });
  if (!token || (token.userId !== actor.id && !actor.isAdmin)) throw notFound('token');
  await ctx.db.transaction(async (tx) => {
    await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { actor, action: 'token.revoke', details: { token: token.name, id: token.id } });
  });
}

/** The public form of a token: never its hash, and never the secret. */
export function presentToken(t: TokenRow): TokenView {
  return {
    id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** A token just created: its public form plus the secret, shown this once. */
export function presentNewToken(t: TokenRow, secret: string): TokenView & { token: string } {
  return { ...presentToken(t), token: secret };
}
