// Synthetic but realistic record schemas for the compatibility benchmarks: a writer with
// `fieldCount` fields of mixed types (logical types, nullable unions, enums, a nested
// record, arrays, maps) and its next version (two fields added with defaults, one int
// promoted to long), the everyday BACKWARD-compatible change.
'use strict';

function writerSchema(fieldCount) {
  const fields = [];
  for (let i = 0; i < fieldCount; i++) fields.push(fieldAt(i));
  return { type: 'record', name: 'Event', namespace: 'com.acme.bench', doc: 'a benchmark event', fields };
}

function fieldAt(i) {
  const name = `field_${i}`;
  switch (i % 10) {
    case 0: return { name, type: 'string', doc: 'an identifier' };
    case 1: return { name, type: { type: 'long', logicalType: 'timestamp-millis' } };
    case 2: return { name, type: ['null', 'string'], default: null };
    case 3: return { name, type: 'int' };
    case 4: return { name, type: 'double' };
    case 5: return { name, type: { type: 'enum', name: `Status${i}`, symbols: ['ACTIVE', 'SUSPENDED', 'CLOSED'] } };
    case 6: return { name, type: 'boolean' };
    case 7: return { name, type: { type: 'array', items: 'string' } };
    case 8: return { name, type: { type: 'map', values: 'long' } };
    default: return { name, type: ['null', { type: 'record', name: `Nested${i}`, fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'long' }] }], default: null };
  }
}

function readerSchema(fieldCount) {
  const schema = writerSchema(fieldCount);
  schema.fields[3] = { name: 'field_3', type: 'long' };
  schema.fields.push({ name: 'added_a', type: ['null', 'string'], default: null });
  schema.fields.push({ name: 'added_b', type: 'int', default: 0 });
  return schema;
}

module.exports = { writerSchema, readerSchema };
