import type { Diagnostic } from '@data-mesh/spec';

export type FailOn = 'error' | 'warning' | 'never';

/**
 * What the allow-breaking label accepts: compatibility and impact findings (MESH2xx), and the
 * findings in the spec of a consumer the engine lists as broken by this change (a consumer
 * reading a removed field no longer validates: that is the break the reviewer accepted).
 */
export function isBreakingFinding(d: Diagnostic, brokenConsumers: readonly string[] = []): boolean {
  if (/^MESH2\d\d$/.test(d.code)) return true;
  return brokenConsumers.some((c) => d.file === `domains/${c}/data-product.yaml`);
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
  /** `<domain>/<product>` of every consumer the change breaks (CheckReport.changes[].impact[].consumer). */
  readonly brokenConsumers?: readonly string[];
}

/**
 * Whether the step fails. With the allow-breaking label on the pull request, breaking findings
 * (see isBreakingFinding) do not count; every other finding still does.
 */
export function decideOutcome(input: OutcomeInput): Outcome {
  const consumers = input.brokenConsumers ?? [];
  const breaking = (d: Diagnostic) => isBreakingFinding(d, consumers);
  const breakingAccepted = input.labelled && (input.breaking > 0 || input.diagnostics.some(breaking));
  const counted = input.labelled ? input.diagnostics.filter((d) => !breaking(d)) : input.diagnostics;
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
