// On an empty database: the first admin and, unless GANTRY_DEMO=0, the demo workspace.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.ts';
import { createDemoRepository } from './demo-svn.ts';
import { generatePassword } from '../auth/passwords.ts';
import { createUser } from '../users/users.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Role } from '../tickets/ticket.machine.ts';

const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'dev', displayName: 'Dana Developer', role: 'developer' },
  { username: 'tester', displayName: 'Theo Tester', role: 'tester' },
  { username: 'lead', displayName: 'Lee Lead', role: 'lead' },
];

/** Creates what a fresh installation needs; returns lines to print once (passwords), or none. */
export async function firstStart(ctx: AppContext): Promise<string[]> {
  if ((await ctx.db.prisma.user.count()) > 0) return [];
  const { config } = ctx;
  const lines: string[] = [];
  const demoPassword = config.demo ? (config.demoPassword ?? generatePassword()) : undefined;
  // With the demo on and no admin password given, the admin shares the demo password: one to remember.
  const adminPassword = config.adminPassword ?? demoPassword ?? generatePassword();
  await createUser(ctx, null, { username: 'admin', displayName: 'Administrator', password: adminPassword, isAdmin: true });
  if (!config.adminPassword) lines.push(`admin password: ${adminPassword}`);
  if (!config.demo || !demoPassword) return lines;

  const users: { id: number; role: Role }[] = [];
  for (const u of DEMO_USERS) {
    const row = await createUser(ctx, null, { ...u, password: demoPassword });
    users.push({ id: row.id, role: u.role });
  }
  const demoDir = path.join(config.dataDir, 'demo');
  const svnRoot = await createDemoRepository(path.join(demoDir, 'svn'));
  const targetDir = (name: string) => path.join(demoDir, 'targets', name);
  for (const name of ['web1', 'web2']) fs.mkdirSync(targetDir(name), { recursive: true });
  await ctx.db.transaction(async (tx) => {
    const project = await tx.project.create({
      data: {
        slug: 'demo', name: 'Demo site', svnRoot, svnLocal: true, deployPath: '/srv/demo',
        targets: {
          create: ['web1', 'web2'].map((name) => ({ name, kind: 'local', localPath: targetDir(name) })),
        },
      },
    });
    for (const u of users) await tx.membership.create({ data: { userId: u.id, projectId: project.id, role: u.role } });
    await recordAudit(tx, { actor: null, action: 'project.create', projectId: project.id, details: { slug: 'demo', demo: true } });
  });
  if (!config.demoPassword) lines.push(`demo users dev, tester, lead: password ${demoPassword}`);
  return lines;
}
