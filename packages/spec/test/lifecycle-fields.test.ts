import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAvroJson } from '@data-mesh/schema-compat';
import { topLevelFieldsOf, topLevelFieldsOfJson } from '../src';

const REPO = path.join(__dirname, '..', '..', '..');

function avscFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? avscFiles(full) : e.name.endsWith('.avsc') ? [full] : [];
  });
}

const record = (...types: unknown[]) => ({ type: 'record', name: 'R', fields: types.map((type, i) => ({ name: `f${i}`, type })) });

const crafted: [string, unknown][] = [
  ['time types on their own types', record({ type: 'int', logicalType: 'date' }, { type: 'long', logicalType: 'timestamp-millis' }, { type: 'long', logicalType: 'local-timestamp-micros' })],
  ['a logical type on the wrong type is dropped', record({ type: 'string', logicalType: 'date' }, { type: 'int', logicalType: 'timestamp-millis' })],
  ['an unknown logical type is dropped', record({ type: 'long', logicalType: 'epoch' })],
  ['nullable unions either way round', record(['null', { type: 'int', logicalType: 'date' }], [{ type: 'long', logicalType: 'timestamp-micros' }, 'null'])],
  ['a union of several branches', record(['null', 'string', 'long'], ['int', 'string'])],
  ['complex types', record({ type: 'array', items: 'string' }, { type: 'map', values: 'long' }, { type: 'enum', name: 'E', symbols: ['A'] }, { type: 'record', name: 'S', fields: [] })],
  ['uuid on a string', record({ type: 'string', logicalType: 'uuid' })],
  ['named types used again by simple and full name', { type: 'record', name: 'R', namespace: 'com.acme', fields: [
    { name: 'a', type: { type: 'fixed', name: 'Id', size: 16, logicalType: 'uuid' } }, { name: 'b', type: 'Id' }, { name: 'c', type: ['null', 'com.acme.Id'] },
    { name: 'd', type: { type: 'record', name: 'Stamp', fields: [{ name: 'at', type: { type: 'enum', name: 'other.Kind', symbols: ['A'] } }] } }, { name: 'e', type: 'Stamp' }, { name: 'f', type: 'other.Kind' },
  ] }],
  ['decimals, valid and not', record({ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }, { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 4 })],
];

describe('topLevelFieldsOfJson, the loader\'s reading without the typed model', () => {
  const files = [...avscFiles(path.join(REPO, 'domains')), ...avscFiles(path.join(__dirname, 'fixtures'))];
  const cases: [string, unknown][] = [...crafted, ...files.map((f): [string, unknown] => [path.relative(REPO, f), JSON.parse(fs.readFileSync(f, 'utf8'))])];

  it.each(cases)('agrees with the typed model: %s', (_name, json) => {
    const typed = parseAvroJson(json).schema!;
    const fast = topLevelFieldsOfJson(json);
    if (fast !== undefined) expect(fast).toEqual(topLevelFieldsOf(typed));
  });

  it('reads most schemas itself', () => {
    const read = cases.filter(([, json]) => topLevelFieldsOfJson(json) !== undefined).length;
    expect(read / cases.length).toBeGreaterThan(0.9);
  });

  it.each([
    ['a name given to two types', { type: 'record', name: 'R', fields: [
      { name: 'a', type: { type: 'record', name: 'x.S', fields: [] } }, { name: 'b', type: { type: 'enum', name: 'y.S', symbols: ['A'] } }, { name: 'c', type: 'S' },
    ] }],
    ['a field typed by an unknown name', { type: 'record', name: 'R', fields: [{ name: 'b', type: 'F' }] }],
    ['not a record', { type: 'array', items: 'string' }],
  ])('gives up on %s (the caller parses)', (_name, json) => {
    expect(topLevelFieldsOfJson(json)).toBeUndefined();
  });
});
