import { resolvePortColumn, SUBJECT_ID_TYPES } from '../lifecycle-fields';
import type { Rule } from './rule';

export const subjectIdFieldRule: Rule = {
  code: 'MESH120',
  name: 'subject-id-field',
  title: 'A product subject to erasure names its subject-id field, and every port has it',
  severity: 'error',
  scope: 'product',
  check({ subjects, report }) {
    for (const product of subjects()) {
      const governance = product.spec.spec.governance;
      if (!governance) continue;
      const field = governance.subject_id_field;
      const at = ['spec', 'governance', 'subject_id_field'];
      if (governance.gdpr_subject_to_erasure !== true) {
        if (field !== undefined) {
          report({ document: product.document, path: at, severity: 'warning', message: 'subject_id_field is set but gdpr_subject_to_erasure is not true: no erasure deletes by it', hint: 'set gdpr_subject_to_erasure: true, or remove subject_id_field' });
        }
        continue;
      }
      if (field === undefined) {
        report({
          document: product.document, path: ['spec', 'governance', 'gdpr_subject_to_erasure'],
          message: `${product.id} is subject to erasure but does not name its subject-id field: the erasure job cannot find an erased subject's rows`,
          hint: "add governance.subject_id_field: <the field holding the person's id, e.g. customer_id>",
        });
        continue;
      }
      for (const port of product.outputPorts) {
        const column = resolvePortColumn(port, field);
        if (column.ok) {
          const { type, logicalType } = column.field;
          if (!(SUBJECT_ID_TYPES as readonly string[]).includes(type) || (logicalType !== undefined && logicalType !== 'uuid')) {
            report({ document: product.document, path: at, message: `subject_id_field "${field}" is ${logicalType ?? type} in port ${port.name}; a subject id is a string, int or long`, hint: 'name the field holding the id itself' });
          }
          continue;
        }
        if (column.reason === 'no-schema') continue; // the schema rules report it
        const message = {
          'not-found': `subject_id_field "${field}" is not in port ${port.name}'s schema: erasures could not find a subject's records there`,
          ambiguous: `subject_id_field "${field}" is ambiguous in port ${port.name}: ${column.candidates.join(', ')}`,
          'in-collection': `subject_id_field "${field}" of port ${port.name} is inside an array or map (${column.candidates.join(', ')}): a row holds many values, not one subject`,
        }[column.reason];
        report({ document: product.document, path: at, message, hint: column.reason === 'ambiguous' ? 'write its dotted path' : 'every port of a product subject to erasure carries the subject id once per record' });
      }
    }
  },
};
