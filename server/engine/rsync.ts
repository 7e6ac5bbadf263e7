// rsync, as the release transport drives it: argv builders and pure parsers of rsync's output.
//
// Options chosen (DESIGN.md, "The engine", cost note):
//   --recursive --links --perms --times  the tree, its symlinks, modes and modification times; no owners,
//                                groups or devices. rsync's quick check (size + mtime) then finds the files
//                                that changed without reading every file on both ends; Gantry's staging
//                                trees carry SVN commit times (use-commit-times), so a tree rebuilt on
//                                another server has the same mtimes. A file that differs is always written
//                                to a temporary name and renamed, so a hard-linked file is never touched.
//   --modify-window=-1           compare modification times to the nanosecond. rsync's default compares whole
//                                seconds, so a file rewritten with the same size within the same second
//                                (two commits in one second) would be neither sent nor found by verify. SVN
//                                commit times carry microseconds. A host whose filesystem keeps only whole
//                                seconds fails verify loudly ("differs from the source"), never silently.
//   --delete --delete-excluded   the release folder is exactly the (filtered) source, also when it is
//                                a recycled folder that held an older release.
//   --link-dest=../vPREV/        unchanged files become hard links to the previous release: only changed
//                                files cross the wire and take space.
//   never --inplace              rsync writes a changed file to a temporary name and renames it, so a file
//                                shared by hard link with another release is never modified.

import { assertSafeOperand } from '../process/run.ts';

/** Always left out of a release: version-control metadata must never reach production. */
export const ALWAYS_EXCLUDED = ['.svn/', '.git/'] as const;

const BASE_OPTIONS = ['--recursive', '--links', '--perms', '--times', '--modify-window=-1', '--delete', '--delete-excluded'] as const;
/** I/O timeout in seconds: a stalled connection fails instead of hanging until the overall timeout. */
const IO_TIMEOUT_S = 120;

export interface RsyncArgsInput {
  /** Local folder whose content becomes the release (a trailing '/' is added). */
  sourceDir: string;
  /** 'user@host:/deploy/releases/vN/' or a local '/deploy/releases/vN/'. */
  dest: string;
  /** The `-e` value for ssh targets (one argument); null for local targets. */
  shell: string | null;
  /** Version of an existing release folder to hard-link unchanged files against. */
  linkFrom?: number | null;
  excludes?: readonly string[];
  /** Dry run listing every difference (verify) instead of copying with statistics. */
  mode: 'sync' | 'check';
}

/** Checks an exclude pattern from a project's settings (it is passed as one argument, never to a shell). */
export function checkExclude(pattern: string): string {
  assertSafeOperand(pattern, 'exclude pattern');
  // '+ ', '- ' and '!' would turn the pattern into a filter rule (include, clear list).
  if (/^[+!]/.test(pattern) || pattern.trim() !== pattern || pattern.length > 1024) {
    throw new TypeError('exclude pattern must not start with "+", "-" or "!" nor have surrounding spaces');
  }
  return pattern;
}

/** The argument array for one rsync run (sync or check) of a release. */
export function rsyncArgs(input: RsyncArgsInput): string[] {
  const source = assertSafeOperand(input.sourceDir, 'source folder');
  if (!source.startsWith('/')) throw new TypeError('source folder must be an absolute path');
  assertSafeOperand(input.dest, 'rsync destination');
  const args: string[] = [...BASE_OPTIONS, `--timeout=${IO_TIMEOUT_S}`];
  if (input.mode === 'sync') args.push('--stats');
  else args.push('--dry-run', '--itemize-changes');
  if (input.shell !== null) args.push('-e', input.shell);
  if (input.mode === 'sync' && input.linkFrom != null) args.push(`--link-dest=../${versionDir(input.linkFrom)}/`);
  for (const pattern of [...ALWAYS_EXCLUDED, ...(input.excludes ?? [])]) args.push(`--exclude=${checkExclude(pattern)}`);
  args.push('--', source.endsWith('/') ? source : `${source}/`, input.dest);
  return args;
}

/** 'v12' for version 12 (the release folder's name). */
export function versionDir(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new TypeError('version must be a positive integer');
  return `v${version}`;
}

function statNumber(output: string, label: RegExp): number | null {
  const m = label.exec(output);
  if (!m?.[1]) return null;
  // rsync groups digits by locale ("1,234,567" or "1.234.567"); no fractions in these lines.
  return Number(m[1].replace(/[^0-9]/g, ''));
}

/** Parses rsync --stats output into the number of files it transferred and the bytes it sent. */
export function parseRsyncStats(output: string): { filesTransferred: number; bytesSent: number } {
  // "Number of regular files transferred" since rsync 3.1, "Number of files transferred" before.
  const files = statNumber(output, /^Number of (?:regular )?files transferred: ([0-9][0-9,.']*)/m);
  const sent = statNumber(output, /^Total bytes sent: ([0-9][0-9,.']*)/m);
  if (files === null || sent === null) throw new Error('rsync printed no --stats summary');
  return { filesTransferred: files, bytesSent: sent };
}

/** The differences a `--dry-run --itemize-changes` run listed (empty when the trees match). */
export function parseItemizedChanges(output: string): string[] {
  // Without --verbose, a dry run prints one line per difference ('>f+++++++++ a.txt',
  // '.d...p..... dir/', '*deleting   old.txt') and nothing else.
  return output.split('\n').filter((line) => line.trim().length > 0);
}
