// API tokens: created by a user, shown once, stored hashed, revocable.
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { notFound } from '../errors.ts';
import { idParam } from '../validation/fields.ts';

interface TokenRow { id: number; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }

const presentToken = (t: TokenRow) => ({
  id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null,
});

export function tokenRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get', path: '/tokens', summary: "The caller's API tokens", tag: 'tokens', access: 'user',
    async handler({ auth }) {
      const rows = await ctx.db.prisma.apiToken.findMany({ where: { userId: auth.user.id }, orderBy: { id: 'asc' } });
      return { items: rows.map(presentToken), total: rows.length };
    },
  });

  api.route({
    method: 'post', path: '/tokens', summary: 'Create an API token (the secret is shown once)', tag: 'tokens',
    access: 'user', status: 201, body: z.object({ name: z.string().trim().min(1).max(100) }).strict(),
    async handler({ auth, body }) {
      const secret = newSecret('gty_');
      const row = await ctx.db.transaction(async (tx) => {
        const token = await tx.apiToken.create({
          data: { userId: auth.user.id, name: body.name, tokenHash: hashSecret(secret), prefix: secret.slice(0, 8) },
        });
        await recordAudit(tx, { actor: auth.user, action: 'token.create', details: { token: token.name, id: token.id } });
        return token;
      });
      return { ...presentToken(row), token: secret };
    },
  });

  api.route({
    method: 'delete', path: '/tokens/:id', summary: 'Revoke an API token (its owner or an admin)', tag: 'tokens',
    access: 'user', params: z.object({ id: idParam }).strict(),
    async handler({ auth, params }) {
      const token = await ctx.db.prisma.apiToken.findUnique({ where: { id: params.id } });
      if (!token || (token.userId !== auth.user.id && !auth.user.isAdmin)) throw notFound('token');
      await ctx.db.transaction(async (tx) => {
        await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: new Date() } });
        await recordAudit(tx, { actor: auth.user, action: 'token.revoke', details: { token: token.name, id: token.id } });
      });
      return undefined;
    },
  });
}
