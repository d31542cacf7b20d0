import type { CheckReport } from '@data-mesh/check';
import { escapeCell } from '@data-mesh/spec';
import { COMMENT_LIMIT, COMMENT_MARKER } from './comment';
import { plural, type Outcome } from './verdict';

/** GitHub rejects a step summary of 1 MiB or more. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface RenderContext {
  readonly outcome: Outcome;
  readonly label: string;
  /** What the run compared against, as the opening of a sentence ("Compared against ..."). */
  readonly baseDescription: string;
  /** Link to this run (its job summary holds every finding). */
  readonly runUrl?: string;
  /** The deploy plan's section (a collapsible `<details>`, from the plan-file input), shown after the verdict. */
  readonly planMarkdown?: string;
}

/** Escapes text for a Markdown table cell (the engine's rule, shared with its own tables). */
export const cell = escapeCell;

function header(report: CheckReport, ctx: RenderContext): string[] {
  const { outcome } = ctx;
  const icon = outcome.failed ? '❌' : '✅';
  const s = report.summary;
  const lines = [
    `## ${icon} mesh check`,
    '',
    outcome.headline,
    '',
    `${cell(ctx.baseDescription)}: ${plural(s.domains, 'domain')}, ${plural(s.products, 'product')}, ` +
      `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.breaking, 'breaking change')}, ${plural(report.changes.length, 'changed product')}.`,
    '',
  ];
  if (outcome.breakingAccepted) {
    lines.push(
      '> [!IMPORTANT]',
      `> A reviewer accepted the breaking changes with the \`${cell(ctx.label)}\` label: they do not fail this check.`,
      '> The consumers listed below still break when this merges: agree a migration with their owners first.',
      '',
    );
  } else if (s.breaking > 0) {
    lines.push(
      '> [!WARNING]',
      '> This pull request breaks consumers. Either keep the old port (bump the major version and add a new `...vN` port beside the deprecated one),',
      `> or, when the break is intended and agreed with the consumers, a reviewer adds the \`${cell(ctx.label)}\` label and re-runs the check.`,
      '',
    );
  }
  return lines;
}

/**
 * The engine's Markdown opens with its own title and pass/fail line, which knows nothing of
 * fail-on or the allow-breaking label: the Action's header replaces them.
 */
export function withoutEngineVerdict(markdown: string): string {
  return markdown.replace(/^\s*## Data mesh check\s*\n+(?:❌|✅) \*\*mesh check (?:failed|passed)\*\*[^\n]*\n*/u, '');
}

/** Cuts Markdown at a line boundary to fit `max` units, closing an open code fence. */
export function cutMarkdown(text: string, max: number, size: (s: string) => number, note: string): string {
  if (size(text) <= max) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let used = size(note) + 16;
  let fenceOpen = false;
  for (const line of lines) {
    const next = size(line) + 1;
    if (used + next > max) break;
    out.push(line);
    used += next;
    if (/^\s*(```|~~~)/.test(line)) fenceOpen = !fenceOpen;
  }
  if (fenceOpen) out.push('```');
  out.push('', note);
  return out.join('\n');
}

interface Budgeted {
  readonly limit: number;
  readonly size: (s: string) => number;
}

function compose(report: CheckReport, ctx: RenderContext, budget: Budgeted, prefix: string[], footer: string[]): string {
  const plan = ctx.planMarkdown ? ['### Deploy plan', '', cutMarkdown(ctx.planMarkdown.trim(), Math.floor(budget.limit / 3), budget.size, '_The plan was cut here to fit; run `mesh plan` locally for all of it._\n\n</details>'), ''] : [];
  const head = [...prefix, ...header(report, ctx), ...plan].join('\n');
  const foot = footer.join('\n');
  // The engine's report (the same Markdown as `mesh check --format markdown`): changed products
  // with their version verdicts, the impact graph, and every finding; cut to fit when huge.
  const room = budget.limit - budget.size(head) - budget.size(foot) - 64;
  const body = cutMarkdown(withoutEngineVerdict(report.markdown).trim(), room, budget.size, '_The report was cut here to fit GitHub\'s size limit; run `mesh check` locally (or see the job summary) for all of it._');
  return [head, body, '', foot].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** The pull-request comment: marker, verdict, the engine's report; under 65,536 characters. */
export function renderComment(report: CheckReport, ctx: RenderContext): string {
  const footer = ctx.runUrl ? [`<sub>Updated by [this run](${ctx.runUrl}); its job summary lists every finding.</sub>`] : [];
  return compose(report, ctx, { limit: COMMENT_LIMIT - 1, size: (s) => s.length }, [COMMENT_MARKER], footer);
}

/** The job summary: the same with room for all of the report; under 1 MiB. */
export function renderSummary(report: CheckReport, ctx: RenderContext, annotationNote?: string): string {
  const footer = annotationNote ? [annotationNote] : [];
  return compose(report, ctx, { limit: SUMMARY_LIMIT_BYTES - 1, size: (s) => Buffer.byteLength(s, 'utf8') }, [], footer);
}
