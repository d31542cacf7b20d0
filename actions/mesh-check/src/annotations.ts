import type { Diagnostic } from '@data-mesh/spec';
import { isChangedFile, isChangedLine, type ChangedLines } from './changed-lines';
import { workflowCommand } from './workflow-commands';

/** GitHub shows at most 10 annotations of each level per step and drops the rest silently. */
export const ANNOTATION_LIMIT = 10;

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;

export interface AnnotationPlan {
  /** What is shown, changed lines first. */
  readonly shown: readonly Diagnostic[];
  /** How many findings of each severity did not fit. */
  readonly omitted: { readonly error: number; readonly warning: number; readonly info: number };
  /** The workflow command lines to print, the overflow notice last. */
  readonly lines: readonly string[];
}

/** 0: on a changed line, 1: in a changed file, 2: elsewhere (a change can break files it did not touch). */
export function proximity(d: Diagnostic, changed: ChangedLines | undefined): number {
  if (isChangedLine(changed, d.file, d.line)) return 0;
  return isChangedFile(changed, d.file) ? 1 : 2;
}

/**
 * Picks the annotations one step may show: per severity the first ten, findings on changed
 * lines first, then in changed files, then the rest (each group in the report's order). One
 * notice slot is kept for the line that counts what did not fit.
 */
export function planAnnotations(
  diagnostics: readonly Diagnostic[],
  changed: ChangedLines | undefined,
  limit = ANNOTATION_LIMIT,
  /** The documentation link of a code, added to each annotation. */
  docsUrl?: (code: string) => string,
): AnnotationPlan {
  const ranked = diagnostics
    .map((d, index) => ({ d, index, rank: proximity(d, changed) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index);
  const count = { error: 0, warning: 0, info: 0 };
  const omitted = { error: 0, warning: 0, info: 0 };
  const shown: Diagnostic[] = [];
  const total = { error: 0, warning: 0, info: 0 };
  for (const { d } of ranked) total[d.severity]++;
  const overflow = total.error > limit || total.warning > limit || total.info > limit;
  const noticeLimit = overflow ? limit - 1 : limit;
  for (const { d } of ranked) {
    const max = d.severity === 'info' ? noticeLimit : limit;
    if (count[d.severity] < max) {
      count[d.severity]++;
      shown.push(d);
    } else {
      omitted[d.severity]++;
    }
  }
  const lines = shown.map((d) => renderAnnotation(d, docsUrl));
  const dropped = omitted.error + omitted.warning + omitted.info;
  if (dropped > 0) {
    const parts = [
      omitted.error && `${omitted.error} error${omitted.error === 1 ? '' : 's'}`,
      omitted.warning && `${omitted.warning} warning${omitted.warning === 1 ? '' : 's'}`,
      omitted.info && `${omitted.info} note${omitted.info === 1 ? '' : 's'}`,
    ].filter(Boolean);
    lines.push(
      workflowCommand(
        'notice',
        { title: 'mesh check: more findings' },
        `${dropped} more finding${dropped === 1 ? '' : 's'} (${parts.join(', ')}) did not fit GitHub's limit of ${limit} annotations per level and step; the job summary lists them all.`,
      ),
    );
  }
  return { shown, omitted, lines };
}

export function renderAnnotation(d: Diagnostic, docsUrl?: (code: string) => string): string {
  const message = `${d.hint ? `${d.message}\nhint: ${d.hint}` : d.message}${docsUrl ? `\n${d.code}: ${docsUrl(d.code)}` : ''}`;
  return workflowCommand(
    LEVEL[d.severity],
    { file: d.file, line: d.line, col: d.column, title: `${d.code}` },
    message,
  );
}
