// Where the engine keeps its per-project working files on this server (a cache: the database and the
// release remote hold everything another server needs).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked } from '../process/run.ts';

export interface ProjectWorkspace {
  root: string;
  staging: string;
  svnConfig: string;
  releaseWork: string;
  defaultRemote: string;
  exports: string;
  knownHosts: string;
  /** Short path for ssh ControlMaster sockets (unix socket paths are limited to ~100 bytes). */
  control: string;
}

/** The folders of one project under the data folder, created on demand. */
export function workspaceFor(dataDir: string, slug: string): ProjectWorkspace {
  const root = path.join(dataDir, 'projects', slug);
  const hash = crypto.createHash('sha256').update(root).digest('hex').slice(0, 10);
  const ws = {
    root,
    staging: path.join(root, 'staging'),
    svnConfig: path.join(root, 'svn-config'),
    releaseWork: path.join(root, 'release-work'),
    defaultRemote: path.join(root, 'release.git'),
    exports: path.join(root, 'exports'),
    knownHosts: path.join(root, 'known_hosts'),
    control: path.join(os.tmpdir(), `gantry-ssh-${hash}`),
  };
  for (const dir of [root, ws.svnConfig, ws.exports]) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(ws.control, { recursive: true, mode: 0o700 });
  return ws;
}

/** Gantry's ssh key: generated (ed25519, no passphrase, mode 600) when the file does not exist. */
export async function ensureSshKey(file: string): Promise<string> {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    await runChecked({ program: 'ssh-keygen', args: ['-q', '-t', 'ed25519', '-N', '', '-C', 'gantry', '-f', file], timeoutMs: 30_000 });
  }
  return fs.readFileSync(`${file}.pub`, 'utf8').trim();
}

/** Runs fn over items with at most `limit` running at once; results keep the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
