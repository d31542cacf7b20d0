import { renderDiffMarkdown, renderFindingsTable, type Diagnostic, type DiffResult, type ProductChange } from '@data-mesh/spec';
import type { CheckReport, CheckScope } from './report';

/** The PR comment / job summary body. */
export function renderCheckMarkdown(report: {
  diagnostics: readonly Diagnostic[];
  summary: CheckReport['summary'];
  changes: readonly ProductChange[];
  diff?: DiffResult;
  scope?: CheckScope;
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
  if (report.scope) out.push('', `<sub>${describeScope(report.scope, summary.products)}</sub>`);
  return out.join('\n');
}

/** One line: what the run checked, so that a reader knows what a pass covers. */
export function describeScope(scope: CheckScope, products: number): string {
  const data = scope.dataChecked === undefined
    ? ''
    : ` Quality rules ran on the samples of ${scope.dataChecked.length} product(s)${scope.mode === 'change' ? ' whose spec, schemas or samples changed' : ''}.`;
  if (scope.mode === 'full') return `Checked every product (${products}) through every rule.${data}`;
  const changed = scope.changed?.length ?? 0;
  const readers = scope.readers?.length ?? 0;
  return (
    `Checked what the change reaches: every rule on ${changed} changed product(s), the rules across products on all ${products} ` +
    `(${readers} reader(s) of the change among them), policy probes and standards on ${scope.allPolicies ? 'every product (the policies changed)' : 'the changed products'}.${data} ` +
    'The other products are as the base has them; `mesh check --full` checks every product.'
  );
}
