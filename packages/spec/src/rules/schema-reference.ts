import { schemaFileFor } from '../load';
import type { Rule } from './rule';

export const schemaReference: Rule = {
  code: 'MESH106',
  name: 'schema-reference',
  title: 'Port schemas resolve to domains/<domain>/schemas/<subject>.avsc and parse as Avro',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const { document, errors } of mesh.avroErrors) {
      for (const error of errors) {
        report({
          document,
          ...(error.offset !== undefined ? { position: document.positionAt(error.offset) } : { path: error.jsonPath }),
          message: `not a valid Avro schema: ${error.message}`,
        });
      }
    }
    for (const product of mesh.judgedProducts()) {
      for (const port of product.outputPorts) {
        const path = ['spec', 'outputPorts', port.index, 'schema'];
        const target = schemaFileFor(port.spec.schema);
        if (!target) continue;
        const status = port.schemaFile?.status;
        if (status === 'missing') {
          report({
            document: product.document,
            path,
            message: `the schema ${port.spec.schema} does not exist: ${target.file} is missing`,
            hint: `add the Avro schema at ${target.file}`,
          });
        } else if (status === 'invalid') {
          report({ document: product.document, path, message: `the schema ${port.spec.schema} (${target.file}) is not valid Avro; see the findings in that file` });
        }
      }
    }
  },
};
