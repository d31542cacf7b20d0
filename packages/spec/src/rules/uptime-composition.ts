import { consumedPorts } from '../lineage';
import { formatUptime } from '../sla';
import type { Rule } from './rule';

export const uptimeComposition: Rule = {
  code: 'MESH112',
  name: 'uptime-composition',
  title: "The product of the inputs' uptimes is not below an output port's uptime",
  severity: 'warning',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const product of subjects()) {
      let composed = 1;
      const parts: string[] = [];
      for (const edge of product.inputs) {
        if (!edge.source || !mesh.hasIntactPorts(edge.source.id)) continue;
        let best: number | undefined;
        for (const port of consumedPorts(edge)) if (port.uptime !== undefined && (best === undefined || port.uptime > best)) best = port.uptime;
        if (best === undefined) continue;
        composed *= best;
        parts.push(`${edge.source.id} ${formatUptime(best)}`);
      }
      if (parts.length === 0) continue;
      for (const port of product.outputPorts) {
        if (port.uptime === undefined || composed >= port.uptime - 1e-12) continue;
        report({
          document: product.document,
          path: ['spec', 'outputPorts', port.index, 'sla', 'uptime'],
          message: `"${port.name}" promises ${port.spec.sla.uptime} uptime, but its inputs together offer ${formatUptime(composed)} (${parts.join(' x ')})`,
          hint: 'lower the promise, or make sure the port survives an input outage (e.g. serves its last good data)',
        });
      }
    }
  },
};
