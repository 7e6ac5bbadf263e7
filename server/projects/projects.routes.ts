// Projects, targets and memberships: admins change them, members read them.
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import {
  createProjectBody, memberParams, membershipBody, projectParams, targetBody, targetParams, updateProjectBody,
} from './projects.schema.ts';
import { presentPage } from '../http/page.ts';
import {
  createProject, createTarget, deleteTarget, listMembers, listProjects, loadProject, presentMember, presentProject,
  presentTarget, setRoles, updateProject,
} from './projects.service.ts';

export function projectRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get', path: '/projects', summary: 'Projects the caller can see', tag: 'projects', access: 'user',
    async handler({ auth }) {
      const items = (await listProjects(ctx, auth)).map(presentProject);
      return presentPage(items, items.length);
    },
  });

  api.route({
    method: 'post', path: '/projects', summary: 'Create a project (admin)', tag: 'projects', access: 'admin',
    body: createProjectBody, status: 201,
    async handler({ auth, body }) {
      return presentProject(await createProject(ctx, auth.user, body));
    },
  });

  api.route({
    method: 'get', path: '/projects/:project', summary: 'A project, by id or slug', tag: 'projects', access: 'user',
    params: projectParams,
    async handler({ auth, params }) {
      return presentProject(await loadProject(ctx, auth, params.project));
    },
  });

  api.route({
    method: 'patch', path: '/projects/:project', summary: 'Change a project (admin)', tag: 'projects', access: 'admin',
    params: projectParams, body: updateProjectBody,
    async handler({ auth, params, body }) {
      const project = await loadProject(ctx, auth, params.project);
      return presentProject(await updateProject(ctx, auth.user, project, body));
    },
  });

  api.route({
    method: 'post', path: '/projects/:project/targets', summary: 'Add a target (admin)', tag: 'projects',
    access: 'admin', params: projectParams, body: targetBody, status: 201,
    async handler({ auth, params, body }) {
      const project = await loadProject(ctx, auth, params.project);
      return presentTarget(await createTarget(ctx, auth.user, project, body));
    },
  });

  api.route({
    method: 'delete', path: '/projects/:project/targets/:target', summary: 'Remove a target (admin)',
    tag: 'projects', access: 'admin', params: targetParams,
    async handler({ auth, params }) {
      const project = await loadProject(ctx, auth, params.project);
      await deleteTarget(ctx, auth.user, project, params.target);
      return undefined;
    },
  });

  api.route({
    method: 'get', path: '/projects/:project/members', summary: 'Who holds which role', tag: 'projects',
    access: 'user', params: projectParams,
    async handler({ auth, params }) {
      const items = (await listMembers(ctx, await loadProject(ctx, auth, params.project))).map(presentMember);
      return presentPage(items, items.length);
    },
  });

  api.route({
    method: 'put', path: '/projects/:project/members/:user', summary: "Set a user's roles on a project (admin)",
    tag: 'projects', access: 'admin', params: memberParams, body: membershipBody,
    async handler({ auth, params, body }) {
      const project = await loadProject(ctx, auth, params.project);
      return { userId: params.user, roles: await setRoles(ctx, auth.user, project, params.user, body.roles) };
    },
  });
}

