import type { Diagnostic } from '@data-mesh/spec';

export type FailOn = 'error' | 'warning' | 'never';

/** Compatibility and impact findings (MESH2xx): what the allow-breaking label accepts. */
export function isBreakingFinding(d: Diagnostic): boolean {
  return /^MESH2\d\d$/.test(d.code);
}

export interface Outcome {
  readonly failed: boolean;
  /** One line for the log, the summary and the comment. */
  readonly headline: string;
  /** Errors that count towards failing the step (breaking findings excluded when accepted). */
  readonly blockingErrors: number;
  readonly blockingWarnings: number;
  /** Whether a reviewer's label accepted the breaking changes of this run. */
  readonly breakingAccepted: boolean;
}

export interface OutcomeInput {
  readonly diagnostics: readonly Diagnostic[];
  readonly breaking: number;
  readonly failOn: FailOn;
  /** The allow-breaking label is on the pull request. */
  readonly labelled: boolean;
  readonly label: string;
}

/**
 * Whether the step fails. With the allow-breaking label on the pull request, breaking findings
 * (MESH2xx) do not count; every other finding still does.
 */
export function decideOutcome(input: OutcomeInput): Outcome {
  const breakingAccepted = input.labelled && (input.breaking > 0 || input.diagnostics.some(isBreakingFinding));
  const counted = input.labelled ? input.diagnostics.filter((d) => !isBreakingFinding(d)) : input.diagnostics;
  const blockingErrors = counted.filter((d) => d.severity === 'error').length;
  const blockingWarnings = counted.filter((d) => d.severity === 'warning').length;
  const failed =
    input.failOn === 'never' ? false : input.failOn === 'warning' ? blockingErrors + blockingWarnings > 0 : blockingErrors > 0;
  const counts = `${plural(blockingErrors, 'error')}, ${plural(blockingWarnings, 'warning')}`;
  const accepted = breakingAccepted ? ` Breaking changes accepted by the \`${input.label}\` label.` : '';
  const headline = failed
    ? `mesh check failed: ${counts} (fail-on: ${input.failOn}).${accepted}`
    : `mesh check passed: ${counts} (fail-on: ${input.failOn}).${accepted}`;
  return { failed, headline, blockingErrors, blockingWarnings, breakingAccepted };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
