import { parseAvroJson } from '@data-mesh/schema-compat';
import { avroColumns, buildIcebergSchema } from '../src';

const schema = (fields: unknown[]) => {
  const parsed = parseAvroJson({ type: 'record', name: 'Row', fields });
  if (!parsed.schema) throw new Error('bad schema');
  return parsed.schema;
};

describe('avroColumns: an Avro schema to the table columns, every Iceberg type kept', () => {
  const columns = avroColumns(schema([
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'local_at', type: ['null', { type: 'long', logicalType: 'local-timestamp-millis' }], default: null },
    { name: 'at_time', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'day', type: { type: 'int', logicalType: 'date' }, doc: 'the business day' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ]));

  it('keeps the Glue type string and the Iceberg type Glue loses', () => {
    expect(columns).toEqual([
      { name: 'id', type: 'string', required: true, icebergType: 'uuid' },
      { name: 'at', type: 'timestamp', required: true, icebergType: 'timestamptz' },
      { name: 'local_at', type: 'timestamp', required: false, icebergType: 'timestamp' },
      { name: 'at_time', type: 'string', required: true, icebergType: 'time' },
      { name: 'hash', type: 'binary', required: true, icebergType: 'fixed[16]' },
      { name: 'amount', type: 'decimal(10,2)', required: true, icebergType: 'decimal(10, 2)' },
      { name: 'day', type: 'date', required: true, doc: 'the business day', icebergType: 'date' },
      { name: 'tags', type: 'array<string>', required: true },
    ]);
  });

  it('the table schema has the Iceberg types', () => {
    const { schema: table } = buildIcebergSchema([columns]);
    expect(table.fields.map((f) => f.type)).toEqual(['uuid', 'timestamptz', 'timestamp', 'time', 'fixed[16]', 'decimal(10, 2)', 'date', { type: 'list', 'element-id': 9, element: 'string', 'element-required': false }]);
  });

  it('a schema with no table form throws, naming why', () => {
    expect(() => avroColumns(parseAvroJson('string').schema!)).toThrow(/the schema has no table form: \(schema\): a table schema must be an Avro record, found string/);
  });
});
