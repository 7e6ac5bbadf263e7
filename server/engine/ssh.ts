// ssh, as the release transport drives it: validated connection values, the ssh option list, the few
// remote commands, what an ssh failure means, a host reached over ssh (SshSite) and host-key fetching.
//
// A remote command necessarily travels to the remote shell as one string. It is built here and only
// here, from a tiny set of validated values (a deploy path of [A-Za-z0-9._/-], integer versions), and
// every value is single-quoted (quote() refuses anything outside that set, so no quote can be closed).

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProcessError, runChecked, runProcess, type OutputStream, type RunOptions, type RunResult } from '../process/run.ts';
import { rsyncArgs, versionDir, type RsyncArgsInput } from './rsync.ts';
import type { LogSink } from './log-sink.ts';
import type { Listing, Site } from './transport.ts';

const SAFE_VALUE = /^[A-Za-z0-9._/-]+$/;
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
/** Seconds an idle ControlMaster stays up: long enough to bridge the steps of one release. */
const CONTROL_PERSIST_S = 60;

/** An absolute, normalised path of [A-Za-z0-9._/-] (deploy path, key file, known_hosts, control folder). */
export function checkPath(value: string, what: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || !SAFE_VALUE.test(value) || value === '/' || value.endsWith('/')) {
    throw new TypeError(`${what} must be an absolute path of letters, digits, . _ - and /, not "/"`);
  }
  if (value.split('/').some((s, i) => (i > 0 && s === '') || s === '.' || s === '..' || s.startsWith('-'))) {
    throw new TypeError(`${what} must be normalised (no //, . or .. segments) and no segment may start with "-"`);
  }
  return value;
}

/** A host name or IPv4 address (never an option such as -oProxyCommand). */
export function checkHost(value: string): string {
  if (typeof value !== 'string' || !HOST.test(value) || value.includes('..')) {
    throw new TypeError('host must be a host name or IPv4 address (letters, digits, . and -, not starting with -)');
  }
  return value;
}

export function checkUser(value: string): string {
  if (typeof value !== 'string' || !USER.test(value)) throw new TypeError('user must be a Unix user name ([a-z_][a-z0-9_-]*)');
  return value;
}

export function checkPort(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new TypeError('port must be an integer 1..65535');
  return value;
}

/** Single-quotes a validated value for the remote shell; refuses anything that could end the quotes. */
export function quote(value: string): string {
  if (!SAFE_VALUE.test(value)) throw new TypeError('only [A-Za-z0-9._/-] values may go into a remote command');
  return `'${value}'`;
}

const marker = (v: number): string => quote(`.${versionDir(v)}.complete`);
const releases = (deployPath: string): string => quote(`${checkPath(deployPath, 'deploy path')}/releases`);

/** The remote commands of the release layout: <deploy>/releases/vN, releases/.vN.complete, current -> releases/vN. */
export const remote = {
  /** The deploy path must exist; its releases folder is created; rsync must be there to receive. */
  open: (deployPath: string): string =>
    `cd -- ${quote(checkPath(deployPath, 'deploy path'))} && mkdir -p -- releases && ` +
    `{ command -v rsync >/dev/null || { echo 'rsync is not installed on this host' >&2; exit 3; }; }`,
  /** Prints 'current <link text>' (when current is a symlink), then one releases entry a line (folders end in '/'). */
  state: (deployPath: string): string =>
    `cd -- ${quote(checkPath(deployPath, 'deploy path'))} && ` +
    `if [ -L current ]; then printf 'current %s\\n' "$(readlink current)"; ` +
    `elif [ -e current ]; then echo 'current is not a symlink' >&2; exit 3; fi && ` +
    `if [ -d releases ]; then cd releases && ls -1ap; fi`,
  /** Drops vN's completion marker; when recycling, drops the old folder's marker and renames it to vN. */
  prepare: (deployPath: string, version: number, recycleFrom: number | null): string =>
    `cd -- ${releases(deployPath)} && rm -f -- ${marker(version)}` +
    (recycleFrom === null
      ? ''
      : ` && rm -f -- ${marker(recycleFrom)} && mv -T -- ${quote(versionDir(recycleFrom))} ${quote(versionDir(version))}`),
  markComplete: (deployPath: string, version: number): string =>
    `cd -- ${releases(deployPath)} && test -d ${quote(versionDir(version))} && touch -- ${marker(version)}`,
  /** A new symlink under a temporary name, renamed over current (atomic); only to a complete release. */
  link: (deployPath: string, version: number): string => {
    const dir = quote(`releases/${versionDir(version)}`);
    return (
      `cd -- ${quote(checkPath(deployPath, 'deploy path'))} && ` +
      `if test -d ${dir} && test -f ${quote(`releases/.${versionDir(version)}.complete`)}; ` +
      `then ln -sfn -- ${dir} '.current.next' && mv -fT -- '.current.next' 'current'; ` +
      `else echo 'release folder or completion marker missing' >&2; exit 3; fi`
    );
  },
  /** Markers first, so a half-removed folder is never taken for a complete one. */
  remove: (deployPath: string, versions: readonly number[]): string => {
    if (versions.length === 0) throw new TypeError('remove needs at least one version');
    return `cd -- ${releases(deployPath)} && rm -f -- ${versions.map(marker).join(' ')} && rm -rf -- ${versions.map((v) => quote(versionDir(v))).join(' ')}`;
  },
};

/** Parses the output of remote.state into a listing. */
export function parseStateOutput(stdout: string): Listing {
  const lines = stdout.split('\n');
  // Only the first line may be current's link text; the rest are entries of releases/.
  const first = lines[0] ?? '';
  const current = first.startsWith('current ') ? first.slice('current '.length) : null;
  const entries = (current === null ? lines : lines.slice(1))
    .filter((line) => line.length > 0 && line !== './' && line !== '../')
    .map((line) => (line.endsWith('/') ? { name: line.slice(0, -1), dir: true } : { name: line, dir: false }));
  return { current, entries };
}

/** Everything needed to reach one host. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  /** Folder of ControlMaster sockets (null in sshOptions: no sharing; SshSite then makes a private one). */
  controlDir: string | null;
}

/** The ssh options (no destination): pinned host keys, batch mode, one shared connection per host. */
export function sshOptions(ep: SshEndpoint): string[] {
  const opts = [
    '-F', '/dev/null', // no user or system ssh_config can change what follows
    '-i', checkPath(ep.identityFile, 'identity file'),
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${checkPath(ep.knownHostsFile, 'known_hosts file')}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'UpdateHostKeys=no',
    '-o', 'ConnectTimeout=10',
    '-o', 'ServerAliveInterval=15',
    '-o', 'ServerAliveCountMax=4',
    '-o', 'ForwardAgent=no',
    '-o', 'ClearAllForwardings=yes',
    '-o', 'LogLevel=ERROR',
  ];
  if (ep.controlDir === null) opts.push('-o', 'ControlMaster=no', '-o', 'ControlPath=none');
  else {
    // %C: a 40-character hash of (local host, remote host, port, user); a unix socket path holds ~104 bytes.
    if (checkPath(ep.controlDir, 'control folder').length > 60) throw new TypeError('control folder path must be at most 60 characters');
    opts.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${ep.controlDir}/%C`);
    opts.push('-o', `ControlPersist=${CONTROL_PERSIST_S}`);
  }
  opts.push('-p', String(checkPort(ep.port)));
  return opts;
}

/** The value of rsync's -e (one argument; rsync splits it at spaces, so every word is a validated value). */
export function sshShell(ep: SshEndpoint): string {
  return ['ssh', ...sshOptions(ep)].join(' ');
}

export type SshProblem = 'host_key_changed' | 'host_key_unknown' | 'unreachable' | 'auth_failed';

/** An ssh failure whose cause is known (ssh's own stderr says which). */
export class SshFailure extends Error {
  constructor(readonly problem: SshProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SshFailure';
  }
}

const UNREACHABLE = /Connection refused|Connection timed out|No route to host|Network is unreachable|Could not resolve hostname|Connection closed by|Connection reset/;

/** Reads ssh's stderr (also inside rsync's) for a known cause; null when it names none. */
export function explainSshFailure(stderr: string, host: string, port: number): { problem: SshProblem; message: string } | null {
  const where = `${host}:${port}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    const presented = /sent by the remote host is\s+(SHA256:[A-Za-z0-9+/=]+)/.exec(stderr)?.[1];
    return {
      problem: 'host_key_changed',
      message:
        `the host key of ${where} does not match the pinned key (REMOTE HOST IDENTIFICATION HAS CHANGED)` +
        `${presented ? `; it now presents ${presented}` : ''}. Not connecting: if the host was reinstalled, fetch, check and pin its new key`,
    };
  }
  if (/No \S+ host key is known for|Host key verification failed/.test(stderr)) {
    return { problem: 'host_key_unknown', message: `no pinned host key matches ${where}; fetch, check and pin the host key first` };
  }
  const unreachable = stderr.split(/\r?\n/).find((l) => UNREACHABLE.test(l));
  if (unreachable) return { problem: 'unreachable', message: `cannot reach ${where}: ${unreachable.trim()}` };
  if (/Permission denied \(/.test(stderr)) return { problem: 'auth_failed', message: `${where} refused the ssh key (Permission denied)` };
  return null;
}

/** A host reached over ssh; every command shares the host's ControlMaster connection. */
export class SshSite implements Site {
  /** The control folder, once made ready by the first command. */
  private control: Promise<string> | null = null;

  constructor(
    private readonly ep: SshEndpoint,
    readonly root: string,
    private readonly out: (stream: OutputStream, line: string) => void,
    private readonly timeouts: { command: number; transfer: number },
  ) {
    checkHost(ep.host);
    checkUser(ep.user);
    sshOptions(ep); // validates the port and every path now, before any process starts
    checkPath(root, 'deploy path');
  }

  get description(): string {
    return `${this.ep.user}@${this.ep.host}:${this.ep.port}`;
  }

  async open(): Promise<void> {
    await this.exec(remote.open(this.root));
  }
  async listing(): Promise<Listing> {
    return parseStateOutput(await this.exec(remote.state(this.root)));
  }
  async prepare(version: number, recycleFrom: number | null): Promise<void> {
    await this.exec(remote.prepare(this.root, version, recycleFrom));
  }
  async markComplete(version: number): Promise<void> {
    await this.exec(remote.markComplete(this.root, version));
  }
  async link(version: number): Promise<void> {
    await this.exec(remote.link(this.root, version));
  }
  async remove(versions: number[]): Promise<void> {
    if (versions.length > 0) await this.exec(remote.remove(this.root, versions));
  }

  async rsync(input: Omit<RsyncArgsInput, 'dest' | 'shell'>, version: number): Promise<RunResult> {
    const ep = await this.endpoint();
    const dest = `${ep.user}@${ep.host}:${this.root}/releases/${versionDir(version)}/`;
    const args = rsyncArgs({ ...input, dest, shell: sshShell(ep) });
    return this.run({ program: 'rsync', args, timeoutMs: this.timeouts.transfer, onLine: this.out });
  }

  async close(): Promise<void> {
    if (this.control === null) return; // nothing ran, no master to end
    const ep = await this.endpoint();
    const dir = await this.control;
    // `-O stop`, not `-O exit`: the master stops taking new sessions and ends once the running ones
    // finish, so closing one transport never cuts off another that shares the control folder (a live
    // poll next to a release). "No such file" when no master runs is expected and not logged.
    await runProcess({ program: 'ssh', args: [...sshOptions(ep), '-O', 'stop', '--', `${ep.user}@${ep.host}`], timeoutMs: 10_000 });
    if (this.ep.controlDir === null) await rm(dir, { recursive: true, force: true });
    this.control = null;
  }

  /** The endpoint with its control folder ready: the configured one (created 0700), else a private one. */
  private async endpoint(): Promise<SshEndpoint> {
    const configured = this.ep.controlDir;
    this.control ??=
      configured === null
        ? mkdtemp(path.join(os.tmpdir(), 'gantry-ssh-ctl-'))
        : mkdir(configured, { recursive: true, mode: 0o700 }).then(() => configured);
    return { ...this.ep, controlDir: checkPath(await this.control, 'control folder') };
  }

  private async exec(command: string): Promise<string> {
    const ep = await this.endpoint();
    const args = [...sshOptions(ep), '--', `${ep.user}@${ep.host}`, command];
    return (await this.run({ program: 'ssh', args, timeoutMs: this.timeouts.command, onLine: this.out })).stdout;
  }

  private async run(opts: RunOptions): Promise<RunResult> {
    try {
      return await runChecked(opts);
    } catch (err) {
      const known = err instanceof ProcessError ? explainSshFailure(err.result.stderr, this.ep.host, this.ep.port) : null;
      if (known) throw new SshFailure(known.problem, known.message, { cause: err });
      throw err;
    }
  }
}

const KEY_PREFERENCE = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** ssh-keyscan a host (ed25519 preferred) and return the known_hosts line and its SHA256 fingerprint (ssh-keygen -lf). */
export async function fetchHostKey(
  host: string,
  port: number,
  opts: { log?: LogSink; timeoutMs?: number },
): Promise<{ knownHostsLine: string; fingerprint: string }> {
  checkHost(host);
  checkPort(port);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const onLine = (stream: OutputStream, line: string): void => opts.log?.({ step: 'host-key', host, stream, line });
  const perHostS = Math.max(1, Math.min(10, Math.floor(timeoutMs / 2000)));
  const scan = await runProcess({
    program: 'ssh-keyscan',
    args: ['-T', String(perHostS), '-t', 'ed25519,ecdsa,rsa', '-p', String(port), '--', host],
    timeoutMs,
    onLine,
  });
  const keys = scan.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && !f[0]!.startsWith('#'))
    .map((f) => ({ line: f.slice(0, 3).join(' '), type: f[1]! }));
  const best = KEY_PREFERENCE.map((t) => keys.find((k) => k.type === t)).find((k) => k !== undefined) ?? keys[0];
  if (!best) {
    throw new SshFailure('unreachable', `ssh-keyscan got no host key from ${host}:${port}: ${scan.stderr.trim().split('\n').pop() ?? ''}`);
  }
  const fp = await runChecked({ program: 'ssh-keygen', args: ['-l', '-E', 'sha256', '-f', '-'], stdin: `${best.line}\n`, timeoutMs, onLine });
  const fingerprint = fp.stdout.trim().split(/\s+/)[1] ?? '';
  if (!/^SHA256:[A-Za-z0-9+/]+$/.test(fingerprint)) throw new Error(`ssh-keygen printed no SHA256 fingerprint for ${host}:${port}`);
  return { knownHostsLine: best.line, fingerprint };
}
