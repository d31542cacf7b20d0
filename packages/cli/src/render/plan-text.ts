import { planHeadline, type DeployPlan, type ResourceAction } from '@data-mesh/spec';

const SIGN: Record<ResourceAction, string> = { add: '+', modify: '~', replace: '!', 'may-replace': '?', remove: '-', orphan: '-' };
const WORD: Record<ResourceAction, string> = { add: 'add', modify: 'modify', replace: 'REPLACE', 'may-replace': 'may replace', remove: 'REMOVE', orphan: 'orphan' };

/** The deploy plan for a terminal: per stack, one line per resource change, then the permission changes. */
export function renderPlanText(plan: DeployPlan): string {
  const lines: string[] = [`Deploy plan ${plan.base.ref} (${plan.base.commit.slice(0, 12)}) -> ${plan.head.workTree ? 'work tree' : `${plan.head.ref ?? ''} (${plan.head.commit.slice(0, 12)})`}: ${planHeadline(plan)}`, `  ${plan.scope.reason}`];
  for (const stack of plan.stacks) {
    const resources = plan.resources.filter((r) => r.stack === stack.name);
    const permissions = plan.permissions.filter((p) => p.stack === stack.name);
    if (resources.length === 0 && permissions.length === 0) continue;
    lines.push('', `${stack.name} (${stack.status}, ${stack.resources} resources)`);
    for (const r of resources) {
      const owner = r.product ? `  [${r.product}${r.port ? ` ${r.port}` : ''}]` : r.domain ? `  [domain ${r.domain}]` : '';
      const detail = r.replacing?.length ? ` (replaced by ${r.replacing.join(', ')})` : r.action === 'modify' && r.properties.length ? ` (${r.properties.join(', ')})` : '';
      const fate = r.dataFate ? (r.dataFate === 'lost' ? '  DATA LOST' : '  data retained, resource orphaned') : '';
      lines.push(`  ${SIGN[r.action]} ${WORD[r.action].padEnd(11)} ${r.logicalId}  ${r.type}${detail}${owner}${fate}`);
    }
    for (const p of permissions) {
      const what = p.kind === 'iam' ? `IAM ${p.effect ?? ''}` : 'Lake Formation';
      lines.push(`  ${p.change === 'added' ? '+' : '-'} ${what} ${p.principal}: ${p.actions.join(', ')} on ${p.resource.replace(/\n/g, ', ')}${p.condition ? ` when ${p.condition}` : ''}`);
    }
  }
  const t = plan.timings;
  lines.push('', `synthesized base in ${(t.baseMs / 1000).toFixed(1)} s, head in ${(t.headMs / 1000).toFixed(1)} s, diffed in ${(t.diffMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
