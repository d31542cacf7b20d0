import { renderDiffMarkdown, renderFindingsTable, type Diagnostic, type DiffResult, type ProductChange } from '@data-mesh/spec';
import type { CheckReport } from './report';

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
