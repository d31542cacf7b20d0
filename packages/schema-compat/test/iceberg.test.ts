import { avroToIceberg, checkIcebergEvolution, icebergTypeString, type IcebergChangeKind } from '@data-mesh/schema-compat';
import { avro, recordOf } from './helpers';

const columnOf = (type: unknown, extra: Record<string, unknown> = {}) => avroToIceberg(recordOf([{ name: 'c', type, ...extra }])).columns[0]!;

describe('avroToIceberg: types', () => {
  it.each<[string, unknown, string, string]>([
    ['boolean', 'boolean', 'boolean', 'boolean'],
    ['int', 'int', 'int', 'int'],
    ['long', 'long', 'long', 'bigint'],
    ['float', 'float', 'float', 'float'],
    ['double', 'double', 'double', 'double'],
    ['bytes', 'bytes', 'binary', 'binary'],
    ['string', 'string', 'string', 'string'],
    ['enum', { type: 'enum', name: 'E', symbols: ['A'] }, 'string', 'string'],
    ['fixed', { type: 'fixed', name: 'F', size: 16 }, 'fixed[16]', 'binary'],
    ['decimal on bytes', { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 }, 'decimal(10,2)', 'decimal(10,2)'],
    ['decimal on fixed', { type: 'fixed', name: 'D', size: 8, logicalType: 'decimal', precision: 18, scale: 4 }, 'decimal(18,4)', 'decimal(18,4)'],
    ['date', { type: 'int', logicalType: 'date' }, 'date', 'date'],
    ['time-millis', { type: 'int', logicalType: 'time-millis' }, 'time', 'string'],
    ['time-micros', { type: 'long', logicalType: 'time-micros' }, 'time', 'string'],
    ['timestamp-millis', { type: 'long', logicalType: 'timestamp-millis' }, 'timestamptz', 'timestamp'],
    ['timestamp-micros', { type: 'long', logicalType: 'timestamp-micros' }, 'timestamptz', 'timestamp'],
    ['local-timestamp-micros', { type: 'long', logicalType: 'local-timestamp-micros' }, 'timestamp', 'timestamp'],
    ['uuid', { type: 'string', logicalType: 'uuid' }, 'uuid', 'string'],
    ['uuid on fixed', { type: 'fixed', name: 'U', size: 16, logicalType: 'uuid' }, 'uuid', 'string'],
    ['duration', { type: 'fixed', name: 'Du', size: 12, logicalType: 'duration' }, 'fixed[12]', 'binary'],
    ['array', { type: 'array', items: 'long' }, 'list<long>', 'array<bigint>'],
    ['map', { type: 'map', values: 'double' }, 'map<string, double>', 'map<string,double>'],
    ['record', { type: 'record', name: 'Inner', fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }] }, 'struct<a: string, b: long>', 'struct<a:string,b:bigint>'],
    ['union of several types', ['null', 'int', 'string'], 'struct<tag: int, field0: int, field1: string>', 'struct<tag:int,field0:int,field1:string>'],
  ])('%s', (_label, type, iceberg, glue) => {
    const column = columnOf(type);
    expect(icebergTypeString(column.type)).toBe(iceberg);
    expect(column.glueType).toBe(glue);
  });

  it('maps a nullable union to an optional column and anything else to a required one', () => {
    expect(columnOf(['null', 'string'], { default: null })).toMatchObject({ required: false, type: { type: 'string' } });
    expect(columnOf(['string', 'null'], { default: 'x' })).toMatchObject({ required: false, type: { type: 'string' } });
    expect(columnOf('string')).toMatchObject({ required: true });
    expect(columnOf({ type: 'array', items: ['null', 'long'] }).type).toMatchObject({ type: 'list', elementRequired: false });
  });

  it('assigns fresh ids as Iceberg does for a new table: a struct\'s fields first, then nested types', () => {
    const mapping = avroToIceberg(
      recordOf([
        { name: 'a', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] } },
        { name: 'b', type: { type: 'array', items: 'string' } },
        { name: 'c', type: { type: 'map', values: 'long' } },
      ]),
    );
    expect(mapping.columns.map((column) => [column.name, column.id])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(mapping.columns[0]!.type).toMatchObject({ fields: [{ name: 'x', id: 4 }, { name: 'y', id: 5 }] });
    expect(mapping.columns[1]!.type).toMatchObject({ elementId: 6 });
    expect(mapping.columns[2]!.type).toMatchObject({ keyId: 7, valueId: 8 });
    expect(mapping.lastColumnId).toBe(8);
  });

  it('keeps ids stable across versions when given the previous mapping, new columns above lastColumnId', () => {
    const v1 = avroToIceberg(recordOf([{ name: 'id', type: 'string' }, { name: 'amount', type: 'int' }]));
    const v2 = avroToIceberg(recordOf([{ name: 'note', type: ['null', 'string'], default: null }, { name: 'amount', type: 'long' }, { name: 'id', type: 'string' }]), { previous: v1 });
    expect(v2.columns.map((column) => [column.name, column.id])).toEqual([['note', 3], ['amount', 2], ['id', 1]]);
    expect(v2.lastColumnId).toBe(3);
  });

  it.each<[string, unknown, RegExp]>([
    ['a schema that is not a record', 'string', /must be an Avro record/],
    ['a recursive record', { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'], default: null }] }, /recursive/],
    ['a null column', { type: 'record', name: 'R', fields: [{ name: 'nothing', type: 'null' }] }, /null/],
  ])('reports %s as an issue', (_label, json, message) => {
    const mapping = avroToIceberg(avro(json));
    expect(mapping.issues).toContainEqual({ path: expect.any(String), message: expect.stringMatching(message) });
  });
});

describe('checkIcebergEvolution', () => {
  const base = [
    { name: 'id', type: 'string' },
    { name: 'count', type: 'int' },
    { name: 'ratio', type: 'float' },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ];
  const replace = (name: string, field: Record<string, unknown> | undefined) =>
    field ? base.map((existing) => (existing.name === name ? field : existing)) : base.filter((existing) => existing.name !== name);
  const evolve = (fields: unknown[]) => {
    const previous = avroToIceberg(recordOf(base));
    return checkIcebergEvolution(previous, avroToIceberg(recordOf(fields), { previous }));
  };

  it.each<[string, unknown[], IcebergChangeKind | undefined, string, boolean]>([
    ['no change', base, undefined, '', true],
    ['add an optional column', [...base, { name: 'extra', type: ['null', 'long'], default: null }], 'COLUMN_ADDED', 'extra', true],
    ['add a required column', [...base, { name: 'extra', type: 'long', default: 0 }], 'REQUIRED_COLUMN_ADDED', 'extra', false],
    ['drop a required column', replace('count', undefined), 'COLUMN_DROPPED', 'count', false],
    ['drop an optional column', replace('note', undefined), 'COLUMN_DROPPED', 'note', false],
    ['widen int to long', replace('count', { name: 'count', type: 'long' }), 'TYPE_WIDENED', 'count', true],
    ['widen float to double', replace('ratio', { name: 'ratio', type: 'double' }), 'TYPE_WIDENED', 'ratio', true],
    ['widen decimal precision', replace('price', { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } }), 'TYPE_WIDENED', 'price', true],
    ['change decimal scale', replace('price', { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 3 } }), 'TYPE_CHANGED', 'price', false],
    ['retype int to string', replace('count', { name: 'count', type: 'string' }), 'TYPE_CHANGED', 'count', false],
    ['retype int to double', replace('count', { name: 'count', type: 'double' }), 'TYPE_CHANGED', 'count', false],
    ['make a required column optional', replace('id', { name: 'id', type: ['null', 'string'], default: null }), 'COLUMN_MADE_OPTIONAL', 'id', true],
    ['make an optional column required', replace('note', { name: 'note', type: 'string' }), 'COLUMN_MADE_REQUIRED', 'note', false],
    ['add a nested optional field', replace('address', { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: ['null', 'string'], default: null }] } }), 'COLUMN_ADDED', 'address.zip', true],
    ['drop a nested field', replace('address', { name: 'address', type: { type: 'record', name: 'Address', fields: [] } }), 'COLUMN_DROPPED', 'address.city', false],
    ['retype a list element', replace('tags', { name: 'tags', type: { type: 'array', items: 'long' } }), 'TYPE_CHANGED', 'tags.element', false],
    ['reorder columns', [...base].reverse(), undefined, '', true],
  ])('%s', (_label, fields, kind, path, compatible) => {
    const evolution = evolve(fields);
    expect(evolution.compatible).toBe(compatible);
    if (kind) expect(evolution.changes).toEqual([expect.objectContaining({ kind, path, breaking: !compatible })]);
    else expect(evolution.changes).toEqual([]);
  });
});
