import { parseFreshness, parseUptime } from '../sla';
import type { Rule } from './rule';

export const slaGrammar: Rule = {
  code: 'MESH110',
  name: 'sla-grammar',
  title: 'SLA freshness and uptime are written in the SLA grammar',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      for (const port of product.outputPorts) {
        const path = ['spec', 'outputPorts', port.index, 'sla'];
        const freshness = parseFreshness(port.spec.sla.freshness);
        if (!freshness.ok) report({ document: product.document, path: [...path, 'freshness'], message: freshness.message });
        const uptime = parseUptime(port.spec.sla.uptime);
        if (!uptime.ok) report({ document: product.document, path: [...path, 'uptime'], message: uptime.message });
      }
    }
  },
};
