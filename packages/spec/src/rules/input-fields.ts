import { resolveInPorts } from '../fields';
import { consumedPorts } from '../lineage';
import type { Rule } from './rule';

export const inputFields: Rule = {
  code: 'MESH109',
  name: 'input-fields',
  title: "Every field an input port reads exists in the source's output-port schemas",
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const product of subjects()) {
      for (const edge of product.inputs) {
        if (!edge.source || !mesh.hasIntactPorts(edge.source.id)) continue;
        const ports = consumedPorts(edge);
        if (ports.length === 0 || ports.every((p) => !p.schemaFile?.fields)) continue;
        edge.spec.fields.forEach((field, index) => {
          const resolution = resolveInPorts(ports, field);
          if (resolution.ok) return;
          const path = ['spec', 'inputPorts', edge.index, 'fields', index];
          if (resolution.reason === 'ambiguous') {
            report({
              document: product.document,
              path,
              message: `the field "${field}" is ambiguous in ${edge.spec.sourceProduct}: it names several leaves`,
              hint: `write the dotted path of the one you read: ${resolution.candidates.join('; ')}`,
            });
          } else {
            report({
              document: product.document,
              path,
              message: `${edge.spec.sourceProduct} has no field "${field}" in ${edge.spec.port ? `its port ${edge.spec.port}` : 'any of its output ports'}`,
              hint: resolution.candidates.length ? `did you mean: ${resolution.candidates.slice(0, 5).join(', ')}?` : undefined,
            });
          }
        });
      }
    }
  },
};
