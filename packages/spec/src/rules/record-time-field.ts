import { RECORD_TIME_TYPES, recordTimeField, topLevelFields } from '../lifecycle-fields';
import type { Rule } from './rule';

export const recordTimeFieldRule: Rule = {
  code: 'MESH119',
  name: 'record-time-field',
  title: 'Every batch port has a record-time field its retention job can delete by',
  severity: 'error',
  scope: 'product',
  check({ subjects, report }) {
    for (const product of subjects()) {
      const retention = product.spec.spec.governance?.retention_days;
      product.outputPorts.forEach((port, index) => {
        const declared = port.spec.recordTimeField;
        const at = ['spec', 'outputPorts', index, declared === undefined ? 'name' : 'recordTimeField'];
        if (port.spec.type === 'stream') {
          if (declared !== undefined) {
            report({ document: product.document, path: at, message: `port ${port.name} is a stream: recordTimeField applies to batch ports only (a topic's records expire by its retention.ms)`, hint: 'remove recordTimeField' });
          }
          return;
        }
        const fields = topLevelFields(port);
        if (!fields) return; // the schema rules report a schema that did not load
        const field = declared === undefined ? undefined : fields.find((f) => f.name === declared);
        if (declared !== undefined && !field) {
          report({ document: product.document, path: at, message: `recordTimeField "${declared}" is not a top-level field of port ${port.name}'s schema`, hint: suggestion(fields.filter((f) => isTime(f.logicalType)).map((f) => f.name)) });
          return;
        }
        if (field && !isTime(field.logicalType)) {
          report({ document: product.document, path: at, message: `recordTimeField "${declared}" of port ${port.name} is ${field.logicalType ?? field.type}, not a date or timestamp (${RECORD_TIME_TYPES.join(', ')})`, hint: 'name a field with a date or timestamp logical type' });
          return;
        }
        if (field?.nullable) {
          report({ document: product.document, path: at, severity: 'warning', message: `recordTimeField "${declared}" of port ${port.name} is nullable: rows whose ${declared} is NULL never expire, and the retention job stops on them`, hint: 'make the field required, or name a required one' });
          return;
        }
        if (!recordTimeField(port)) {
          const nullable = fields.filter((f) => f.nullable && isTime(f.logicalType)).map((f) => f.name);
          report({
            document: product.document, path: at,
            message: `batch port ${port.name} has no required top-level date or timestamp field${nullable.length > 0 ? ` (${nullable.join(', ')} ${nullable.length === 1 ? 'is' : 'are'} nullable)` : ''}: its rows cannot be deleted after retention_days${retention ? ` (${retention})` : ''} and would be kept forever`,
            hint: nullable.length > 0 ? `make one of ${nullable.join(', ')} required and name it in recordTimeField` : 'add a required date or timestamp field (e.g. the event or snapshot time) and name it in recordTimeField',
          });
        }
      });
    }
  },
};

function isTime(logicalType: string | undefined): boolean {
  return (RECORD_TIME_TYPES as readonly string[]).includes(logicalType ?? '');
}

function suggestion(names: readonly string[]): string {
  return names.length > 0 ? `date/timestamp fields of the schema: ${names.join(', ')}` : 'the schema has no top-level date or timestamp field';
}
