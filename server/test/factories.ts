// Small builders for the rows a test needs; each takes overrides and never assumes an empty database.
import crypto from 'node:crypto';
import type { AppContext } from '../context.ts';
import { hashPassword } from '../auth/passwords.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import type { Role, TicketState } from '../tickets/ticket.machine.ts';

export const TEST_PASSWORD = 'correct-horse-battery';
let passwordHash: Promise<string> | undefined;
const unique = (prefix: string) => `${prefix}${crypto.randomBytes(4).toString('hex')}`;

export interface TestUser {
  id: number;
  username: string;
  isAdmin: boolean;
  /** A bearer token for this user. */
  token: string;
}

/** A user with TEST_PASSWORD and an API token. */
export async function buildUser(ctx: AppContext, overrides: { username?: string; isAdmin?: boolean; disabled?: boolean } = {}): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const user = await ctx.db.prisma.user.create({
    data: {
      username: overrides.username ?? unique('u'),
      displayName: 'Test user',
      passwordHash: await passwordHash,
      isAdmin: overrides.isAdmin ?? false,
      disabled: overrides.disabled ?? false,
    },
  });
  const token = newSecret('gty_');
  await ctx.db.prisma.apiToken.create({ data: { userId: user.id, name: 'test', tokenHash: hashSecret(token), prefix: token.slice(0, 8) } });
  return { id: user.id, username: user.username, isAdmin: user.isAdmin, token };
}

/** A project (no targets unless given). */
export async function buildProject(ctx: AppContext, overrides: { slug?: string; allowSelfApproval?: boolean } = {}) {
  return ctx.db.prisma.project.create({
    data: {
      slug: overrides.slug ?? unique('p'),
      name: 'Test project',
      svnRoot: 'svn://127.0.0.1/repo',
      deployPath: '/srv/test',
      allowSelfApproval: overrides.allowSelfApproval ?? false,
    },
  });
}

/** Gives a user roles on a project. */
export async function grant(ctx: AppContext, user: { id: number }, project: { id: number }, ...roles: Role[]) {
  for (const role of roles) await ctx.db.prisma.membership.create({ data: { userId: user.id, projectId: project.id, role } });
}

/** A ticket in any state, written directly (for tests that start mid-lifecycle). */
export async function buildTicket(
  ctx: AppContext,
  input: { project: { id: number }; author: { id: number }; state?: TicketState; kind?: 'release' | 'rollback'; svnRevision?: number | null; approvedRevision?: number | null; version?: number | null; reason?: string; svnPath?: string },
) {
  return ctx.db.prisma.ticket.create({
    data: {
      projectId: input.project.id,
      authorId: input.author.id,
      kind: input.kind ?? 'release',
      state: input.state ?? 'waiting_for_staging',
      svnPath: input.svnPath ?? 'trunk',
      reason: input.reason ?? 'Test release',
      svnRevision: input.svnRevision ?? null,
      approvedRevision: input.approvedRevision ?? null,
      version: input.version ?? null,
    },
  });
}
