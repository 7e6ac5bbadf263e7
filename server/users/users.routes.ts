// Users: admins list, create and change them.
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { displayNameField, idParam, paging, passwordField, usernameField } from '../validation/fields.ts';
import { createUser, presentUser, updateUser } from './users.service.ts';

const createUserBody = z
  .object({ username: usernameField, displayName: displayNameField.optional(), password: passwordField, isAdmin: z.boolean().default(false) })
  .strict();
const updateUserBody = z
  .object({ displayName: displayNameField.optional(), password: passwordField.optional(), isAdmin: z.boolean().optional(), disabled: z.boolean().optional() })
  .strict();

export function userRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get', path: '/users', summary: 'Users (admin)', tag: 'users', access: 'admin', query: z.object(paging),
    async handler({ query }) {
      const [rows, total] = await Promise.all([
        ctx.db.prisma.user.findMany({ orderBy: { username: 'asc' }, take: query.limit, skip: query.offset }),
        ctx.db.prisma.user.count(),
      ]);
      return { items: rows.map(presentUser), total, limit: query.limit, offset: query.offset };
    },
  });

  api.route({
    method: 'post', path: '/users', summary: 'Create a user (admin)', tag: 'users', access: 'admin',
    body: createUserBody, status: 201,
    async handler({ auth, body }) {
      return presentUser(await createUser(ctx, auth.user, body));
    },
  });

  api.route({
    method: 'patch', path: '/users/:id', summary: 'Change or disable a user (admin)', tag: 'users', access: 'admin',
    params: z.object({ id: idParam }).strict(), body: updateUserBody,
    async handler({ auth, params, body }) {
      return presentUser(await updateUser(ctx, auth.user, params.id, body));
    },
  });
}
