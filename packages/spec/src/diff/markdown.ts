import { escapeCell } from '../findings-markdown';
import type { DiffResult, ProductChange } from './types';

const escapeLabel = (text: string): string => text.replace(/["<>]/g, (c) => ({ '"': '#quot;', '<': '#lt;', '>': '#gt;' })[c]!);

function verdict(change: ProductChange): string {
  const { base, head, required, made } = change.version;
  if (change.change !== 'modified') return change.change;
  const ok = ['none', 'patch', 'minor', 'major'].indexOf(made) >= ['none', 'patch', 'minor', 'major'].indexOf(required);
  return `${base} → ${head}: needs ${required}, made ${made} ${ok ? '✅' : '❌'}`;
}

/**
 * A Mermaid flowchart of the changed products and the consumers they hit: an edge from a
 * changed product to each consumer, labelled with the fields it breaks.
 */
export function impactGraph(diff: DiffResult): string {
  const ids = new Map<string, string>();
  const node = (id: string) => {
    let name = ids.get(id);
    if (!name) ids.set(id, (name = `n${ids.size}`));
    return name;
  };
  const lines = ['flowchart LR'];
  const declared = new Set<string>();
  const declare = (id: string, label: readonly string[], style: string) => {
    const name = node(id);
    if (declared.has(name)) return name;
    declared.add(name);
    lines.push(`  ${name}["${label.map(escapeLabel).join('<br/>')}"]:::${style}`);
    return name;
  };
  for (const change of diff.changes) {
    const from = declare(change.product, [change.product, `${change.version.base ?? 'new'} → ${change.version.head ?? 'removed'}`], change.breaking.length > 0 ? 'breaking' : 'changed');
    for (const impact of change.impact) {
      const to = declare(impact.consumer, [impact.consumer, impact.team], 'consumer');
      const label = impact.fields.length > 0 ? impact.fields.join(', ') : impact.reason;
      lines.push(`  ${from} -- "${escapeLabel(`${impact.port}: ${label}`)}" --> ${to}`);
    }
  }
  lines.push('  classDef breaking fill:#fdd,stroke:#c00', '  classDef changed fill:#eef,stroke:#66c', '  classDef consumer fill:#ffe,stroke:#a80');
  return lines.join('\n');
}

/** The diff as GitHub Markdown: a table per changed product and the impact graph. */
export function renderDiffMarkdown(diff: DiffResult): string {
  const out: string[] = [];
  if (diff.changes.length === 0) return 'No data product changed.\n';
  out.push('| product | change | version | breaking | consumers hit |', '|---|---|---|---|---|');
  for (const change of diff.changes) {
    out.push(`| \`${change.product}\` | ${change.change} | ${escapeCell(verdict(change))} | ${change.breaking.length} | ${change.impact.map((i) => `\`${i.consumer}\` (${i.team})`).join(', ') || '—'} |`);
  }
  out.push('', '```mermaid', impactGraph(diff), '```', '');
  for (const change of diff.changes) {
    out.push(`### \`${change.product}\``, '');
    const sections: [string, readonly string[]][] = [
      ['Breaking', change.breaking],
      ['Governance weakened', change.governance],
      ['Additive', change.additive],
      ['Safe for consumers', change.safe.map((s) => `${s.port}: ${s.change} (${s.evidence})`)],
    ];
    for (const [title, items] of sections) {
      if (items.length === 0) continue;
      out.push(`**${title}**`, '', ...items.map((i) => `- ${escapeCell(i)}`), '');
    }
    if (change.impact.length > 0) {
      out.push('| consumer | team | on-call | port | reads |', '|---|---|---|---|---|');
      for (const i of change.impact) out.push(`| \`${i.consumer}\` | ${i.team} | ${i.oncall} | ${i.port} | ${escapeCell(i.fields.join(', ') || i.reason)} |`);
      out.push('');
    }
  }
  return out.join('\n');
}
