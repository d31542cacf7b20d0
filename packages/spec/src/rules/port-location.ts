import type { Rule } from './rule';

export const portLocation: Rule = {
  code: 'MESH105',
  name: 'port-location',
  title: 'A stream port names its topic, a batch port its location, and neither the other',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      for (const port of product.outputPorts) {
        const path = ['spec', 'outputPorts', port.index];
        const { type, topic, location, partitioning } = port.spec;
        const needs = type === 'stream' ? 'topic' : 'location';
        const forbidden = type === 'stream' ? 'location' : 'topic';
        if ((type === 'stream' ? topic : location) === undefined) {
          report({ document: product.document, path, anchor: 'key', message: `the ${type} port "${port.name}" has no ${needs}`, hint: type === 'stream' ? `add topic: "${product.domain}-domain.${product.name}.v<major>"` : `add location: "s3://<bucket>/${product.domain}-domain/${product.name}/v<major>/"` });
        }
        if ((type === 'stream' ? location : topic) !== undefined) {
          report({ document: product.document, path: [...path, forbidden], anchor: 'key', message: `a ${type} port has no ${forbidden}; "${port.name}" sets one` });
        }
        if (type === 'stream' && partitioning !== undefined) {
          report({ document: product.document, path: [...path, 'partitioning'], anchor: 'key', message: `partitioning applies to batch ports; "${port.name}" is a stream` });
        }
      }
    }
  },
};
