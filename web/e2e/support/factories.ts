// Factories: each test builds the project and the tickets it needs through the API, so no test depends
// on another one's leftovers (a project of its own also gives it its own staging tree, deploy lock and
// version numbers).
import fs from 'node:fs';
import path from 'node:path';
import type { ProjectView, Role, TicketState, TicketView, UserView } from '@gantry/contract';
import type { ApiUser, ApiUsers } from './api-users.ts';
import { ENGINE_TIMEOUT, waitUntil } from './polling.ts';

export interface Factories {
  users: ApiUsers;
  dataDir: string;
}

export interface TestProject {
  slug: string;
  name: string;
  /** The local folder that plays one production host. */
  targetDir(name: string): string;
}

/** Who holds which roles on a new project (username → roles). */
export type Members = Record<string, Role[]>;
export const DEFAULT_MEMBERS: Members = { dev: ['developer'], tester: ['tester'], lead: ['lead'] };

let projects = 0;

/** A project on the demo SVN repository with two local hosts, web1 and web2, and the given members. */
export async function buildProject(fx: Factories, options: { members?: Members; name?: string } = {}): Promise<TestProject> {
  const admin = await fx.users.as('admin');
  const demo = await admin.expect<ProjectView>(200, 'GET', '/projects/demo');
  const n = ++projects;
  const slug = `site-${n}`;
  const name = options.name ?? `Test site ${n}`;
  const targetDir = (target: string) => path.join(fx.dataDir, 'sites', slug, target);
  await admin.expect(201, 'POST', '/projects', { slug, name, svnRoot: demo.svnRoot, svnLocal: true, deployPath: `/srv/${slug}` });
  for (const target of ['web1', 'web2']) {
    fs.mkdirSync(targetDir(target), { recursive: true });
    await admin.expect(201, 'POST', `/projects/${slug}/targets`, { kind: 'local', name: target, localPath: targetDir(target) });
  }
  const ids = await userIds(admin);
  for (const [username, roles] of Object.entries(options.members ?? DEFAULT_MEMBERS)) {
    const id = ids.get(username);
    if (id === undefined) throw new Error(`no user ${username}`);
    await admin.expect(200, 'PUT', `/projects/${slug}/members/${id}`, { roles });
  }
  return { slug, name, targetDir };
}

async function userIds(admin: ApiUser): Promise<Map<string, number>> {
  const page = await admin.expect<{ items: UserView[] }>(200, 'GET', '/users?limit=200');
  return new Map(page.items.map((u) => [u.username, u.id]));
}

/** Creates a user with the shared test password, unless it exists. */
export async function ensureUser(fx: Factories, username: string, displayName: string, password: string): Promise<void> {
  const admin = await fx.users.as('admin');
  if ((await userIds(admin)).has(username)) return;
  await admin.expect(201, 'POST', '/users', { username, displayName, password });
}

/** Polls the API until the ticket is in `state` (the engine moves tickets on its own); fails at once if it ends elsewhere. */
export async function waitForState(user: ApiUser, id: number, state: TicketState, timeout = ENGINE_TIMEOUT): Promise<TicketView> {
  const moving: TicketState[] = ['waiting_for_staging', 'releasing', 'rolling_back'];
  const seen = await waitUntil(async () => {
    const ticket = await user.expect<TicketView>(200, 'GET', `/tickets/${id}`);
    return ticket.state === state || !moving.includes(ticket.state) ? ticket : null;
  }, { timeout, message: `ticket ${id} to reach ${state}` });
  if (seen.state !== state) throw new Error(`ticket ${id} stopped in ${seen.state}, not ${state}${seen.lastError ? `: ${seen.lastError}` : ''}`);
  return seen;
}

/** The states a release ticket passes on its way to production, in order. */
const RELEASE_PATH = ['waiting_for_staging', 'staging_updated', 'tested', 'approved', 'done'] as const;
export type ReleaseStep = (typeof RELEASE_PATH)[number];

export interface TicketSpec {
  project: TestProject;
  author?: string;
  svnPath?: string;
  reason?: string;
  /** How far to drive it: each step is sent by the user who may send it. */
  until?: ReleaseStep;
  tester?: string;
  approver?: string;
}

/** Files a release ticket and drives it to `until`: staged by the engine, passed, approved, released. */
export async function fileTicket(fx: Factories, spec: TicketSpec): Promise<TicketView> {
  const author = await fx.users.as(spec.author ?? 'dev');
  const target = RELEASE_PATH.indexOf(spec.until ?? 'waiting_for_staging');
  let ticket = await author.expect<TicketView>(201, 'POST', '/tickets', {
    project: spec.project.slug, svnPath: spec.svnPath ?? 'trunk', reason: spec.reason ?? `Factory ticket for ${spec.project.slug}`,
  });
  const send = async (username: string, type: string) => {
    const user = await fx.users.as(username);
    ticket = await user.expect<TicketView>(200, 'POST', `/tickets/${ticket.id}/events`, { type, comment: `${type} by the test factory` });
  };
  if (target >= 1) ticket = await waitForState(author, ticket.id, 'staging_updated');
  if (target >= 2) await send(spec.tester ?? 'tester', 'PASS');
  if (target >= 3) await send(spec.approver ?? 'lead', 'APPROVE');
  if (target >= 4) {
    await send(author.username, 'RELEASE');
    ticket = await waitForState(author, ticket.id, 'done');
  }
  return ticket;
}

/** Where `current` points on one host of the project, and the files it shows. */
export function liveOn(project: TestProject, target: string): { current: string | null; files: string[] } {
  const link = path.join(project.targetDir(target), 'current');
  if (!fs.existsSync(link)) return { current: null, files: [] };
  return { current: fs.readlinkSync(link), files: fs.readdirSync(link).sort() };
}
