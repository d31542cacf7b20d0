import { recordTimeField, topLevelFields } from '../lifecycle-fields';
import type { TopLevelField } from '../model';
import { planPartitioning, type PartitionColumn } from '../partitioning';
import type { Rule } from './rule';

const TIMESTAMP_TYPES = ['timestamp-millis', 'timestamp-micros', 'local-timestamp-millis', 'local-timestamp-micros'];

/** A top-level Avro field as the table column a partition transform reads. */
export function partitionColumnOf(field: TopLevelField): PartitionColumn {
  const column = { name: field.name, type: field.logicalType ?? field.type, required: !field.nullable };
  if (field.logicalType === 'date') return { ...column, kind: 'date' };
  if (field.logicalType && TIMESTAMP_TYPES.includes(field.logicalType)) return { ...column, kind: 'timestamp' };
  if (['record', 'error', 'array', 'map', 'union'].includes(field.type)) return { ...column, kind: 'nested' };
  return { ...column, kind: 'other' };
}

export const partitioningRule: Rule = {
  code: 'MESH121',
  name: 'partitioning',
  title: "A batch port's partitioning reads: its transforms name columns of the schema, time transforms a date or timestamp column",
  severity: 'error',
  scope: 'product',
  check({ subjects, report }) {
    for (const product of subjects()) {
      product.outputPorts.forEach((port, index) => {
        if (port.spec.type !== 'batch' || port.spec.partitioning === undefined) return;
        const fields = topLevelFields(port);
        if (!fields) return; // the schema rules report a schema that did not load
        if (!recordTimeField(port)) return; // MESH119 reports a batch port without a record-time field
        // as the Iceberg table reads it: a year/month/day layout on the schema's default time column
        const plan = planPartitioning(port.spec.partitioning, fields.map(partitionColumnOf));
        if (plan.ok) return;
        const timeFields = fields.map(partitionColumnOf).filter((c) => c.kind === 'date' || c.kind === 'timestamp').map((c) => c.name);
        report({
          document: product.document, path: ['spec', 'outputPorts', index, 'partitioning'],
          message: `port ${port.name}: ${plan.message}`,
          hint: timeFields.length > 0 ? `date/timestamp fields of the schema: ${timeFields.join(', ')}` : 'the schema has no top-level date or timestamp field',
        });
      });
    }
  },
};
