// The one place where Gantry starts child processes.
//
// Rules (DESIGN.md, "Safety rules"): never through a shell (program + argument array), always a
// timeout, a minimal environment (never the parent's full env), output streamed line by line.
// Adapters (svn, git, rsync, ssh) build argument arrays and call runProcess / runChecked.

import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import os from 'node:os';

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  /** The program to run: a name looked up on PATH or an absolute path. Never a shell command line. */
  program: string;
  /** Arguments, passed as they are (no quoting, no expansion). */
  args: readonly string[];
  cwd?: string;
  /**
   * Extra environment variables on top of the minimal one (PATH, LANG, LC_ALL, HOME).
   * The parent's environment is never passed on.
   */
  env?: Record<string, string>;
  /** Hard limit: after it, the process (group) gets SIGTERM, then SIGKILL after a grace period. */
  timeoutMs: number;
  /** Written to the process's standard input, which is then closed. Without it stdin is /dev/null. */
  stdin?: string;
  /** Called for every line of output (including `\r`-separated progress lines), without the line end. */
  onLine?: (stream: OutputStream, line: string) => void;
  /** Aborting kills the process like a timeout does; the result then has `aborted: true`. */
  signal?: AbortSignal;
  /** How long to wait between SIGTERM and SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
  /** Cap on collected stdout and on collected stderr (each), in bytes. Default 4 MiB. onLine still sees every line. */
  maxOutputBytes?: number;
}

export interface RunResult {
  /** Exit code, or null when the process was ended by a signal (or never started). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** True when opts.signal aborted the run. */
  aborted: boolean;
  /** True when stdout or stderr was longer than maxOutputBytes and was cut (the start is kept). */
  truncated: boolean;
}

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const STDERR_TAIL_LINES = 20;

/** The last non-empty stderr lines of each result, kept even when collected stderr was truncated. */
const stderrTails = new WeakMap<RunResult, string[]>();

/** Thrown by runChecked (non-zero exit, signal, timeout, abort) and by runProcess when the program cannot be started. */
export class ProcessError extends Error {
  readonly program: string;
  readonly args: readonly string[];
  readonly result: RunResult;

  constructor(message: string, program: string, args: readonly string[], result: RunResult, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProcessError';
    this.program = program;
    this.args = [...args];
    this.result = result;
  }
}

/** Thrown by assertSafeOperand. The offending value is deliberately not part of the message. */
export class UnsafeOperandError extends Error {
  readonly what: string;
  constructor(what: string, reason: string) {
    super(`${what} is not allowed: ${reason}`);
    this.name = 'UnsafeOperandError';
    this.what = what;
  }
}

// C0 controls (incl. NUL, \n, \r, \t), DEL and C1 controls.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks a value that will be passed as an operand (a path, a URL, a host) to a program:
 * it must be a non-empty string, must not start with '-' (it would be read as an option)
 * and must not contain control characters or NUL. Returns the value unchanged.
 */
export function assertSafeOperand(value: string, what: string): string {
  if (typeof value !== 'string') throw new UnsafeOperandError(what, 'not a string');
  if (value.length === 0) throw new UnsafeOperandError(what, 'empty');
  if (value.startsWith('-')) throw new UnsafeOperandError(what, "starts with '-'");
  if (CONTROL_CHARS.test(value)) throw new UnsafeOperandError(what, 'contains control characters');
  return value;
}

function buildEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH && process.env.PATH.length > 0 ? process.env.PATH : DEFAULT_PATH,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    HOME: extra?.HOME ?? os.tmpdir(),
  };
  if (extra) {
    for (const [key, value] of Object.entries(extra)) {
      if (key.length === 0 || key.includes('=') || key.includes('\0') || value.includes('\0')) {
        throw new TypeError(`invalid environment variable ${JSON.stringify(key)}`);
      }
      env[key] = value;
    }
  }
  return env;
}

/** Splits a stream of text into lines at \n, \r\n and lone \r (progress output). */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private lastWasCR = false;

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk));
  }

  end(): void {
    this.feed(this.decoder.end());
    if (this.partial.length > 0) {
      const line = this.partial;
      this.partial = '';
      this.emit(line);
    }
  }

  private feed(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) {
        if (this.lastWasCR && i === start && this.partial.length === 0) {
          // The \n of a \r\n whose \r already ended the line.
          start = i + 1;
          this.lastWasCR = false;
          continue;
        }
        this.emit(this.partial + text.slice(start, i));
        this.partial = '';
        start = i + 1;
        this.lastWasCR = false;
      } else if (ch === 13 /* \r */) {
        this.emit(this.partial + text.slice(start, i));
        this.partial = '';
        start = i + 1;
        this.lastWasCR = true;
      } else {
        this.lastWasCR = false;
      }
    }
    if (start < text.length) {
      this.partial += text.slice(start);
      this.lastWasCR = false;
    }
  }
}

/** Collects up to `max` bytes of a stream. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    if (this.size >= this.max) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    const room = this.max - this.size;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }
  toString(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

function killTree(child: ChildProcess, signal: NodeJS.Signals, useGroup: boolean): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (useGroup) {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      // Group gone or not ours: fall back to the process itself.
    }
  }
  try {
    child.kill(signal);
  } catch {
    /* already gone */
  }
}

/**
 * Runs a program with an argument array (never a shell) and resolves with its exit status and output.
 * Resolves on non-zero exit, timeout and abort too; rejects (ProcessError) only when the program
 * cannot be started or the options are invalid.
 */
export function runProcess(opts: RunOptions): Promise<RunResult> {
  const { program, args } = opts;
  if (typeof program !== 'string' || program.length === 0 || program.includes('\0')) {
    return Promise.reject(new TypeError('runProcess: program must be a non-empty string without NUL'));
  }
  if (!Array.isArray(args) || args.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    return Promise.reject(new TypeError('runProcess: args must be strings without NUL'));
  }
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    return Promise.reject(new TypeError('runProcess: timeoutMs must be a positive number'));
  }
  let env: Record<string, string>;
  try {
    env = buildEnv(opts.env);
  } catch (err) {
    return Promise.reject(err);
  }

  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const killGraceMs = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const started = performance.now();
  const useGroup = process.platform !== 'win32';

  return new Promise<RunResult>((resolve, reject) => {
    const out = new CappedBuffer(maxBytes);
    const err = new CappedBuffer(maxBytes);
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let exited = false;
    let termTimer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let forceCloseTimer: NodeJS.Timeout | undefined;

    const emitLine = (stream: OutputStream, line: string): void => {
      if (!opts.onLine) return;
      try {
        opts.onLine(stream, line);
      } catch {
        // A failing log sink must not break the process handling.
      }
    };
    const errTail: string[] = [];
    const outLines = new LineSplitter((line) => emitLine('stdout', line));
    const errLines = new LineSplitter((line) => {
      if (line.trim().length > 0) {
        errTail.push(line);
        if (errTail.length > STDERR_TAIL_LINES) errTail.shift();
      }
      emitLine('stderr', line);
    });

    const makeResult = (code: number | null, signal: NodeJS.Signals | null): RunResult => {
      const result: RunResult = {
        code,
        signal,
        stdout: out.toString(),
        stderr: err.toString(),
        durationMs: Math.round(performance.now() - started),
        timedOut,
        aborted,
        truncated: out.truncated || err.truncated,
      };
      stderrTails.set(result, [...errTail]);
      return result;
    };

    const cleanup = (): void => {
      if (termTimer) clearTimeout(termTimer);
      if (killTimer) clearTimeout(killTimer);
      if (forceCloseTimer) clearTimeout(forceCloseTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };

    let child: ChildProcess;

    const terminate = (): void => {
      killTree(child, 'SIGTERM', useGroup);
      killTimer = setTimeout(() => {
        killTree(child, 'SIGKILL', useGroup);
        // If a grandchild escaped the group and still holds our pipes, stop waiting for them.
        forceCloseTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, killGraceMs);
        forceCloseTimer.unref?.();
      }, killGraceMs);
    };

    function onAbort(): void {
      if (settled || exited) return;
      aborted = true;
      if (termTimer) clearTimeout(termTimer);
      terminate();
    }

    if (opts.signal?.aborted) {
      aborted = true;
      resolve(makeResult(null, null));
      return;
    }

    try {
      child = spawn(program, [...args], {
        cwd: opts.cwd,
        env,
        shell: false,
        detached: useGroup, // own process group, so a timeout can end everything the program started
        stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (e) {
      reject(
        new ProcessError(`could not start ${program}: ${(e as Error).message}`, program, args, makeResult(null, null), {
          cause: e,
        }),
      );
      return;
    }

    child.on('error', (e: NodeJS.ErrnoException) => {
      // Failed to spawn (ENOENT, EACCES, bad cwd). Errors while killing are ignored.
      if (settled || child.pid !== undefined) return;
      settled = true;
      cleanup();
      reject(new ProcessError(`could not start ${program}: ${e.code ?? e.message}`, program, args, makeResult(null, null), { cause: e }));
    });

    child.stdout?.on('data', (chunk: Buffer) => {
      out.push(chunk);
      outLines.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err.push(chunk);
      errLines.push(chunk);
    });

    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // EPIPE: the program did not read all of its input; its exit status tells the rest.
      });
      child.stdin.end(opts.stdin);
    }

    child.on('exit', () => {
      exited = true;
    });

    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      cleanup();
      outLines.end();
      errLines.end();
      resolve(makeResult(code, signal));
    });

    termTimer = setTimeout(() => {
      if (settled) return;
      timedOut = true;
      terminate();
    }, opts.timeoutMs);

    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function lastLines(text: string, n: number): string[] {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  return lines.slice(-n);
}

function describeFailure(program: string, result: RunResult, timeoutMs: number): string {
  let what: string;
  if (result.timedOut) what = `timed out after ${timeoutMs} ms`;
  else if (result.aborted) what = 'was aborted';
  else if (result.signal) what = `was killed by ${result.signal}`;
  else what = `exited with code ${result.code ?? 'unknown'}`;
  const tail = stderrTails.get(result) ?? lastLines(result.stderr, STDERR_TAIL_LINES);
  return tail.length > 0 ? `${program} ${what}:\n${tail.join('\n')}` : `${program} ${what}`;
}

/** Like runProcess, but throws ProcessError unless the program exited with code 0 in time. */
export async function runChecked(opts: RunOptions): Promise<RunResult> {
  const result = await runProcess(opts);
  if (result.code !== 0 || result.timedOut || result.aborted) {
    throw new ProcessError(describeFailure(opts.program, result, opts.timeoutMs), opts.program, opts.args, result);
  }
  return result;
}
