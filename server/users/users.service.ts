// Users (admin-managed): create, change, disable.
import type { AuthUser } from '../auth/auth.types.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { conflict, notFound } from '../errors.ts';
import type { UserRef, UserView } from '../contract.ts';

interface UserRow { id: number; username: string; displayName: string; isAdmin: boolean; disabled: boolean; createdAt: Date }

/** The public form of a user: never the password hash. */
export function presentUser(u: UserRow): UserView {
  return {
    id: u.id, username: u.username, displayName: u.displayName, isAdmin: u.isAdmin, disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
  };
}

/** A user as other views name them (a ticket's author, a project member): who, not their account settings. */
export function presentUserRef(u: { id: number; username: string; displayName: string }): UserRef {
  return { id: u.id, username: u.username, displayName: u.displayName };
}

/** One page of users, by username. */
export async function listUsers(ctx: AppContext, paging: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    ctx.db.prisma.user.findMany({ orderBy: { username: 'asc' }, take: paging.limit, skip: paging.offset }),
    ctx.db.prisma.user.count(),
  ]);
  return { rows, total };
}

/** Creates a user. actor null: Gantry itself (first start). */
export async function createUser(
  ctx: AppContext,
  actor: AuthUser | null,
  input: { username: string; displayName?: string; password: string; isAdmin?: boolean },
) {
  if (await ctx.db.prisma.user.findUnique({ where: { username: input.username } })) {
    throw conflict(`The username "${input.username}" is taken.`);
  }
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        username: input.username, displayName: input.displayName ?? input.username, passwordHash,
        isAdmin: input.isAdmin ?? false,
      },
    });
    await recordAudit(tx, { actor, action: 'user.create', details: { user: user.username, isAdmin: user.isAdmin } });
    return user;
  });
}

/** Changes a user; disabling one ends their sessions and keeps their tokens from working. */
export async function updateUser(
  ctx: AppContext,
  actor: AuthUser,
  id: number,
  input: { displayName?: string; password?: string; isAdmin?: boolean; disabled?: boolean },
) {
  const user = await ctx.db.prisma.user.findUnique({ where: { id } });
  if (!user) throw notFound('user');
  if (id === actor.id && (input.disabled === true || input.isAdmin === false)) {
    throw conflict('You cannot disable yourself or remove your own admin role.');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return ctx.db.transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id },
      data: { displayName: input.displayName, isAdmin: input.isAdmin, disabled: input.disabled, passwordHash },
    });
    if (input.disabled || passwordHash) await tx.session.deleteMany({ where: { userId: id } });
    const changed = Object.keys(input).map((k) => (k === 'password' ? 'password (secret)' : k));
    await recordAudit(tx, { actor, action: 'user.update', details: { user: user.username, changed } });
    return updated;
  });
}
