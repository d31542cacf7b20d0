import type { Rule } from './rule';

export const uniquePortNames: Rule = {
  code: 'MESH104',
  name: 'unique-port-names',
  title: 'Output port names are unique within a product',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      const first = new Map<string, number>();
      for (const port of product.outputPorts) {
        const earlier = first.get(port.name);
        if (earlier === undefined) first.set(port.name, port.index);
        else report({ document: product.document, path: ['spec', 'outputPorts', port.index, 'name'], message: `the output port name "${port.name}" is already used by outputPorts[${earlier}]` });
      }
    }
  },
};
