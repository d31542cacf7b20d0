import type { Diagnostic } from './diagnostics';

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const;
const MAX_ROWS = 100;

/**
 * Text made safe for one cell of a Markdown table in a pull request: no pipes, no line breaks,
 * no HTML and no @-mentions (a spec's text must not ping a team or inject markup).
 */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** Findings as a Markdown table, errors first, at most MAX_ROWS rows. */
export function renderFindingsTable(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return 'No findings.\n';
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const rows = [...diagnostics].sort((a, b) => rank[a.severity] - rank[b.severity]).slice(0, MAX_ROWS);
  const more = diagnostics.length - rows.length;
  return [
    '| | code | where | finding |',
    '|---|---|---|---|',
    ...rows.map((d) => `| ${ICON[d.severity]} | ${d.code} | \`${d.file}:${d.line}\` | ${escapeCell(d.message)}${d.hint ? `<br/>_${escapeCell(d.hint)}_` : ''} |`),
    ...(more > 0 ? [``, `…and ${more} more (see the job's annotations).`] : []),
    '',
  ].join('\n');
}
