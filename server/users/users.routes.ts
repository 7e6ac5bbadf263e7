// Users: admins list, create and change them.
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { idParam, paging } from '../validation/fields.ts';
import { createUserBody, updateUserBody } from './users.schema.ts';
import { presentPage } from '../http/page.ts';
import { createUser, listUsers, presentUser, updateUser } from './users.service.ts';

export function userRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get', path: '/users', summary: 'Users (admin)', tag: 'users', access: 'admin', query: z.object(paging),
    async handler({ query }) {
      const { rows, total } = await listUsers(ctx, query);
      return presentPage(rows.map(presentUser), total, query);
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
