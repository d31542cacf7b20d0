import { consumedPorts } from '../../lineage';
import { formatDuration, worstCaseStalenessMs } from '../../sla';
import { freshestPort } from '../../rules/freshness-gap';
import type { ChangeRule } from '../context';

export const downstreamSlaGap: ChangeRule = {
  code: 'MESH206',
  name: 'downstream-sla-gap',
  title: 'A change of freshness opens no contract gap in a downstream product',
  severity: 'error',
  check(product, sink) {
    if (!product.base || !product.head) return;
    for (const edge of product.consumers()) {
      const before = freshestPort(consumedPorts({ ...edge, source: product.base }));
      const after = freshestPort(consumedPorts({ ...edge, source: product.head }));
      if (!after || (before && after.stalenessMs <= before.stalenessMs)) continue;
      for (const port of edge.consumer.outputPorts) {
        if (!port.freshness) continue;
        const promised = worstCaseStalenessMs(port.freshness);
        if (after.stalenessMs < promised || (before && before.stalenessMs >= promised)) continue;
        const { team, oncall } = product.team(edge.consumer.id);
        sink.impact({ consumer: edge.consumer.id, team, oncall, port: after.port.name, fields: [], reason: `its port ${port.name} promises "${port.spec.sla.freshness}", now unreachable` });
        sink.report({
          document: product.head.document,
          path: ['spec', 'outputPorts', after.port.index, 'sla', 'freshness'],
          message: `this opens a contract gap downstream: ${edge.consumer.id} (team ${team}) promises "${port.spec.sla.freshness}" on "${port.name}" but its input would now be up to ${formatDuration(after.stalenessMs)} old`,
          hint: `agree a looser SLA with ${team} first, or keep this port's freshness`,
        });
      }
    }
  },
};
