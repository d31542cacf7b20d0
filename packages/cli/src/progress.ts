import type { Io } from './io';

/** Progress of a long command, on stderr: never on stdout, so `--format json` stays one document. */
export interface Progress {
  /** Where the command is now; `detail` (a count) may change often, the step rarely. */
  update(step: string, detail?: string): void;
  /** Clears the line drawn in place (a terminal), before the command prints its result. */
  end(): void;
}

const QUIET: Progress = { update: () => undefined, end: () => undefined };
/** Redraws on a terminal at most this often: a count updated per product costs nothing visible. */
const REDRAW_MS = 80;

/**
 * Progress on stderr when it is a terminal (redrawn in place), or when asked with `--progress`
 * (then one line per step, with the time since the start: for CI logs); never with `--no-progress`.
 */
export function progressOn(io: Io, wanted: boolean | undefined, label: string, now: () => number = () => performance.now()): Progress {
  const enabled = wanted ?? io.stderrIsTTY === true;
  if (!enabled) return QUIET;
  const start = now();
  const elapsed = () => `${((now() - start) / 1000).toFixed(1)} s`;
  if (io.stderrIsTTY) {
    let drawn = false;
    let last = -Infinity;
    let lastStep = '';
    return {
      update(step, detail) {
        const t = now();
        if (step === lastStep && t - last < REDRAW_MS) return;
        last = t;
        lastStep = step;
        io.stderr(`\r\x1b[K${label}: ${step}${detail ? ` ${detail}` : ''} (${elapsed()})`);
        drawn = true;
      },
      end() {
        if (drawn) io.stderr('\r\x1b[K');
        drawn = false;
      },
    };
  }
  let lastStep: string | undefined;
  return {
    update(step) {
      if (step === lastStep) return;
      lastStep = step;
      io.stderr(`${label}: ${step} (${elapsed()})\n`);
    },
    end() {
      if (lastStep !== undefined) io.stderr(`${label}: done (${elapsed()})\n`);
      lastStep = undefined;
    },
  };
}
