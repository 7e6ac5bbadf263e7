// Getting a release onto a target and switching it live (DESIGN.md, "The engine", steps 2 and 3).
//
// Layout on every target (an ssh host, or a local folder standing in for the deploy path):
//   <deploy>/releases/vN/            one folder per release, unchanged files hard-linked to the previous one
//   <deploy>/releases/.vN.complete   written only after vN was verified against the source
//   <deploy>/current -> releases/vN  switched by renaming a new symlink over it (atomic)
// The rules (what may be recycled, switched to or pruned) live here, once; a Site does the few
// operations that differ between a host reached over ssh (ssh.ts) and a local folder (below).

import { lstat, mkdir, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runChecked, type OutputStream, type RunResult } from '../process/run.ts';
import type { LogSink } from './log-sink.ts';
import { checkExclude, parseItemizedChanges, parseRsyncStats, rsyncArgs, versionDir, type RsyncArgsInput } from './rsync.ts';
import { SshFailure, SshSite, checkPath, type SshProblem } from './ssh.ts';

export { parseRsyncStats } from './rsync.ts';
export { fetchHostKey } from './ssh.ts';

export interface TargetSpec { name: string; kind: 'ssh' | 'local'; host?: string | null; port?: number | null; user?: string | null; localPath?: string | null }

export interface TransportOptions {
  /** The project's deploy path as the host sees it (absolute, only [A-Za-z0-9._/-]). */
  deployPath: string;
  /** ssh private key file (required for ssh targets; never on a command line as content). */
  identityFile?: string;
  /** Pinned host keys kept by Gantry per project (required for ssh targets). */
  knownHostsFile?: string;
  /** Folder for ControlMaster sockets; without it each transport makes (and close() removes) its own. */
  controlDir?: string;
  log: LogSink;
  step?: string;
  /** Limit for one rsync run (default 30 min); other commands get at most 60 s. */
  timeoutMs?: number;
}

export interface Release { version: number; complete: boolean }

export interface Transport {
  readonly target: TargetSpec;
  /** Starts the connection (ssh: the ControlMaster) and checks the deploy path exists (creates releases/). */
  open(): Promise<void>;
  /** Ends the shared connection. */
  close(): Promise<void>;
  /** The version <deploy>/current points at, null if none. */
  live(): Promise<number | null>;
  /** Release folders present; complete = verified marker present. */
  releases(): Promise<Release[]>;
  /** rsync sourceDir into releases/vN (hard links against linkFrom, optionally recycling an old folder). */
  sync(sourceDir: string, version: number, opts?: { linkFrom?: number | null; recycleFrom?: number | null; excludes?: string[] }): Promise<{ filesTransferred: number; bytesSent: number }>;
  /** Checks releases/vN matches sourceDir by content, then marks it complete; throws when it does not match. */
  verify(sourceDir: string, version: number, opts?: { excludes?: string[] }): Promise<void>;
  /** Points current at releases/vN atomically; refuses an incomplete release. */
  switchTo(version: number): Promise<void>;
  /** Removes release folders beyond the `keep` newest, never the live one, the one before it, nor `protect`. */
  prune(keep: number, protect: number[]): Promise<number[]>;
}

export type TransportErrorCode = SshProblem | 'incomplete' | 'mismatch' | 'refused' | 'failed';

/** A failure on one target; the message names the target. */
export class TransportError extends Error {
  constructor(readonly code: TransportErrorCode, readonly target: string, message: string, options?: { cause?: unknown }) {
    super(`target ${target}: ${message}`, options);
    this.name = 'TransportError';
  }
}

/** What a Site lists: current's link text and the entries of releases/. */
export interface Listing { current: string | null; entries: { name: string; dir: boolean }[] }

/** The operations that differ between an ssh host and a local folder. */
export interface Site {
  /** The deploy path as the site sees it. */
  readonly root: string;
  readonly description: string;
  open(): Promise<void>;
  close(): Promise<void>;
  listing(): Promise<Listing>;
  prepare(version: number, recycleFrom: number | null): Promise<void>;
  markComplete(version: number): Promise<void>;
  link(version: number): Promise<void>;
  remove(versions: number[]): Promise<void>;
  rsync(input: Omit<RsyncArgsInput, 'dest' | 'shell'>, version: number): Promise<RunResult>;
}

const DEFAULT_TRANSFER_TIMEOUT_MS = 30 * 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

/** The transport for one target of a project. Validates every value now, before any process starts. */
export function transportFor(target: TargetSpec, opts: TransportOptions): Transport {
  if (typeof target.name !== 'string' || !/^[^\u0000-\u001f\u007f]{1,100}$/.test(target.name)) throw new TypeError('target name must be 1-100 printable characters');
  const transfer = opts.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS;
  const timeouts = { transfer, command: Math.min(transfer, COMMAND_TIMEOUT_MS) };
  const step = opts.step ?? 'release';
  const out = (stream: OutputStream, line: string): void => opts.log({ step, host: target.name, stream, line });
  let site: Site;
  if (target.kind === 'ssh') {
    if (!target.host) throw new TypeError(`target ${target.name}: an ssh target needs a host`);
    if (!opts.identityFile || !opts.knownHostsFile) throw new TypeError(`target ${target.name}: ssh needs an identity file and pinned host keys (known_hosts)`);
    const ep = {
      host: target.host,
      port: target.port ?? 22,
      user: target.user ?? os.userInfo().username,
      identityFile: opts.identityFile,
      knownHostsFile: opts.knownHostsFile,
      controlDir: opts.controlDir ?? null,
    };
    site = new SshSite(ep, checkPath(opts.deployPath, 'deploy path'), out, timeouts);
  } else if (target.kind === 'local') {
    if (!target.localPath) throw new TypeError(`target ${target.name}: a local target needs a localPath`);
    site = new LocalSite(checkPath(target.localPath, 'local path'), out, timeouts.transfer);
  } else {
    throw new TypeError(`target ${String(target.name)}: kind must be ssh or local`);
  }
  return new ReleaseTransport(target, site, (line) => opts.log({ step, host: target.name, stream: 'info', line }));
}

function checkVersion(v: number, what = 'version'): number {
  if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`${what} must be a positive integer`);
  return v;
}

interface ReleaseState { live: number | null; previous: number | null; releases: Release[]; orphanMarkers: number[] }

/** Reads the release layout out of a listing. */
function readState(listing: Listing, root: string): ReleaseState {
  const dirs = new Set<number>();
  const markers = new Set<number>();
  for (const e of listing.entries) {
    const m = /^(\.)?v([1-9][0-9]{0,14})(\.complete)?$/.exec(e.name);
    if (!m) continue;
    if (!m[1] && !m[3] && e.dir) dirs.add(Number(m[2]));
    else if (m[1] && m[3] && !e.dir) markers.add(Number(m[2]));
  }
  let live: number | null = null;
  if (listing.current !== null) {
    const rel = listing.current.startsWith(`${root}/`) ? listing.current.slice(root.length + 1) : listing.current;
    const m = /^releases\/v([1-9][0-9]{0,14})\/?$/.exec(rel);
    if (!m) throw new Error(`current points at ${JSON.stringify(listing.current)}, not at a release folder`);
    live = Number(m[1]);
  }
  const versions = [...dirs].sort((a, b) => a - b);
  // The one before the live release: the newest complete one below it (the instant rollback target).
  const previous = live === null ? null : (versions.filter((v) => v < live && markers.has(v)).pop() ?? null);
  return {
    live,
    previous,
    releases: versions.map((version) => ({ version, complete: markers.has(version) })),
    orphanMarkers: [...markers].filter((v) => !dirs.has(v)),
  };
}

class ReleaseTransport implements Transport {
  /** Excludes each version was synced with, so verify compares the same filtered tree. */
  private readonly excludesByVersion = new Map<number, string[]>();

  constructor(readonly target: TargetSpec, private readonly site: Site, private readonly note: (line: string) => void) {}

  open(): Promise<void> {
    return this.guard('open', () => this.site.open());
  }

  close(): Promise<void> {
    return this.guard('close', () => this.site.close());
  }

  async live(): Promise<number | null> {
    return (await this.state('reading the live version')).live;
  }

  async releases(): Promise<Release[]> {
    return (await this.state('listing releases')).releases;
  }

  async sync(
    sourceDir: string,
    version: number,
    opts: { linkFrom?: number | null; recycleFrom?: number | null; excludes?: string[] } = {},
  ): Promise<{ filesTransferred: number; bytesSent: number }> {
    // Every argument is checked before any process starts.
    checkVersion(version);
    const excludes = (opts.excludes ?? []).map(checkExclude);
    rsyncArgs({ sourceDir, dest: '/', shell: null, mode: 'sync', excludes });
    let linkFrom = opts.linkFrom == null ? null : checkVersion(opts.linkFrom, 'linkFrom');
    const from = opts.recycleFrom == null ? null : checkVersion(opts.recycleFrom, 'recycleFrom');
    const s = await this.state(`sync of v${version}`);
    const present = new Set(s.releases.map((r) => r.version));
    if (s.live === version) throw new TransportError('refused', this.target.name, `v${version} is live: a live release is never modified`);
    if (linkFrom !== null && (linkFrom === version || !present.has(linkFrom))) {
      this.note(`v${linkFrom} is not there to link against: copying v${version} in full`);
      linkFrom = null;
    }
    let recycle: number | null = null;
    if (from !== null) {
      const keep = [s.live, s.previous, linkFrom];
      if (present.has(version)) this.note(`${versionDir(version)} exists: completing it instead of recycling v${from}`);
      else if (!present.has(from)) this.note(`v${from} is not there to recycle: syncing into a new folder`);
      else if (keep.includes(from)) this.note(`v${from} is the live, previous or link release: not recycling it`);
      else recycle = from;
    }
    return this.guard(`sync of v${version}`, async () => {
      if (recycle !== null) this.note(`recycling releases/v${recycle} as releases/v${version}`);
      await this.site.prepare(version, recycle);
      this.excludesByVersion.set(version, excludes);
      const result = await this.site.rsync({ sourceDir, linkFrom, excludes, mode: 'sync' }, version);
      const stats = parseRsyncStats(result.stdout);
      this.note(`v${version}: ${stats.filesTransferred} files transferred, ${stats.bytesSent} bytes sent`);
      return stats;
    });
  }

  async verify(sourceDir: string, version: number, opts: { excludes?: string[] } = {}): Promise<void> {
    checkVersion(version);
    const excludes = opts.excludes?.map(checkExclude) ?? this.excludesByVersion.get(version) ?? [];
    rsyncArgs({ sourceDir, dest: '/', shell: null, mode: 'check', excludes });
    const s = await this.state(`verify of v${version}`);
    if (!s.releases.some((r) => r.version === version)) throw new TransportError('incomplete', this.target.name, `releases/v${version} is not there`);
    await this.guard(`verify of v${version}`, async () => {
      const result = await this.site.rsync({ sourceDir, excludes, mode: 'check' }, version);
      const diffs = parseItemizedChanges(result.stdout);
      if (diffs.length > 0) {
        throw new TransportError('mismatch', this.target.name, `releases/v${version} differs from the source (${diffs.length} difference(s)): ${diffs.slice(0, 5).join('; ')}`);
      }
      await this.site.markComplete(version);
      this.note(`v${version} verified and marked complete`);
    });
  }

  async switchTo(version: number): Promise<void> {
    checkVersion(version);
    const s = await this.state(`switch to v${version}`);
    if (!s.releases.some((r) => r.version === version && r.complete)) {
      throw new TransportError('incomplete', this.target.name, `refusing to switch to v${version}: releases/v${version} is missing or not verified`);
    }
    if (s.live === version) return this.note(`v${version} is already live`);
    await this.guard(`switch to v${version}`, () => this.site.link(version));
    this.note(`current -> releases/v${version}`);
  }

  async prune(keep: number, protect: number[]): Promise<number[]> {
    if (!Number.isSafeInteger(keep) || keep < 0) throw new TypeError('keep must be a non-negative integer');
    protect.forEach((v) => checkVersion(v, 'protected version'));
    const s = await this.state('prune');
    const versions = s.releases.map((r) => r.version);
    const kept = new Set([...protect, s.live, s.previous, ...(keep === 0 ? [] : versions.slice(-keep))]);
    const doomed = versions.filter((v) => !kept.has(v));
    if (doomed.length + s.orphanMarkers.length === 0) return [];
    await this.guard('prune', () => this.site.remove([...doomed, ...s.orphanMarkers]));
    if (doomed.length > 0) this.note(`pruned ${doomed.map((v) => `v${v}`).join(', ')}`);
    return doomed;
  }

  private state(what: string): Promise<ReleaseState> {
    return this.guard(what, async () => readState(await this.site.listing(), this.site.root));
  }

  /** Runs one step; any failure becomes a TransportError naming the target and the step. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TransportError) throw err;
      const code = err instanceof SshFailure ? err.problem : 'failed';
      throw new TransportError(code, this.target.name, `${what} failed on ${this.site.description}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** A local folder standing in for the deploy path (fs calls; rsync locally). */
class LocalSite implements Site {
  constructor(readonly root: string, private readonly out: (stream: OutputStream, line: string) => void, private readonly timeoutMs: number) {}

  get description(): string {
    return `local ${this.root}`;
  }

  private dir = (v: number): string => path.join(this.root, 'releases', versionDir(v));
  private marker = (v: number): string => path.join(this.root, 'releases', `.${versionDir(v)}.complete`);

  async open(): Promise<void> {
    if (!(await stat(this.root).catch(() => null))?.isDirectory()) throw new Error(`deploy path ${this.root} does not exist`);
    await mkdir(path.join(this.root, 'releases'), { recursive: true });
  }

  async close(): Promise<void> {}

  async listing(): Promise<Listing> {
    await stat(this.root); // a missing deploy path is an error, as on an ssh host
    const current = path.join(this.root, 'current');
    const st = await lstat(current).catch(ifMissing(null));
    if (st && !st.isSymbolicLink()) throw new Error('current is not a symlink');
    const entries = await readdir(path.join(this.root, 'releases'), { withFileTypes: true }).catch(ifMissing([]));
    return { current: st ? await readlink(current) : null, entries: entries.map((e) => ({ name: e.name, dir: e.isDirectory() })) };
  }

  async prepare(version: number, recycleFrom: number | null): Promise<void> {
    await rm(this.marker(version), { force: true });
    if (recycleFrom === null) return;
    await rm(this.marker(recycleFrom), { force: true });
    await rename(this.dir(recycleFrom), this.dir(version));
  }

  async markComplete(version: number): Promise<void> {
    if (!(await stat(this.dir(version))).isDirectory()) throw new Error(`releases/v${version} is not a folder`);
    await writeFile(this.marker(version), '');
  }

  async link(version: number): Promise<void> {
    // Throws ENOENT when the folder or its completion marker is missing.
    if (!(await stat(this.dir(version))).isDirectory() || !(await stat(this.marker(version))).isFile()) {
      throw new Error(`releases/v${version} is not a complete release`);
    }
    const next = path.join(this.root, '.current.next');
    await rm(next, { force: true });
    await symlink(`releases/${versionDir(version)}`, next);
    await rename(next, path.join(this.root, 'current'));
  }

  async remove(versions: number[]): Promise<void> {
    for (const v of versions) await rm(this.marker(v), { force: true });
    for (const v of versions) await rm(this.dir(v), { recursive: true, force: true });
  }

  rsync(input: Omit<RsyncArgsInput, 'dest' | 'shell'>, version: number): Promise<RunResult> {
    const args = rsyncArgs({ ...input, dest: `${this.dir(version)}/`, shell: null });
    return runChecked({ program: 'rsync', args, timeoutMs: this.timeoutMs, onLine: this.out });
  }
}

function ifMissing<T>(value: T): (err: NodeJS.ErrnoException) => T {
  return (err) => {
    if (err.code === 'ENOENT') return value;
    throw err;
  };
}
