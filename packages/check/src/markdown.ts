import { renderDiffMarkdown, type Diagnostic, type DiffResult, type ProductChange } from '@data-mesh/spec';
import type { CheckReport } from './report';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;
const MAX_ROWS = 100;
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Findings as a Markdown table, errors first, at most MAX_ROWS rows. */
export function renderFindingsTable(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return 'No findings.\n';
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const rows = [...diagnostics].sort((a, b) => rank[a.severity] - rank[b.severity]).slice(0, MAX_ROWS);
  const more = diagnostics.length - rows.length;
  return [
    '| | code | where | finding |',
    '|---|---|---|---|',
    ...rows.map((d) => `| ${ICON[d.severity]} | ${d.code} | \`${d.file}:${d.line}\` | ${cell(d.message)}${d.hint ? `<br/>_${cell(d.hint)}_` : ''} |`),
    ...(more > 0 ? [``, `…and ${more} more (see the job's annotations).`] : []),
    '',
  ].join('\n');
}

/** The PR comment / job summary body. */
export function renderCheckMarkdown(report: {
  diagnostics: readonly Diagnostic[];
  summary: CheckReport['summary'];
  changes: readonly ProductChange[];
  diff?: DiffResult;
}): string {
  const { summary } = report;
  const verdict = summary.errors > 0 ? '❌ **mesh check failed**' : '✅ **mesh check passed**';
  const out = [
    `## Data mesh check`,
    '',
    `${verdict}: ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.breaking} breaking change(s) in ${summary.products} products across ${summary.domains} domains.`,
    '',
  ];
  if (report.diff) out.push('### Changed products', '', renderDiffMarkdown(report.diff));
  out.push('### Findings', '', renderFindingsTable(report.diagnostics));
  return out.join('\n');
}
