import { formatDuration, formatUptime, worstCaseStalenessMs } from '../../sla';
import type { ChangeRule } from '../context';

export const slaLoosened: ChangeRule = {
  code: 'MESH205',
  name: 'sla-loosened',
  title: "A port's freshness bound is not raised and its uptime not lowered",
  severity: 'error',
  check: {
    port(port, sink) {
      const before = port.base.freshness && worstCaseStalenessMs(port.base.freshness);
      const after = port.head.freshness && worstCaseStalenessMs(port.head.freshness);
      if (before !== undefined && after !== undefined && after !== before) {
        if (after > before) {
          sink.breaking(`${port.head.name}: freshness loosened from "${port.base.spec.sla.freshness}" to "${port.head.spec.sla.freshness}"`);
          sink.report({
            document: port.product.head!.document,
            path: port.path('sla', 'freshness'),
            message: `the freshness of "${port.head.name}" is loosened from "${port.base.spec.sla.freshness}" (${formatDuration(before)}) to "${port.head.spec.sla.freshness}" (${formatDuration(after)})`,
            hint: 'consumers built on the old promise; a looser SLA is a breaking change',
          });
        } else sink.additive(`${port.head.name}: freshness tightened to "${port.head.spec.sla.freshness}"`);
      }
      const { uptime: was } = port.base;
      const { uptime: is } = port.head;
      if (was !== undefined && is !== undefined && is !== was) {
        if (is < was) {
          sink.breaking(`${port.head.name}: uptime lowered from ${formatUptime(was)} to ${formatUptime(is)}`);
          sink.report({
            document: port.product.head!.document,
            path: port.path('sla', 'uptime'),
            message: `the uptime of "${port.head.name}" is lowered from ${port.base.spec.sla.uptime} to ${port.head.spec.sla.uptime}`,
            hint: 'consumers built on the old promise; a lower uptime is a breaking change',
          });
        } else sink.additive(`${port.head.name}: uptime raised to ${formatUptime(is)}`);
      }
    },
  },
};
