/**
 * fieldTableOfJson is a second reading of the Avro rules: whenever it answers, the full
 * parser must accept the schema and list the same fields. Checked on the oracle corpus and on
 * thousands of schemas damaged at random at the JSON level (names, types, defaults, aliases,
 * orders, symbols, sizes, references). Seeded, so a failure reproduces.
 */

import fixture from './fixtures/oracle-pairs.json';
import { fieldTableOf, fieldTableOfJson, parseAvroJson } from '@data-mesh/schema-compat';

let seed = 11;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const VALUES: unknown[] = [
  null, 0, 1, -1, 2147483648, 1.5, 'NaN', '', 'x', 'a.b', '1bad', 'string', 'int', 'long', 'null', 'bytes', 'Holder', 'com.x.Holder',
  true, false, [], {}, ['null', 'string'], ['string', 'null'], ['null'], [['null']], { type: 'array', items: 'int' }, { type: 'map', values: 'Holder' },
  { type: 'enum', name: 'E', symbols: ['A', 'B'] }, { type: 'enum', name: 'E', symbols: ['A', 'A'] }, { type: 'fixed', name: 'F', size: 16 },
  { type: 'record', name: 'Inner', fields: [{ name: 'a', type: 'int', default: 0 }] }, { type: 'long', logicalType: 'timestamp-millis' },
  { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 9 }, 'ascending', 'sideways', ['alias_one'], ['bad alias'], 'A', 'B', [1, 2], { a: 1 },
];
const KEYS = ['type', 'name', 'namespace', 'fields', 'default', 'aliases', 'order', 'symbols', 'size', 'items', 'values', 'doc', 'logicalType'];

/** Every object and array inside a JSON value. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (Array.isArray(value)) {
    out.push(value);
    for (const item of value) containers(item, out);
  } else if (value && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const item of Object.values(value)) containers(item, out);
  }
  return out;
}

function damage(json: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  if (containers(copy).length === 0) return pick(VALUES);
  const edits = 1 + Math.floor(random() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const target = pick(containers(copy));
    const value = JSON.parse(JSON.stringify(pick(VALUES))) as unknown;
    if (Array.isArray(target)) {
      const roll = random();
      if (roll < 0.3 && target.length > 0) target.splice(Math.floor(random() * target.length), 1);
      else if (roll < 0.6 && target.length > 0) target.push(JSON.parse(JSON.stringify(pick(target))));
      else target[Math.floor(random() * (target.length + 1))] = value;
    } else {
      const key = random() < 0.8 ? pick(KEYS) : pick(Object.keys(target).concat(['type']));
      if (random() < 0.25) delete target[key];
      else target[key] = value;
    }
  }
  return copy;
}

const corpus: unknown[] = (fixture.pairs as { reader: unknown; writer: unknown }[]).flatMap((pair) => [pair.reader, pair.writer]);

function agree(json: unknown): 'fast' | 'full' {
  const fast = fieldTableOfJson(json);
  if (!fast) return 'full';
  const full = parseAvroJson(json);
  expect(full.errors).toEqual([]);
  const table = fieldTableOf(full.schema!);
  expect(fast.paths).toEqual(table.paths);
  expect([...fast.leaf]).toEqual([...table.leaf]);
  return 'fast';
}

describe('fieldTableOfJson', () => {
  it('answers for the valid schemas of the oracle corpus, with fieldTableOf of the parsed model', () => {
    let fast = 0;
    let valid = 0;
    for (const json of corpus) {
      if (parseAvroJson(json).errors.length === 0) valid++;
      if (agree(json) === 'fast') fast++;
    }
    // Forward references and record defaults are left to the full parser; the rest is answered.
    expect(fast).toBeGreaterThan(valid * 0.8);
  });

  it('never vouches for a schema the full parser rejects, on schemas damaged at random', () => {
    let fast = 0;
    let rejected = 0;
    for (let round = 0; round < 20000; round++) {
      const json = damage(corpus[round % corpus.length]);
      if (agree(json) === 'fast') fast++;
      else if (parseAvroJson(json).errors.length > 0) rejected++;
    }
    expect(fast).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(2000);
  });

  it('follows references, recursion and nullable unions as fieldTableOf does', () => {
    const json = {
      type: 'record',
      name: 'Node',
      namespace: 'com.x',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'stamp', type: { type: 'record', name: 'Stamp', fields: [{ name: 'at', type: 'long' }, { name: 'by', type: ['null', 'string'], default: null }] } },
        { name: 'again', type: ['null', 'Stamp'], default: null },
        { name: 'next', type: ['null', 'com.x.Node'], default: null },
        { name: 'children', type: { type: 'array', items: 'Node' }, default: [] },
        { name: 'tags', type: { type: 'map', values: { type: 'record', name: 'Tag', fields: [{ name: 'v', type: { type: 'enum', name: 'V', symbols: ['A', 'B'], default: 'A' }, default: 'B' }] } } },
        { name: 'either', type: ['Stamp', 'Tag'] },
      ],
    };
    expect(agree(json)).toBe('fast');
    expect(fieldTableOfJson(json)!.paths).toContain('again.by');
    // a forward reference is left to the full parser
    expect(fieldTableOfJson({ type: 'record', name: 'R', fields: [{ name: 'a', type: ['null', 'Later'], default: null }, { name: 'b', type: { type: 'fixed', name: 'Later', size: 2 } }] })).toBeUndefined();
  });
});
