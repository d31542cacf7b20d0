import { checkReaderWriter } from '@data-mesh/schema-compat';
import { avro, recordOf } from './helpers';

const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];
const READABLE = new Set(['int->long', 'int->float', 'int->double', 'long->float', 'long->double', 'float->double', 'string->bytes', 'bytes->string']);

describe('checkReaderWriter: schema resolution', () => {
  const matrix = PRIMITIVES.flatMap((writer) => PRIMITIVES.map((reader) => [writer, reader] as const));
  it.each(matrix)('writer %s read as %s: same type or a promotion only', (writer, reader) => {
    const result = checkReaderWriter(avro(reader), avro(writer));
    const expected = reader === writer || READABLE.has(`${writer}->${reader}`);
    expect(result.compatible).toBe(expected);
    if (!expected) expect(result.incompatibilities).toEqual([expect.objectContaining({ kind: 'TYPE_MISMATCH', path: '/' })]);
  });

  it('ignores logical types: compatible when the underlying types are', () => {
    const date = { type: 'int', logicalType: 'date' };
    const millis = { type: 'long', logicalType: 'timestamp-millis' };
    expect(checkReaderWriter(avro(millis), avro(date)).compatible).toBe(true);
    expect(checkReaderWriter(avro(date), avro(millis)).compatible).toBe(false);
    expect(checkReaderWriter(avro({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }), avro({ type: 'bytes', logicalType: 'decimal', precision: 9, scale: 0 })).compatible).toBe(true);
  });

  it('matches record fields by name, then by the reader field aliases, ignoring the writer field aliases', () => {
    const writer = recordOf([{ name: 'old_name', type: 'int', aliases: ['new_name'] }]);
    expect(checkReaderWriter(recordOf([{ name: 'new_name', type: 'long', aliases: ['old_name'] }]), writer).compatible).toBe(true);
    expect(checkReaderWriter(recordOf([{ name: 'new_name', type: 'long' }]), writer).incompatibilities).toEqual([
      { kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/0', message: 'new_name' },
    ]);
  });

  it('matches record names by their unqualified name or a reader alias (a full name)', () => {
    const writer = recordOf([], 'Customer', { namespace: 'com.acme' });
    expect(checkReaderWriter(recordOf([], 'Customer', { namespace: 'org.other' }), writer).compatible).toBe(true);
    expect(checkReaderWriter(recordOf([], 'Client', { aliases: ['com.acme.Customer'] }), writer).compatible).toBe(true);
    expect(checkReaderWriter(recordOf([], 'Client', { aliases: ['Customer'] }), writer).incompatibilities).toEqual([
      { kind: 'NAME_MISMATCH', path: '/name', message: 'expected: com.acme.Customer' },
    ]);
  });

  it('terminates on recursive types and still finds what differs inside them', () => {
    const list = (valueType: string) =>
      recordOf([
        { name: 'value', type: valueType },
        { name: 'next', type: ['null', 'Node'], default: null },
      ], 'Node');
    expect(checkReaderWriter(list('long'), list('int')).compatible).toBe(true);
    expect(checkReaderWriter(list('int'), list('long')).incompatibilities).toEqual([expect.objectContaining({ kind: 'TYPE_MISMATCH', path: '/fields/0/type' })]);
  });

  it('reads a writer union when every branch is readable, and reports each branch that is not', () => {
    expect(checkReaderWriter(avro('double'), avro(['int', 'long', 'float'])).compatible).toBe(true);
    expect(checkReaderWriter(avro(['null', 'string']), avro(['null', 'string', 'int', 'boolean'])).incompatibilities.map((found) => [found.kind, found.path])).toEqual([
      ['MISSING_UNION_BRANCH', '/2'],
      ['MISSING_UNION_BRANCH', '/3'],
    ]);
  });

  it('accepts missing enum symbols when the reader enum has a default', () => {
    const writer = avro({ type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] });
    expect(checkReaderWriter(avro({ type: 'enum', name: 'E', symbols: ['A', 'OTHER'], default: 'OTHER' }), writer).compatible).toBe(true);
    expect(checkReaderWriter(avro({ type: 'enum', name: 'E', symbols: ['A'] }), writer).incompatibilities).toEqual([
      { kind: 'MISSING_ENUM_SYMBOLS', path: '/symbols', message: '[B, C]' },
    ]);
  });
});
