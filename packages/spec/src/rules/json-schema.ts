import type { Rule } from './rule';

export const jsonSchema: Rule = {
  code: 'MESH101',
  name: 'json-schema',
  title: 'Documents match the JSON Schema of their kind (keys, types, enums, names)',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const { document, violations } of mesh.invalid) {
      for (const violation of violations) {
        report({ document, path: violation.path, anchor: violation.atKey ? 'key' : 'value', message: violation.message, hint: violation.hint });
      }
    }
  },
};
