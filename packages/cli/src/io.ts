/** Where a command writes and what it knows of its terminal; tests pass their own. */
export interface Io {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour output: a TTY without NO_COLOR, or FORCE_COLOR. */
  readonly color: boolean;
  /** stderr is a terminal: long commands draw their progress there (a line redrawn in place). */
  readonly stderrIsTTY?: boolean;
  /** The environment (GITHUB_* for links to the documentation at the commit checked); none when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function processIo(): Io {
  const env = process.env;
  const color = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' ? true : Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined;
  return {
    cwd: process.cwd(),
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
    color,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env,
  };
}

/**
 * Writes to a stream whose reader may close it early (`mesh validate | head`): from the first
 * EPIPE on, output is dropped and the command runs to its usual exit code, without a stack trace.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || closed) {
      closed = true;
      return;
    }
    throw error;
  });
  return (text) => {
    if (!closed && !stream.destroyed) stream.write(text);
  };
}

/** A usage or environment error: exit code 2, a message, and what to do about it. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
