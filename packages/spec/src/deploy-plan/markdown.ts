import { escapeCell } from '../findings-markdown';
import type { DeployPlan, PlannedResource, ResourceAction } from './types';

const MAX_ROWS = 150;

const ACTION: Record<ResourceAction, string> = {
  add: '🟢 add',
  modify: '🟡 modify',
  replace: '🔴 replace',
  'may-replace': '🟠 may replace',
  remove: '🔴 remove',
  orphan: '🟠 orphan',
};

const FATE = { 'retained-orphaned': 'data retained, resource orphaned', lost: 'data lost' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line: what the merge deploys, counted. */
export function planHeadline(plan: DeployPlan): string {
  const s = plan.summary;
  if (s.added + s.modified + s.replaced + s.removed + s.permissionsAdded + s.permissionsRemoved === 0) return 'no infrastructure change';
  const endangered = plan.resources.filter((r) => r.dataFate).length;
  return [
    `${s.added} added, ${s.modified} modified, ${s.replaced} replaced, ${s.removed} removed`,
    `${plural(s.permissionsAdded + s.permissionsRemoved, 'permission change')}${s.broadened ? ' (widened)' : ''}`,
    ...(endangered ? [`${plural(endangered, 'stateful resource')} replaced or removed`] : []),
  ].join(', ');
}

function order(r: PlannedResource): number {
  return (r.dataFate ? 0 : 10) + ['replace', 'may-replace', 'remove', 'orphan', 'modify', 'add'].indexOf(r.action);
}

/**
 * The plan as a collapsible Markdown section (`<details>`) for a pull request: the stacks,
 * every resource change (data-losing ones first) and every permission change. Spec text is
 * escaped; at most MAX_ROWS rows per table.
 */
export function renderPlanMarkdown(plan: DeployPlan, options: { open?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`<details${options.open ? ' open' : ''}><summary><b>Deploy plan</b>: ${escapeCell(planHeadline(plan))}</summary>`, '');
  const head = plan.head.workTree ? `the work tree on ${plan.head.commit.slice(0, 12)}` : `${escapeCell(plan.head.ref ?? plan.head.commit)} (${plan.head.commit.slice(0, 12)})`;
  lines.push(`What CloudFormation would do when this merges: the templates of ${escapeCell(plan.base.ref)} (${plan.base.commit.slice(0, 12)}) against ${head}, diffed with the AWS CDK's diff. ${escapeCell(plan.scope.reason)}`, '');
  const stacks = plan.stacks.filter((s) => s.status !== 'unchanged');
  const unchanged = plan.stacks.length - stacks.length;
  lines.push(`Stacks: ${stacks.map((s) => `\`${escapeCell(s.name)}\` (${s.status})`).join(', ') || 'none changed'}${unchanged ? `; ${plural(unchanged, 'stack')} synthesized without change` : ''}.`, '');
  const resources = [...plan.resources].sort((a, b) => order(a) - order(b) || (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0) || (a.logicalId < b.logicalId ? -1 : 1));
  if (resources.length > 0) {
    lines.push('| change | stack | logical id | type | product | what changes |', '|---|---|---|---|---|---|');
    for (const r of resources.slice(0, MAX_ROWS)) {
      const what = [
        r.dataFate ? (r.action === 'may-replace' ? `if replaced: ${FATE[r.dataFate]}` : `**${FATE[r.dataFate]}**`) : '',
        r.replacing?.length ? `replaced by ${r.replacing.map(escapeCell).join(', ')}` : '',
        r.action === 'modify' && r.properties.length ? r.properties.map(escapeCell).join(', ') : '',
      ].filter(Boolean).join('; ');
      const owner = r.product ? `${escapeCell(r.product)}${r.port ? ` (${escapeCell(r.port)})` : ''}` : r.domain ? `domain ${escapeCell(r.domain)}` : '';
      lines.push(`| ${ACTION[r.action]} | ${escapeCell(r.stack)} | \`${escapeCell(r.logicalId)}\` | ${escapeCell(r.type)} | ${owner} | ${what} |`);
    }
    if (resources.length > MAX_ROWS) lines.push('', `…and ${resources.length - MAX_ROWS} more resources (run \`mesh plan\` for all of them).`);
    lines.push('');
  }
  if (plan.permissions.length > 0) {
    lines.push(`**Permissions**${plan.summary.broadened ? ' (this change widens access)' : ''}:`, '');
    lines.push('| | kind | stack | principal | actions | resource |', '|---|---|---|---|---|---|');
    for (const p of plan.permissions.slice(0, MAX_ROWS)) {
      const condition = p.condition ? `<br/>when ${escapeCell(p.condition)}` : '';
      lines.push(`| ${p.change === 'added' ? '➕' : '➖'} | ${p.kind === 'iam' ? `IAM ${escapeCell(p.effect ?? '')}` : 'Lake Formation'} | ${escapeCell(p.stack)} | ${escapeCell(p.principal)}${p.product ? ` (${escapeCell(p.product)})` : ''} | ${p.actions.map(escapeCell).join(', ')} | ${escapeCell(p.resource)}${condition} |`);
    }
    if (plan.permissions.length > MAX_ROWS) lines.push('', `…and ${plan.permissions.length - MAX_ROWS} more permission changes.`);
    lines.push('');
  }
  lines.push('</details>', '');
  return lines.join('\n');
}
