import { deprecatedPortsRead, describeReference, judgedStatus, productStatus, sunsetPassed } from '../lifecycle';
import type { DataProduct, PortReference, ProductReference } from '../model';
import type { Rule } from './rule';

export const deprecatedSource: Rule = {
  code: 'MESH123',
  name: 'deprecated-source',
  title: 'A product reading a deprecated product or port is warned with its sunset and replacement; after the sunset it is an error',
  severity: 'warning',
  scope: 'mesh',
  check({ mesh, report, subjects, now }) {
    const judge = (consumer: DataProduct, path: (string | number)[], what: string, source: DataProduct, sunset: string | undefined, replacement: ProductReference | PortReference | undefined) => {
      const passed = sunsetPassed(sunset, now);
      const moveTo = replacement ? `move to ${describeReference(replacement, source)}` : `ask ${source.spec.metadata.owner} what replaces it`;
      report({
        ...(passed ? { severity: 'error' as const } : {}),
        document: consumer.document,
        path,
        message: sunset === undefined
          ? `${consumer.id} reads ${what}, which is deprecated (no sunset date)${replacement ? `; its replacement is ${describeReference(replacement, source)}` : ''}`
          : passed
            ? `${consumer.id} reads ${what}, whose sunset ${sunset} has passed: it is no longer served${replacement ? `; its replacement is ${describeReference(replacement, source)}` : ''}`
            : `${consumer.id} reads ${what}, which is deprecated until its sunset ${sunset}${replacement ? `; its replacement is ${describeReference(replacement, source)}` : ''}`,
        hint: `${moveTo} before ${sunset ?? 'its sunset'}`,
      });
    };
    for (const consumer of subjects()) {
      if (productStatus(consumer) === 'retired') continue;
      for (const edge of consumer.inputs) {
        const source = edge.source;
        if (!source || source === consumer) continue;
        const path = ['spec', 'inputPorts', edge.index];
        const status = judgedStatus(mesh, source);
        if (status === undefined || status === 'retired') continue; // retired: MESH124
        if (status === 'deprecated') {
          judge(consumer, [...path, 'sourceProduct'], `the product ${source.id}`, source, source.spec.metadata.sunset, source.spec.metadata.replacedBy);
          continue;
        }
        if (!mesh.hasIntactPorts(source.id)) continue;
        for (const port of deprecatedPortsRead(edge)) {
          judge(consumer, [...path, edge.spec.port !== undefined ? 'port' : 'sourceProduct'], `the port ${port.name} of ${source.id}`, source, port.spec.sunset, port.spec.replacedBy);
        }
      }
    }
  },
};
