// Makes a checkout runnable: npm packages, generated Prisma clients, migrated database.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './prisma.mjs';

/**
 * Runs npm ci when node_modules is missing or older than package-lock.json. Never npm install: that
 * would rewrite the tracked lock file; a lock that npm ci refuses is an error to fix and commit.
 */
export function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  console.log('Installing npm packages…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(
      `npm ci failed (exit code ${result.status ?? result.signal}; its output is above). If it says the lock file is out of sync, ` +
        'package-lock.json no longer matches package.json: run `npm install --package-lock-only` and commit the lock file.',
    );
  }
}

/** Installs packages, generates clients and applies migrations to databaseUrl. */
export async function setup(databaseUrl) {
  ensureNodeModules();
  const db = await import('./db.mjs');
  db.generate();
  if (databaseUrl) {
    if (databaseUrl.startsWith('file:')) fs.mkdirSync(path.dirname(databaseUrl.slice(5)), { recursive: true });
    db.deploy(databaseUrl);
  }
}
