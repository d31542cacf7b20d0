import { resolveInPorts } from '../fields';
import type { Rule } from './rule';

export const piiFields: Rule = {
  code: 'MESH113',
  name: 'pii-fields',
  title: "governance.pii_fields exist in the product's schemas",
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      const fields = product.spec.spec.governance?.pii_fields ?? [];
      if (fields.length === 0 || product.outputPorts.every((p) => !p.schemaFile?.fields)) continue;
      fields.forEach((field, index) => {
        const resolution = resolveInPorts(product.outputPorts, field);
        if (resolution.ok) return;
        report({
          document: product.document,
          path: ['spec', 'governance', 'pii_fields', index],
          message:
            resolution.reason === 'ambiguous'
              ? `the PII field "${field}" is ambiguous: it names several leaves (${resolution.candidates.join('; ')})`
              : `the PII field "${field}" is in none of the product's port schemas`,
          hint: resolution.reason === 'ambiguous' ? 'write its dotted path' : 'a PII declaration that matches nothing protects nothing: fix the name',
        });
      });
    }
  },
};
