// npm start: set up what is missing, then run Gantry on the embedded default (SQLite under data/).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './prisma.mjs';
import { setup } from './setup.mjs';

const dataDir = path.resolve(root, process.env.GANTRY_DATA_DIR ?? 'data');
const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join(dataDir, 'gantry.db')}`;
await setup(databaseUrl);
// svn, rsync, ssh and git are the engine's tools (Debian packages; installed when missing and root).
const { ensureSystemPackages } = await import('./system-deps.mjs');
await ensureSystemPackages(['subversion', 'rsync', 'openssh-client', 'git']);
// The web app is built when missing or older than its sources.
if (fs.existsSync(path.join(root, 'web', 'package.json'))) await (await import('./web.mjs')).ensureWebBuilt();

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, GANTRY_DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
