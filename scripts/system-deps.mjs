#!/usr/bin/env node
// Installs the Debian packages Gantry's adapters and tests need (svn, rsync, ssh, sshd, git).
//
//   node scripts/system-deps.mjs            # the default set
//   node scripts/system-deps.mjs chromium   # only these packages
//
// Only what is missing is installed. Never runs a shell: every command is a program plus an
// argument array. Installing openssh-server must not start a system sshd: while apt-get runs, a
// temporary /usr/sbin/policy-rc.d (the Debian mechanism, exit 101 = "do not start services") is put
// in place when none exists. The test fixtures start their own sshd processes on their own
// loopback addresses and ports and never depend on a system sshd either way.

import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PACKAGES = Object.freeze(['subversion', 'rsync', 'openssh-client', 'openssh-server', 'git']);

/** Which programs prove that a package is installed (absolute paths are checked as such). */
export const PACKAGE_PROGRAMS = Object.freeze({
  subversion: ['svn', 'svnadmin', 'svnserve', 'svnmucc'],
  rsync: ['rsync'],
  'openssh-client': ['ssh', 'ssh-keygen'],
  'openssh-server': ['/usr/sbin/sshd'],
  git: ['git'],
  chromium: ['chromium'],
  'util-linux': ['unshare'],
});

/** Packages that bring files, not programs: the file that proves each is installed. */
export const PACKAGE_FILES = Object.freeze({
  // A Chinese font, so Chromium draws the Chinese interface in screenshots (not empty boxes).
  'fonts-wqy-microhei': '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
});

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds a program on PATH (plus the usual sbin folders); returns its path or null. */
export function findProgram(program) {
  if (program.includes('/')) return isExecutable(program) ? program : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const candidate = join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Returns the packages (from `packages`) that have at least one of their programs missing. */
export function missingPackages(packages = DEFAULT_PACKAGES) {
  const missing = [];
  for (const pkg of packages) {
    if (PACKAGE_FILES[pkg]) {
      if (!existsSync(PACKAGE_FILES[pkg])) missing.push(pkg);
      continue;
    }
    const programs = PACKAGE_PROGRAMS[pkg];
    if (!programs) {
      // Unknown to us: ask dpkg would need a process; treat as missing only if dpkg says so.
      missing.push(pkg);
      continue;
    }
    if (programs.some((p) => findProgram(p) === null)) missing.push(pkg);
  }
  return missing;
}

function run(program, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      shell: false,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...extraEnv },
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${program} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

async function dpkgInstalled(pkg) {
  return new Promise((resolve) => {
    const child = spawn('dpkg-query', ['-W', '-f=${Status}', '--', pkg], {
      shell: false,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0 && out.includes('install ok installed')));
  });
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * Installs whichever of `packages` are missing. Resolves with the list of packages it installed
 * (empty when nothing was missing). Throws when something is missing and we are not root.
 */
export async function ensureSystemPackages(packages = [...DEFAULT_PACKAGES]) {
  let missing = missingPackages(packages);
  // Packages we know no program for: ask dpkg.
  const unknown = missing.filter((p) => !PACKAGE_PROGRAMS[p]);
  for (const pkg of unknown) {
    if (await dpkgInstalled(pkg)) missing = missing.filter((p) => p !== pkg);
  }
  if (missing.length === 0) return [];

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `Missing system packages: ${missing.join(' ')}. Install them as root: ` +
        `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }

  console.log(`[system-deps] installing: ${missing.join(' ')}`);
  let placedPolicy = false;
  try {
    if (!existsSync(POLICY_RC_D)) {
      // Keep apt from starting services (a system sshd on port 22) while installing.
      writeFileSync(POLICY_RC_D, '#!/bin/sh\n# temporary, written by gantry scripts/system-deps.mjs\nexit 101\n', {
        mode: 0o755,
      });
      placedPolicy = true;
    }
    await run('apt-get', ['update']);
    await run('apt-get', ['install', '-y', '--no-install-recommends', '--', ...missing], {
      DEBIAN_FRONTEND: 'noninteractive',
    });
  } finally {
    if (placedPolicy) {
      try {
        unlinkSync(POLICY_RC_D);
      } catch {
        /* already gone */
      }
    }
  }

  const still = missingPackages(missing.filter((p) => PACKAGE_PROGRAMS[p]));
  if (still.length > 0) throw new Error(`Still missing after apt-get install: ${still.join(' ')}`);
  return missing;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  for (const a of args) {
    if (!/^[a-z0-9][a-z0-9+.-]*$/.test(a)) {
      console.error(`[system-deps] not a Debian package name: ${JSON.stringify(a)}`);
      process.exit(2);
    }
  }
  ensureSystemPackages(args.length > 0 ? args : [...DEFAULT_PACKAGES]).then(
    (installed) => {
      console.log(installed.length ? `[system-deps] installed: ${installed.join(' ')}` : '[system-deps] all present');
    },
    (err) => {
      console.error(`[system-deps] ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
