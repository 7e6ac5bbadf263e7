// Projects, their targets and who holds which role on them.
import type { Auth, AuthUser } from '../auth/auth.types.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import type { Role } from '../tickets/ticket.machine.ts';
import { ROLES } from '../tickets/ticket.machine.ts';
import { svnRootProblem } from '../validation/fields.ts';
import type { z } from 'zod';
import type { MemberView, ProjectRef, ProjectView, TargetView } from '../contract.ts';
import { presentUserRef } from '../users/users.service.ts';
import type { createProjectBody, targetBody, updateProjectBody } from './projects.schema.ts';

/** The roles a user holds on a project. */
export async function rolesOn(ctx: AppContext, userId: number, projectId: number): Promise<Role[]> {
  const rows = await ctx.db.prisma.membership.findMany({ where: { userId, projectId }, select: { role: true } });
  return rows.map((r) => r.role as Role).filter((r) => ROLES.includes(r));
}

/** A project the caller may see (admin: any; others: where they hold a role), or 404. */
export async function loadProject(ctx: AppContext, auth: Auth, ref: number | string) {
  const where = typeof ref === 'number' ? { id: ref } : { slug: ref };
  const project = await ctx.db.prisma.project.findUnique({ where, include: { targets: { orderBy: { id: 'asc' } } } });
  if (!project) throw notFound('project');
  if (!auth.user.isAdmin) {
    const member = await ctx.db.prisma.membership.findFirst({ where: { projectId: project.id, userId: auth.user.id } });
    if (!member) throw notFound('project');
  }
  return project;
}

export type ProjectRow = Awaited<ReturnType<typeof loadProject>>;

/** Projects the caller may see. */
export async function listProjects(ctx: AppContext, auth: Auth) {
  return ctx.db.prisma.project.findMany({
    where: auth.user.isAdmin ? {} : { memberships: { some: { userId: auth.user.id } } },
    include: { targets: { orderBy: { id: 'asc' } } },
    orderBy: { slug: 'asc' },
  });
}

/** Creates a project (admin). */
export async function createProject(ctx: AppContext, actor: AuthUser, input: z.output<typeof createProjectBody>) {
  const exists = await ctx.db.prisma.project.findUnique({ where: { slug: input.slug } });
  if (exists) throw conflict(`A project with slug "${input.slug}" already exists.`);
  return ctx.db.transaction(async (tx) => {
    const project = await tx.project.create({
      data: { ...input, excludes: JSON.stringify(input.excludes) },
      include: { targets: true },
    });
    await recordAudit(tx, { actor, action: 'project.create', projectId: project.id, details: { slug: project.slug } });
    return project;
  });
}

/** Changes a project's settings (admin). */
export async function updateProject(
  ctx: AppContext,
  actor: AuthUser,
  project: ProjectRow,
  input: z.output<typeof updateProjectBody>,
) {
  const svnRoot = input.svnRoot ?? project.svnRoot;
  const problem = svnRootProblem(svnRoot, input.svnLocal ?? project.svnLocal);
  if (problem) throw validationFailed([{ path: 'body.svnRoot', message: `SVN root ${problem}`, code: 'custom' }]);
  const { excludes, ...rest } = input;
  return ctx.db.transaction(async (tx) => {
    const updated = await tx.project.update({
      where: { id: project.id },
      data: { ...rest, ...(excludes ? { excludes: JSON.stringify(excludes) } : {}) },
      include: { targets: { orderBy: { id: 'asc' } } },
    });
    const changed = Object.keys(input).map((k) => (k === 'svnPassword' ? 'svnPassword (secret)' : k));
    await recordAudit(tx, { actor, action: 'project.update', projectId: project.id, details: { changed } });
    return updated;
  });
}

/** Adds a target to a project (admin). */
export async function createTarget(ctx: AppContext, actor: AuthUser, project: ProjectRow, input: z.output<typeof targetBody>) {
  if (project.targets.some((t) => t.name === input.name)) {
    throw conflict(`The project already has a target named "${input.name}".`);
  }
  return ctx.db.transaction(async (tx) => {
    const target = await tx.target.create({ data: { projectId: project.id, ...input } });
    await recordAudit(tx, { actor, action: 'target.create', projectId: project.id, details: { target: target.name } });
    return target;
  });
}

/** Removes a target from a project (admin). */
export async function deleteTarget(ctx: AppContext, actor: AuthUser, project: ProjectRow, targetId: number) {
  const target = project.targets.find((t) => t.id === targetId);
  if (!target) throw notFound('target');
  await ctx.db.transaction(async (tx) => {
    await tx.target.delete({ where: { id: target.id } });
    await recordAudit(tx, { actor, action: 'target.delete', projectId: project.id, details: { target: target.name } });
  });
}

/** Sets the roles a user holds on a project (admin); an empty list removes them from it. */
export async function setRoles(ctx: AppContext, actor: AuthUser, project: ProjectRow, userId: number, roles: Role[]) {
  const user = await ctx.db.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound('user');
  const unique = [...new Set(roles)];
  await ctx.db.transaction(async (tx) => {
    await tx.membership.deleteMany({ where: { projectId: project.id, userId } });
    for (const role of unique) await tx.membership.create({ data: { projectId: project.id, userId, role } });
    await recordAudit(tx, {
      actor,
      action: 'membership.set',
      projectId: project.id,
      details: { user: user.username, roles: unique },
    });
  });
  return unique;
}

/** Everyone holding a role on the project, with their roles, by user id. */
export async function listMembers(ctx: AppContext, project: ProjectRow) {
  const rows = await ctx.db.prisma.membership.findMany({
    where: { projectId: project.id },
    include: { user: true },
    orderBy: [{ userId: 'asc' }, { role: 'asc' }],
  });
  const byUser = new Map<number, { user: (typeof rows)[number]['user']; roles: Role[] }>();
  for (const row of rows) {
    const entry = byUser.get(row.userId) ?? { user: row.user, roles: [] };
    entry.roles.push(row.role as Role);
    byUser.set(row.userId, entry);
  }
  return [...byUser.values()];
}

/** The public form of a member: who (not their account) and the roles they hold. */
export function presentMember(member: { user: { id: number; username: string; displayName: string }; roles: Role[] }): MemberView {
  return { user: presentUserRef(member.user), roles: member.roles };
}

/** The public form of a project: never the SVN password. */
export function presentProject(project: ProjectRow): ProjectView {
  return {
    id: project.id,
    slug: project.slug,
    name: project.name,
    svnRoot: project.svnRoot,
    svnLocal: project.svnLocal,
    svnUsername: project.svnUsername,
    hasSvnPassword: project.svnPassword !== null,
    deployPath: project.deployPath,
    releaseRemote: project.releaseRemote,
    deployLock: presentDeployLock(project),
    excludes: JSON.parse(project.excludes) as string[],
    keepReleases: project.keepReleases,
    parallel: project.parallel,
    allowSelfApproval: project.allowSelfApproval,
    autoRelease: project.autoRelease,
    targets: project.targets.map(presentTarget),
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}

/** A project as other views name it (a ticket's project, a membership). */
export function presentProjectRef(p: { id: number; slug: string; name: string }): ProjectRef {
  return { id: p.id, slug: p.slug, name: p.name };
}

/** Which ticket holds the project's deploy lock and since when, or null when no deploy runs. */
export function presentDeployLock(p: { deployLockTicket: number | null; deployLockSince: Date | null }): ProjectView['deployLock'] {
  return p.deployLockTicket ? { ticketId: p.deployLockTicket, since: p.deployLockSince?.toISOString() ?? null } : null;
}

/** The public form of a target. */
export function presentTarget(t: ProjectRow['targets'][number]): TargetView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind as TargetView['kind'],
    host: t.host,
    port: t.port,
    user: t.user,
    localPath: t.localPath,
    hostKeyPinned: t.hostKey !== null,
  };
}
