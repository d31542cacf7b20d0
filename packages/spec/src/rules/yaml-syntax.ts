import type { Rule } from './rule';

export const yamlSyntax: Rule = {
  code: 'MESH100',
  name: 'yaml-syntax',
  title: 'Files are UTF-8, within the size limit, and well-formed YAML without duplicate keys or alias bombs',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const { file, failure } of mesh.unreadable) {
      report({ file, position: failure.position, message: failure.message, hint: failure.hint });
    }
  },
};
