// API tokens: created by a user, shown once, stored hashed, revocable.
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { presentPage } from '../http/page.ts';
import { idParam, nameField } from '../validation/fields.ts';
import { createToken, listTokens, presentNewToken, presentToken, revokeToken } from './tokens.service.ts';

export function tokenRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get', path: '/tokens', summary: "The caller's API tokens", tag: 'tokens', access: 'user',
    async handler({ auth }) {
      const rows = await listTokens(ctx, auth.user);
      return presentPage(rows.map(presentToken), rows.length);
    },
  });

  api.route({
    method: 'post', path: '/tokens', summary: 'Create an API token (the secret is shown once)', tag: 'tokens',
    access: 'user', status: 201, body: z.object({ name: nameField(100) }).strict(),
    async handler({ auth, body }) {
      const { row, secret } = await createToken(ctx, auth.user, body);
      return presentNewToken(row, secret);
    },
  });

  api.route({
    method: 'delete', path: '/tokens/:id', summary: 'Revoke an API token (its owner or an admin)', tag: 'tokens',
    access: 'user', params: z.object({ id: idParam }).strict(),
    async handler({ auth, params }) {
      await revokeToken(ctx, auth.user, params.id);
      return undefined;
    },
  });
}
