import { buildIcebergSchema, buildPartitionSpec, TableColumn } from '../src';

const v1: TableColumn[] = [{ name: 'id', type: 'bigint', required: true }, { name: 'ts', type: 'timestamp' }, { name: 'name', type: 'string' }];

describe('Iceberg schema field ids', () => {
  it('numbers a first version 1..n in column order, nested fields after', () => {
    const { schema } = buildIcebergSchema([[...v1, { name: 'tags', type: 'array<string>' }, { name: 'addr', type: 'struct<city:string,zip:string>' }]]);
    expect(schema.fields.map((f) => [f.name, f.id])).toEqual([['id', 1], ['ts', 2], ['name', 3], ['tags', 4], ['addr', 5]]);
    expect(schema.fields[3].type).toEqual({ type: 'list', 'element-id': 6, element: 'string', 'element-required': false });
    expect(schema.fields[4].type).toEqual({ type: 'struct', fields: [{ id: 7, name: 'city', required: false, type: 'string' }, { id: 8, name: 'zip', required: false, type: 'string' }] });
  });

  it('keeps ids stable across versions and never reuses a dropped column\'s id', () => {
    const v2 = [v1[0], v1[1], { name: 'email', type: 'string' }]; // name dropped, email added
    const v3 = [...v2, { name: 'name', type: 'string' }]; // name back: its old id
    const { schema } = buildIcebergSchema([v1, v2, v3]);
    expect(schema.fields.map((f) => [f.name, f.id])).toEqual([['id', 1], ['ts', 2], ['email', 4], ['name', 3]]);
    expect(schema['schema-id']).toBe(2);
  });

  it('maps Glue types to Iceberg types', () => {
    const { schema } = buildIcebergSchema([[{ name: 'a', type: 'decimal(18,2)' }, { name: 'b', type: 'timestamp' }, { name: 'c', type: 'date' }, { name: 'd', type: 'map<string,int>' }, { name: 'e', type: 'binary' }]]);
    expect(schema.fields.map((f) => f.type)).toEqual(['decimal(18, 2)', 'timestamptz', 'date', { type: 'map', 'key-id': 6, key: 'string', 'value-id': 7, value: 'int', 'value-required': false }, 'binary']);
  });
});

describe('partition specs from `partitioning`', () => {
  const { schema } = buildIcebergSchema([[...v1, { name: 'snapshot_date', type: 'date', required: true }, { name: 'region', type: 'string' }]]);
  it.each([
    ['year/month/day', [{ 'source-id': 4, 'field-id': 1000, name: 'snapshot_date_day', transform: 'day' }]],
    ['year/month', [{ 'source-id': 4, 'field-id': 1000, name: 'snapshot_date_month', transform: 'month' }]],
    ['year/month/day/hour', [{ 'source-id': 2, 'field-id': 1000, name: 'ts_hour', transform: 'hour' }]],
    ['day(ts), bucket(16, id)', [{ 'source-id': 2, 'field-id': 1000, name: 'ts_day', transform: 'day' }, { 'source-id': 1, 'field-id': 1001, name: 'id_bucket', transform: 'bucket[16]' }]],
    ['truncate(4, name), region', [{ 'source-id': 3, 'field-id': 1000, name: 'name_truncate', transform: 'truncate[4]' }, { 'source-id': 5, 'field-id': 1001, name: 'region', transform: 'identity' }]],
  ])('%s', (text, fields) => {
    expect(buildPartitionSpec(text, schema)).toEqual({ 'spec-id': 0, fields });
  });

  it.each([
    ['day(missing)', /column "missing" is not in the table's schema/],
    ['hour(snapshot_date)', /needs a timestamp column/],
    ['bucket(0, id)', /width must be positive/],
    ['sideways(id)', /cannot read "sideways\(id\)"/],
    ['day(ts), day(ts)', /appears twice/],
  ])('rejects %s', (text, message) => {
    expect(() => buildPartitionSpec(text, schema)).toThrow(message);
  });

  it('has no partition field when unpartitioned', () => {
    expect(buildPartitionSpec(undefined, schema)).toEqual({ 'spec-id': 0, fields: [] });
  });
});

describe('Iceberg types given by the Avro mapping', () => {
  it('keeps timestamp vs timestamptz, time and uuid that Glue types lose', () => {
    const { schema } = buildIcebergSchema([[
      { name: 'at', type: 'timestamp', icebergType: 'timestamptz' },
      { name: 'local', type: 'timestamp', icebergType: 'timestamp' },
      { name: 't', type: 'string', icebergType: 'time' },
      { name: 'u', type: 'string', icebergType: 'uuid' },
      { name: 's', type: 'struct<a:string>', icebergType: 'ignored-for-nested' },
    ]]);
    expect(schema.fields.map((f) => f.type)).toEqual(['timestamptz', 'timestamp', 'time', 'uuid', { type: 'struct', fields: [{ id: 6, name: 'a', required: false, type: 'string' }] }]);
  });
});
