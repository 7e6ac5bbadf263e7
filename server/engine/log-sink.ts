// Where the engine's tools send every line they print: the ticket log (stored and streamed live).

export interface LogLine {
  /** The step: stage, release, rollback, git, … */
  step: string;
  /** The target's name when the line concerns one host. */
  host?: string;
  /** stdout and stderr of a process, or info for Gantry's own notes. */
  stream: 'stdout' | 'stderr' | 'info';
  line: string;
}

export type LogSink = (line: LogLine) => void;

/** A sink that drops everything (for callers that need no log). */
export const discardLog: LogSink = () => {};
