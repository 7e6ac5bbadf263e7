// The release repository: one per project, a canonical remote (a bare repository in the data folder by
// default, any git URL when several servers run) and a local clone per server. Each version is one
// commit and one annotated tag `vN`, pushed atomically; git refuses a second, different vN, which backs
// the database's uniqueness. Tags are never moved or deleted.
//
// git runs through simple-git with a minimal environment (private HOME, no system config, no prompts),
// an inactivity timeout and every output line forwarded to the log sink; simple-git's `unsafe`
// switches are never turned on. The clone is made with --no-checkout and never gets a checked-out
// tree: trees are built straight from the caller's folder (GIT_WORK_TREE + a throw-away index), so a
// release costs no copy and no stale file can survive into it.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { assertSafeOperand, DEFAULT_PATH, UnsafeOperandError } from '../process/run.ts';
import type { LogSink } from './log-sink.ts';

export interface ReleaseRepoOptions {
  /** The canonical remote: an absolute path (created as a bare repository when missing) or a git URL. */
  remote: string;
  /** This server's clone. */
  workDir: string;
  log: LogSink;
  /** Author and committer of release commits and tagger of tags. Default Gantry <gantry@localhost>. */
  author?: { name: string; email: string };
  /** Kill git after this long without output. Default 10 minutes. */
  timeoutMs?: number;
  /** HOME for git (ssh keys, known_hosts for ssh remotes). Default: a private folder made once per process. */
  homeDir?: string;
}

/** vN already exists on the remote with a different tree: a tag is never moved. */
export class TagConflictError extends Error {
  readonly tag: string;
  constructor(tag: string) {
    super(`tag ${tag} already exists on the release remote with different content; a version is never moved`);
    this.name = 'TagConflictError';
    this.tag = tag;
  }
}

const BRANCH = 'main';
const HASH = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
// Highest precedence over any .gitattributes in a released tree: bytes go in and out unchanged
// (no end-of-line conversion, filters, $Id$ expansion or re-encoding).
const ATTRIBUTES = '* -text -eol -filter -ident -working-tree-encoding\n';

/** The highest vN in `git ls-remote --tags --refs` output (0 when there is none). */
export function highestVersion(lsRemote: string): number {
  let max = 0;
  for (const m of lsRemote.matchAll(/\trefs\/tags\/v([1-9]\d{0,8})$/gm)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The message as stored in commit and tag: LF line ends, no trailing blanks, one final newline. */
export function normaliseMessage(message: string): string {
  const text = message.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, '');
  if (text.length === 0) throw new Error('a release needs a non-empty message');
  if (text.includes('\0')) throw new Error('a release message must not contain NUL');
  return `${text}\n`;
}

/** Refuses anything but an absolute path or a plain git URL (no `ext::` transports, no options). */
export function checkRemote(remote: string): string {
  assertSafeOperand(remote, 'release remote');
  if (path.isAbsolute(remote)) return path.resolve(remote);
  if (/^(?:file|ssh|git|https?):\/\/\S+$/.test(remote)) return remote;
  if (/^[\w.-]+@[\w.-]+:[^\s:][^\s]*$/.test(remote)) return remote; // scp-like ssh: user@host:path
  throw new UnsafeOperandError('release remote', 'must be an absolute path or a git URL');
}

function checkVersion(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`invalid version ${version}`);
  return `v${version}`;
}

function checkDir(dir: string, what: string): string {
  assertSafeOperand(dir, what);
  if (!path.isAbsolute(dir)) throw new UnsafeOperandError(what, 'must be an absolute path');
  return path.resolve(dir);
}

let sharedHome: string | undefined;
// mkdtemp: 0700 and an unpredictable name, so nobody can plant a .gitconfig for git to read.
const privateHome = (): string => (sharedHome ??= mkdtempSync(path.join(os.tmpdir(), 'gantry-git-home-')));

/** Forwards a stream's text to the sink line by line (\n, \r\n and progress \r). */
function forwardLines(stream: NodeJS.ReadableStream, emit: (line: string) => void): void {
  let partial = '';
  stream.on('data', (chunk: Buffer | string) => {
    const parts = (partial + chunk.toString()).split(/\r\n|\r|\n/);
    partial = parts.pop() ?? '';
    for (const line of parts) emit(line);
  });
  stream.on('end', () => {
    if (partial) emit(partial);
    partial = '';
  });
}

/** The release repository of one project, seen from this server's clone. */
export function releaseRepo(opts: ReleaseRepoOptions) {
  const remote = checkRemote(opts.remote);
  const workDir = checkDir(opts.workDir, 'release work folder');
  const gitDir = path.join(workDir, '.git');
  const author = opts.author ?? { name: 'Gantry', email: 'gantry@localhost' };
  const home = opts.homeDir ? checkDir(opts.homeDir, 'git home') : privateHome();
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH || DEFAULT_PATH,
    HOME: home,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C.UTF-8',
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };

  /** A simple-git instance running in cwd; extraEnv points git at another index or work tree. */
  function git(cwd: string, extraEnv: Record<string, string> = {}): SimpleGit {
    return simpleGit({ baseDir: cwd, maxConcurrentProcesses: 1, timeout: { block: opts.timeoutMs ?? 10 * 60_000 } })
      .env({ ...baseEnv, ...extraEnv })
      .outputHandler((_command, stdout, stderr, args) => {
        opts.log({ step: 'git', stream: 'info', line: `$ git ${args.join(' ')}` });
        forwardLines(stdout, (line) => opts.log({ step: 'git', stream: 'stdout', line }));
        forwardLines(stderr, (line) => opts.log({ step: 'git', stream: 'stderr', line }));
      });
  }
  const inClone = (): SimpleGit => git(workDir);

  // simple-git resolves (with empty output) when git fails without printing to stderr, so every
  // object name git hands back is checked before use.
  async function hash(g: SimpleGit, args: string[]): Promise<string> {
    const out = (await g.raw(args)).trim();
    if (!HASH.test(out)) throw new Error(`git ${args[0]} gave no object name: ${out.slice(0, 200)}`);
    return out;
  }

  /** A throw-away index file inside the clone, removed afterwards. */
  async function withIndex<T>(fn: (index: string) => Promise<T>): Promise<T> {
    const index = path.join(gitDir, `gantry-index-${randomBytes(6).toString('hex')}`);
    try {
      return await fn(index);
    } finally {
      await rm(index, { force: true });
    }
  }

  const fetch = () => inClone().raw(['fetch', '--prune', '--prune-tags', '--force', 'origin']);

  async function prepare(): Promise<void> {
    if (path.isAbsolute(remote) && !existsSync(remote)) {
      // Built under a temporary name and renamed into place, so a server racing to create the same
      // remote never sees a half-initialised repository (the loser's rename fails and is dropped).
      await mkdir(path.dirname(remote), { recursive: true });
      const building = `${remote}.init-${randomBytes(6).toString('hex')}`;
      await git(home).raw(['init', '--bare', `--initial-branch=${BRANCH}`, '--', building]);
      // Even a mistaken force push cannot move or delete a version on a remote we created.
      await git(building).raw(['config', 'receive.denyNonFastForwards', 'true']);
      await git(building).raw(['config', 'receive.denyDeletes', 'true']);
      await rename(building, remote).catch(async () => {
        await rm(building, { recursive: true, force: true });
        if (!existsSync(remote)) throw new Error(`could not create the release remote ${remote}`);
      });
    }
    const healthy = existsSync(path.join(gitDir, 'HEAD')) && (await inClone().raw(['rev-parse', '--git-dir']).catch(() => '')).trim() !== '';
    if (healthy) {
      await inClone().raw(['remote', 'set-url', 'origin', remote]);
      // The remote is canonical: local tags it does not have (a crash before the push) are dropped.
      await fetch();
    } else {
      await rm(workDir, { recursive: true, force: true });
      await mkdir(path.dirname(workDir), { recursive: true });
      await git(home).raw(['clone', '--no-checkout', '--origin', 'origin', '--', remote, workDir]);
    }
    await mkdir(path.join(gitDir, 'info'), { recursive: true });
    await writeFile(path.join(gitDir, 'info', 'attributes'), ATTRIBUTES);
  }

  const ensureClone = async (): Promise<void> => {
    if (!existsSync(path.join(gitDir, 'HEAD'))) await prepare();
  };

  /** Commit and tree of a local tag, or null when it does not exist. */
  async function tagged(tag: string): Promise<{ commit: string; tree: string } | null> {
    const ref = `refs/tags/${tag}`;
    if ((await inClone().raw(['for-each-ref', '--format=%(refname)', ref])).trim() !== ref) return null;
    return { commit: await hash(inClone(), ['rev-parse', `${ref}^{commit}`]), tree: await hash(inClone(), ['rev-parse', `${ref}^{tree}`]) };
  }

  /** The local tag, fetched first when this clone does not have it yet. */
  async function requireTag(version: number): Promise<string> {
    const tag = checkVersion(version);
    await ensureClone();
    if (!(await tagged(tag))) await fetch();
    if (!(await tagged(tag))) throw new Error(`tag ${tag} does not exist on the release remote`);
    return `refs/tags/${tag}`;
  }

  /**
   * The tree object of sourceDir's content exactly as it is (ignore files are ignored: --force), without
   * version-control metadata. The index persists per clone: git re-reads only files whose stat changed, so
   * a release of one changed file in a large staging tree does not hash every file again.
   */
  async function treeOf(sourceDir: string): Promise<string> {
    const index = path.join(gitDir, 'gantry-release.index');
    const g = git(sourceDir, { GIT_DIR: gitDir, GIT_WORK_TREE: sourceDir, GIT_INDEX_FILE: index });
    try {
      await g.raw(['add', '--all', '--force', '--', '.', ':(exclude,glob)**/.svn/**', ':(exclude,glob)**/.svn']);
      return await hash(g, ['write-tree']);
    } catch (err) {
      await rm(index, { force: true }); // a damaged index is rebuilt next time
      throw err;
    }
  }

  function sameTreeOrThrow(tag: string, existing: { commit: string; tree: string }, tree: string) {
    if (existing.tree !== tree) throw new TagConflictError(tag);
    opts.log({ step: 'git', stream: 'info', line: `${tag} already exists with this content; reusing it` });
    return { commit: existing.commit, tag, reused: true };
  }

  return {
    /** Create the bare remote if it is a local path that does not exist; clone into workDir or fetch (incl. tags) if present. */
    prepare,

    /** Highest vN tag on the remote (0 when none). */
    async latestVersion(): Promise<number> {
      await ensureClone();
      return highestVersion(await inClone().raw(['ls-remote', '--tags', '--refs', 'origin']));
    },

    /**
     * Commit sourceDir's content (everything but .git) with `message`, tag it `v${version}` (annotated, same message) and
     * push both atomically. Idempotent: an existing vN with the same tree is returned (reused); with another tree it throws
     * TagConflictError. An unchanged tree still gets its own commit.
     */
    async commitAndTag(sourceDir: string, version: number, message: string): Promise<{ commit: string; tag: string; reused: boolean }> {
      const tag = checkVersion(version);
      const src = checkDir(sourceDir, 'release source folder');
      const text = normaliseMessage(message);
      if (!existsSync(src)) throw new Error(`release source folder ${src} does not exist`);
      await prepare();
      const tree = await treeOf(src);
      const existing = await tagged(tag);
      if (existing) return sameTreeOrThrow(tag, existing, tree);

      const parentRef = `refs/remotes/origin/${BRANCH}`;
      const hasParent = (await inClone().raw(['for-each-ref', '--format=%(refname)', parentRef])).trim() === parentRef;
      const parent = hasParent ? await hash(inClone(), ['rev-parse', `${parentRef}^{commit}`]) : null;
      const messageFile = path.join(gitDir, 'GANTRY_RELEASE_MSG');
      await writeFile(messageFile, text);
      // commit-tree always makes a new commit, also for an unchanged tree (like commit --allow-empty).
      const commit = await hash(inClone(), ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', messageFile]);
      await inClone().raw(['tag', '--annotate', '--cleanup=verbatim', '--file', messageFile, tag, commit]);
      let pushed: string;
      try {
        // Atomic and never forced: a vN (or a main) another server pushed first makes the whole push fail.
        pushed = await inClone().raw(['push', '--atomic', '--porcelain', 'origin', `${commit}:refs/heads/${BRANCH}`, `refs/tags/${tag}:refs/tags/${tag}`]);
      } catch (err) {
        await inClone().raw(['tag', '--delete', tag]).catch(() => undefined);
        await fetch();
        const winner = await tagged(tag);
        if (winner) return sameTreeOrThrow(tag, winner, tree);
        throw err;
      }
      // Two servers that commit the same tree, message and parent in the same second make the very same
      // objects: the later push then finds the tag already there ("=" … "[up to date]") and reuses it.
      return { commit, tag, reused: /^=\trefs\/tags\//m.test(pushed) };
    },

    /** Export the tree of tag vN into destDir (emptied first), without .git: for rollbacks whose release folder is gone. */
    async exportTag(version: number, destDir: string): Promise<void> {
      const ref = await requireTag(version);
      const dest = checkDir(destDir, 'export folder');
      await rm(dest, { recursive: true, force: true });
      await mkdir(dest, { recursive: true });
      await withIndex(async (index) => {
        const g = git(workDir, { GIT_INDEX_FILE: index });
        await g.raw(['read-tree', `${ref}^{tree}`]);
        await g.raw(['checkout-index', '--all', '--force', `--prefix=${dest}/`]);
      });
    },

    /** Tag message of vN. */
    async tagMessage(version: number): Promise<string> {
      const ref = await requireTag(version);
      return (await inClone().raw(['for-each-ref', '--format=%(contents)', ref])).replace(/\n+$/, '');
    },
  };
}

export type ReleaseRepo = ReturnType<typeof releaseRepo>;
