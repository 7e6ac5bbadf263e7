// What Gantry is compared with, on the same sshd hosts and the same tree:
//   rsync floor: plain `rsync -a --delete` into a folder that already holds the previous tree (no
//                release folders, no checksums, no verify, no switch: the least any copy can do);
//   full copy:   `tar c | ssh host tar x` of the whole tree into a fresh folder (how tools that ship a
//                full package per release behave), tar and ssh piped together without a shell.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SshFleet, SshHost } from '../../server/test/fixtures/ssh-hosts.ts';
import { runChecked } from '../../server/process/run.ts';
import { parseRsyncStats } from '../../server/engine/rsync.ts';

const TIMEOUT_MS = 30 * 60_000;

/** Fills `<deploy>/<name>` on every host with a copy of tree, as the host sees it (not timed). */
export async function seed(fleet: SshFleet, tree: string, name: string): Promise<void> {
  await Promise.all(
    fleet.hosts.map((h) => runChecked({ program: 'cp', args: ['-a', '--', `${tree}/.`, path.join(h.localDeployDir, name)], timeoutMs: TIMEOUT_MS })),
  );
}

/** One timed run of `rsync -a --delete` from tree into `<deploy>/<name>/` on every host at once. */
export async function rsyncFloor(fleet: SshFleet, tree: string, name: string): Promise<{ seconds: number; filesTransferred: number[] }> {
  const started = process.hrtime.bigint();
  const results = await Promise.all(
    fleet.hosts.map((h) =>
      runChecked({
        program: 'rsync',
        args: ['-a', '--delete', '--stats', '-e', fleet.rsyncShell(h), '--', `${tree}/`, `${h.user}@${h.address}:${h.deployPath}/${name}/`],
        timeoutMs: TIMEOUT_MS,
      }),
    ),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, filesTransferred: results.map((r) => parseRsyncStats(r.stdout).filesTransferred) };
}

/** Makes `<deploy>/<name>/` an empty folder on every host (not timed: a release tool gets a fresh folder too). */
export function freshFolders(fleet: SshFleet, name: string): void {
  for (const h of fleet.hosts) {
    fs.rmSync(path.join(h.localDeployDir, name), { recursive: true, force: true });
    fs.mkdirSync(path.join(h.localDeployDir, name));
  }
}

/** One timed full copy: `tar -c` piped into `ssh host tar -x` into the empty `<deploy>/<name>/` (see freshFolders) on every host at once. */
export async function tarCopy(fleet: SshFleet, tree: string, name: string): Promise<{ seconds: number }> {
  const started = process.hrtime.bigint();
  await Promise.all(fleet.hosts.map((h) => tarToHost(fleet, h, tree, `${h.deployPath}/${name}`)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds };
}

/** tar's stdout is ssh's stdin (one OS pipe, nothing passes through Node); both must exit 0. */
function tarToHost(fleet: SshFleet, host: SshHost, tree: string, remoteDir: string): Promise<void> {
  if (!/^[A-Za-z0-9._/-]+$/.test(remoteDir)) throw new Error(`unexpected remote folder ${remoteDir}`);
  const tar = spawn('tar', ['-c', '-f', '-', '-C', tree, '.'], { shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
  // ssh hands the remote command to the host's shell as one string: the words are fixed, the folder checked above.
  const ssh = spawn('ssh', [...fleet.sshArgs(host), 'tar', '-x', '-f', '-', '-C', remoteDir], { shell: false, stdio: [tar.stdout!, 'ignore', 'pipe'] });
  // ssh holds its own copy of the pipe's read end; the parent's copy must go, or tar's 'close' never comes.
  tar.stdout!.destroy();
  return Promise.all([exit(tar, 'tar'), exit(ssh, `ssh ${host.name} tar -x`)]).then(() => undefined);
}

function exit(child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}
