// The SVN adapter: argv builders for the few svn commands the engine needs, pure parsers of their
// --xml output, and a classifier of svn's error lines.
//
// Safety (DESIGN.md "Safety rules"): every process goes through runProcess (no shell, timeout,
// minimal env); --non-interactive and --no-auth-cache always, a private --config-dir per project;
// the password travels on standard input only (--password-from-stdin), never in argv, env or logs;
// user paths are validated before any process starts and remote operands are `URL@REV` after `--`.
// svn-spawn is not used: it spawns on its own, without timeouts or stdin.

import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { runProcess, UnsafeOperandError, assertSafeOperand, type RunOptions, type RunResult } from '../process/run.ts';
import { resolveSvnUrl, svnPathProblem } from '../validation/svn-path.ts';
import type { LogSink } from './log-sink.ts';

export interface SvnOptions {
  /** The project's SVN root URL (checked by scheme and shape when the project was saved). */
  root: string;
  username?: string | null;
  password?: string | null;
  /** A private svn configuration folder for this project (created when missing). */
  configDir: string;
  log: LogSink;
  /** The step named in log lines. Default 'svn'. */
  step?: string;
  /** Per svn command. Default 10 minutes. */
  timeoutMs?: number;
  /** The process runner; tests inject one to see every argv. Default runProcess. */
  run?: (opts: RunOptions) => Promise<RunResult>;
}

export type SvnErrorKind = 'not_found' | 'auth' | 'unreachable' | 'other';

/** An svn command failed; the message is svn's own error lines. */
export class SvnError extends Error {
  readonly kind: SvnErrorKind;
  /** svn's error and warning codes in order, e.g. ['E170013', 'E170001']. */
  readonly codes: string[];
  constructor(kind: SvnErrorKind, message: string, codes: string[] = []) {
    super(message);
    this.name = 'SvnError';
    this.kind = kind;
    this.codes = codes;
  }
}

export type SvnRevision = number | 'HEAD';
export interface SvnInfo { url: string; revision: number; lastChangedRevision: number; kind: 'dir' | 'file' }
export interface SvnLogEntry { revision: number; author: string; date: string; message: string }
export interface SvnChange { path: string; change: 'added' | 'modified' | 'deleted'; kind: 'dir' | 'file' }
export interface SvnListEntry { name: string; kind: 'dir' | 'file' }

// ---------------------------------------------------------------- pure parsers

interface XmlElement { attrs: Record<string, string>; body: string }

/** Decodes the five named XML entities and numeric character references. */
export function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return named[ref] ?? _m;
  });
}

// svn's XML is small and regular: no CDATA, no comments, and none of the elements read here nest in
// themselves (log entries would only with --use-merge-history, which is never passed).
function elements(xml: string, tag: string): XmlElement[] {
  const re = new RegExp(`<${tag}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  const out: XmlElement[] = [];
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = decodeXmlEntities(a[2]!);
    out.push({ attrs, body: m[2] ?? '' });
  }
  return out;
}

function childText(body: string, tag: string): string | undefined {
  const el = elements(body, tag)[0];
  return el === undefined ? undefined : decodeXmlEntities(el.body);
}

function toInt(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`unexpected svn output: ${what} is ${value ?? 'missing'}`);
  return Number.parseInt(value, 10);
}

function toKind(value: string | undefined): 'dir' | 'file' {
  if (value === 'dir' || value === 'file') return value;
  throw new Error(`unexpected svn output: kind is ${value ?? 'missing'}`);
}

/** Parses `svn info --xml` (the first entry). */
export function parseSvnInfo(xml: string): SvnInfo {
  const entry = elements(xml, 'entry')[0];
  if (!entry) throw new Error('unexpected svn output: no info entry');
  const url = childText(entry.body, 'url');
  if (!url) throw new Error('unexpected svn output: info without url');
  const commit = elements(entry.body, 'commit')[0];
  return {
    url,
    revision: toInt(entry.attrs.revision, 'revision'),
    lastChangedRevision: toInt(commit?.attrs.revision, 'commit revision'),
    kind: toKind(entry.attrs.kind),
  };
}

/** Parses `svn log --xml`, keeping svn's order. */
export function parseSvnLog(xml: string): SvnLogEntry[] {
  return elements(xml, 'logentry').map((e) => ({
    revision: toInt(e.attrs.revision, 'log revision'),
    author: childText(e.body, 'author') ?? '',
    date: childText(e.body, 'date') ?? '',
    message: childText(e.body, 'msg') ?? '',
  }));
}

/**
 * Parses `svn diff --summarize --xml` between two URLs. svn reports full URLs (anchored on one of the
 * two sides); they become paths relative to whichever base URL they start with, URL-decoded.
 * A properties-only change counts as modified (svn:executable changes what is deployed).
 */
export function parseSvnDiffSummary(xml: string, baseUrls: string[]): SvnChange[] {
  // Compared decoded: svn and resolveSvnUrl escape different characters (e.g. '+').
  const bases = baseUrls.map((u) => decodeURIComponent(u).replace(/\/+$/, '') + '/');
  const out: SvnChange[] = [];
  for (const e of elements(xml, 'path')) {
    const url = decodeURIComponent(decodeXmlEntities(e.body).trim());
    const base = bases.find((b) => url.startsWith(b) || url + '/' === b);
    const rel = base ? url.slice(base.length) : url;
    if (rel === '') continue; // the compared directory itself (a property change on it)
    const item = e.attrs.item;
    const change = item === 'added' || item === 'deleted' ? item : item === 'modified' || e.attrs.props === 'modified' ? 'modified' : null;
    if (change) out.push({ path: rel, change, kind: toKind(e.attrs.kind) });
  }
  return out;
}

/** Parses `svn ls --xml` of one directory. */
export function parseSvnList(xml: string): SvnListEntry[] {
  return elements(xml, 'entry').map((e) => ({ name: childText(e.body, 'name') ?? '', kind: toKind(e.attrs.kind) }));
}

// ---------------------------------------------------------------- error classification

const AUTH = new Set(['E170001', 'E215004', 'E175013', 'E220001', 'E230001', 'E170009']);
const NOT_FOUND = new Set(['E160013', 'E170000', 'E160006', 'E200009', 'W160013', 'W170000', 'E195012', 'E210005', 'E175007', 'E160016']);
const UNREACHABLE = new Set([
  'E170013', // "Unable to connect": alone (or with a network cause) the server is not reachable
  'E000111', 'E000110', 'E000113', 'E000101', 'E000104', // refused, timed out, no route, network down, reset
  'E670002', 'E670008', // host name unknown
  'E210002', 'E210003', 'E175002', 'E120108', // connection closed / failed
]);

/** Classifies svn's stderr: the error lines (as printed) and the kind, most specific cause first. */
export function classifySvnError(stderr: string): { kind: SvnErrorKind; lines: string[]; codes: string[] } {
  const lines = stderr.split(/\r?\n/).filter((l) => /^svn: (warning: )?[EW]\d{6}:/.test(l));
  const codes = lines.map((l) => /([EW]\d{6}):/.exec(l)![1]!);
  // E170013 ("Unable to connect") precedes the real cause, so auth and not-found win over it.
  const kind: SvnErrorKind = codes.some((c) => AUTH.has(c))
    ? 'auth'
    : codes.some((c) => NOT_FOUND.has(c))
      ? 'not_found'
      : codes.some((c) => UNREACHABLE.has(c))
        ? 'unreachable'
        : 'other';
  return { kind, lines, codes };
}

function toSvnError(result: RunResult, timeoutMs: number): SvnError {
  if (result.timedOut) return new SvnError('unreachable', `svn timed out after ${timeoutMs} ms`);
  const { kind, lines, codes } = classifySvnError(result.stderr);
  const message = lines.length > 0 ? lines.join('\n') : result.stderr.trim() || `svn exited with code ${result.code ?? 'unknown'}`;
  return new SvnError(kind, message, codes);
}

// ---------------------------------------------------------------- operand checks

/** Refuses a user's SVN path (relative to the root, '' = the root itself) before any process starts. */
export function checkSvnPath(p: string): string {
  if (typeof p !== 'string') throw new UnsafeOperandError('SVN path', 'not a string');
  if (p === '') return p;
  if (p.includes('@')) throw new UnsafeOperandError('SVN path', "must not contain '@' (the revision is separate)");
  const problem = svnPathProblem(p);
  if (problem) throw new UnsafeOperandError('SVN path', problem);
  return p.replace(/\/$/, '');
}

function checkRevision(rev: SvnRevision): string {
  if (rev === 'HEAD') return rev;
  if (!Number.isSafeInteger(rev) || rev < 0) throw new UnsafeOperandError('SVN revision', 'must be a whole number or HEAD');
  return String(rev);
}

// svn reads `name@x` as a peg revision even in local paths (and a trailing '@' escape is taken
// literally by checkout), so local folders with '@' are refused instead of escaped.
function checkLocalPath(p: string, what: string): string {
  assertSafeOperand(p, what);
  if (!path.isAbsolute(p)) throw new UnsafeOperandError(what, 'must be an absolute path');
  if (p.includes('@')) throw new UnsafeOperandError(what, "must not contain '@'");
  return path.resolve(p);
}

const sameUrl = (a: string, b: string): boolean => decodeURIComponent(a).replace(/\/+$/, '') === decodeURIComponent(b).replace(/\/+$/, '');

// ---------------------------------------------------------------- the client

/** An svn client for one project: credentials, config folder and log sink are bound once. */
export function svnClient(opts: SvnOptions) {
  const run = opts.run ?? runProcess;
  const step = opts.step ?? 'svn';
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const password = opts.password ?? null;
  const username = opts.username ? assertSafeOperand(opts.username, 'SVN user name') : null;
  if (password !== null && /[\r\n\0]/.test(password)) throw new UnsafeOperandError('SVN password', 'must be a single line');
  const configDir = checkLocalPath(opts.configDir, 'SVN config folder');

  // Defence in depth: svn never prints the password, but a log line (a commit message) might quote it.
  const redact = (line: string): string => (password ? line.split(password).join('********') : line);

  const url = (p: string, rev: SvnRevision): string =>
    assertSafeOperand(`${resolveSvnUrl(opts.root, checkSvnPath(p))}@${checkRevision(rev)}`, 'SVN URL');

  /** Runs one program (svn or svnversion) with the project's log sink and timeout; throws SvnError on failure. */
  async function exec(program: 'svn' | 'svnversion', argv: string[], withPassword: boolean): Promise<RunResult> {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    opts.log({ step, stream: 'info', line: `$ ${program} ${argv.join(' ')}` });
    let result: RunResult;
    try {
      result = await run({
        program,
        args: argv,
        timeoutMs,
        env: { HOME: configDir },
        ...(withPassword ? { stdin: `${password}\n` } : {}),
        onLine: (stream, line) => opts.log({ step, stream, line: redact(line) }),
      });
    } catch (err) {
      throw new SvnError('other', `could not start ${program}: ${(err as Error).message}`);
    }
    if (result.code !== 0 || result.timedOut || result.aborted) throw toSvnError(result, timeoutMs);
    return result;
  }

  /** `svn <sub> …`; credentials only for commands that reach the server (remote). */
  function svn(sub: string, args: string[], remote: boolean): Promise<RunResult> {
    const auth = remote ? [...(username ? ['--username', username] : []), ...(password ? ['--password-from-stdin'] : [])] : [];
    // Files get their commit times, so every server's tree of one revision has the same mtimes (rsync's quick check).
    const argv = [sub, '--non-interactive', '--no-auth-cache', '--config-dir', configDir, '--config-option', 'config:miscellany:use-commit-times=yes', ...auth, ...args];
    return exec('svn', argv, remote && password !== null && password !== '');
  }

  async function info(p: string, revision: SvnRevision): Promise<SvnInfo> {
    const rev = checkRevision(revision);
    const r = await svn('info', ['--xml', '-r', rev, '--', url(p, revision)], true);
    return parseSvnInfo(r.stdout);
  }

  /** The working copy is usable when it sits exactly at url@rev: not mixed, switched, sparse or modified. */
  async function wcIsAt(wcDir: string, target: SvnInfo): Promise<boolean> {
    const wc = parseSvnInfo((await svn('info', ['--xml', '--', wcDir], false)).stdout);
    const version = (await exec('svnversion', ['--', wcDir], false)).stdout.trim();
    return sameUrl(wc.url, target.url) && version === String(target.revision);
  }

  async function checkout(wcDir: string, target: SvnInfo): Promise<number> {
    await rm(wcDir, { recursive: true, force: true });
    await mkdir(path.dirname(wcDir), { recursive: true });
    const rev = String(target.revision);
    await svn('checkout', ['--ignore-externals', '-r', rev, '--', `${target.url}@${rev}`, wcDir], true);
    if (!(await wcIsAt(wcDir, target))) throw new SvnError('other', `fresh checkout is not at ${target.url}@${rev}`);
    return target.revision;
  }

  return {
    /** Resolve path@revision (revision number or 'HEAD') to the concrete revision and URL; throws SvnError(not_found) for a bad path. */
    info,

    /** Make the working copy at wcDir hold path@revision: checkout when missing/broken, otherwise revert + cleanup + switch. Returns the revision reached. Idempotent. */
    async stage(wcDir: string, p: string, revision: SvnRevision): Promise<number> {
      const dir = checkLocalPath(wcDir, 'working copy folder');
      // Pin HEAD to a number first, so every later command sees the same tree.
      const target = await info(p, revision);
      if (target.kind !== 'dir') throw new SvnError('other', `${target.url}@${target.revision} is a file, not a directory`);
      if (!existsSync(path.join(dir, '.svn'))) return checkout(dir, target);
      try {
        await svn('cleanup', ['--', dir], false); // releases locks left by a killed run
        await svn('revert', ['-R', '--remove-added', '--', dir], false);
        await svn('cleanup', ['--remove-unversioned', '--remove-ignored', '--', dir], false);
        const rev = String(target.revision);
        await svn('switch', ['--ignore-ancestry', '--ignore-externals', '-r', rev, '--', `${target.url}@${rev}`, dir], true);
        if (await wcIsAt(dir, target)) return target.revision;
        opts.log({ step, stream: 'info', line: 'working copy is mixed, switched or modified after switch; checking out afresh' });
      } catch (err) {
        // The server's problems are not the working copy's: report them rather than re-download.
        if (!(err instanceof SvnError) || err.kind === 'auth' || err.kind === 'unreachable') throw err;
        opts.log({ step, stream: 'info', line: `working copy cannot be reused (${err.codes.join(', ') || err.message}); checking out afresh` });
      }
      return checkout(dir, target);
    },

    /** Export the working copy (no .svn) into destDir (created/emptied). */
    async exportTo(wcDir: string, destDir: string): Promise<void> {
      const src = checkLocalPath(wcDir, 'working copy folder');
      const dest = checkLocalPath(destDir, 'export folder');
      await rm(dest, { recursive: true, force: true });
      await mkdir(path.dirname(dest), { recursive: true });
      await svn('export', ['--ignore-externals', '--quiet', '--', src, dest], false);
    },

    /** Log entries of path between two revisions (inclusive), newest first. */
    async log(p: string, fromRevision: number, toRevision: number): Promise<SvnLogEntry[]> {
      const [lo, hi] = [Math.min(fromRevision, toRevision), Math.max(fromRevision, toRevision)];
      const r = await svn('log', ['--xml', '-r', `${checkRevision(hi)}:${checkRevision(lo)}`, '--', url(p, hi)], true);
      return parseSvnLog(r.stdout);
    },

    /** Files added/modified/deleted between fromPath@fromRev and toPath@toRev (svn diff --summarize --xml). */
    async changes(from: { path: string; revision: number }, to: { path: string; revision: number }): Promise<SvnChange[]> {
      const a = url(from.path, from.revision);
      const b = url(to.path, to.revision);
      const r = await svn('diff', ['--summarize', '--xml', '--', a, b], true);
      return parseSvnDiffSummary(r.stdout, [resolveSvnUrl(opts.root, from.path), resolveSvnUrl(opts.root, to.path)]);
    },

    /** Directory listing of path at HEAD (svn ls --xml): directories and files. */
    async list(p: string): Promise<SvnListEntry[]> {
      const r = await svn('list', ['--xml', '-r', 'HEAD', '--', url(p, 'HEAD')], true);
      return parseSvnList(r.stdout);
    },
  };
}

export type SvnClient = ReturnType<typeof svnClient>;
