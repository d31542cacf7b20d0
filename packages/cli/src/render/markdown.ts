import type { Diagnostic } from '@data-mesh/spec';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;

/** Findings as a Markdown table (GitHub), errors first. */
export function renderFindingsMarkdown(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return 'No findings.\n';
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const rows = [...diagnostics].sort((a, b) => rank[a.severity] - rank[b.severity]);
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return ['| | code | where | finding |', '|---|---|---|---|', ...rows.map((d) => `| ${ICON[d.severity]} | ${d.code} | \`${d.file}:${d.line}\` | ${cell(d.message)}${d.hint ? `<br/>_${cell(d.hint)}_` : ''} |`), ''].join('\n');
}
