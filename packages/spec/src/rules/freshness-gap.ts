import { consumedPorts } from '../lineage';
import type { OutputPort } from '../model';
import { formatDuration, worstCaseStalenessMs } from '../sla';
import type { Rule } from './rule';

/** The input port with the smallest worst-case staleness, if any port's freshness parses. */
export function freshestPort(ports: readonly OutputPort[]): { port: OutputPort; stalenessMs: number } | undefined {
  let best: { port: OutputPort; stalenessMs: number } | undefined;
  for (const port of ports) {
    if (!port.freshness) continue;
    const stalenessMs = worstCaseStalenessMs(port.freshness);
    if (!best || stalenessMs < best.stalenessMs) best = { port, stalenessMs };
  }
  return best;
}

export const freshnessGap: Rule = {
  code: 'MESH111',
  name: 'freshness-gap',
  title: "Each input's freshest port promises strictly fresher data than every output port",
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const product of subjects()) {
      for (const edge of product.inputs) {
        if (!edge.source || !mesh.hasIntactPorts(edge.source.id)) continue;
        const upstream = freshestPort(consumedPorts(edge));
        if (!upstream) continue;
        for (const port of product.outputPorts) {
          if (!port.freshness) continue;
          const promised = worstCaseStalenessMs(port.freshness);
          if (upstream.stalenessMs < promised) continue;
          report({
            document: product.document,
            path: ['spec', 'outputPorts', port.index, 'sla', 'freshness'],
            message:
              `unresolvable contract gap: "${port.name}" promises "${port.spec.sla.freshness}" (at worst ${formatDuration(promised)} old), ` +
              `but its input ${edge.source.id} promises at best "${upstream.port.spec.sla.freshness}" on "${upstream.port.name}" (${formatDuration(upstream.stalenessMs)})`,
            hint: `loosen this port's freshness beyond ${formatDuration(upstream.stalenessMs)}, or agree a fresher port with the owners of ${edge.source.id}`,
          });
        }
      }
    }
  },
};
