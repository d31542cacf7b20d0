/**
 * parseAvro never throws: texts damaged at random (characters dropped, duplicated or
 * replaced by JSON punctuation) always give a schema or issues with a JSON path.
 * Seeded, so a failure reproduces.
 */

import fixture from './fixtures/oracle-pairs.json';
import { checkReaderWriter, listFields, parseAvro } from '@data-mesh/schema-compat';

let seed = 7;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

const PUNCTUATION = ['{', '}', '[', ']', ',', ':', '"', '\\', 'null', '-1', '1e999', ' '];

function damage(text: string): string {
  let damaged = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(random() * damaged.length);
    const roll = random();
    if (roll < 0.4) damaged = damaged.slice(0, at) + damaged.slice(at + 1);
    else if (roll < 0.7) damaged = damaged.slice(0, at) + damaged.slice(at, at + 8) + damaged.slice(at);
    else damaged = damaged.slice(0, at) + PUNCTUATION[Math.floor(random() * PUNCTUATION.length)] + damaged.slice(at + 1);
  }
  return damaged;
}

const sources = (fixture.pairs as { reader: unknown }[]).slice(0, 400).map((pair) => JSON.stringify(pair.reader));

describe('parseAvro on damaged texts', () => {
  it('never throws, and returns a schema or issues with a JSON path', () => {
    let refused = 0;
    for (let round = 0; round < 4000; round++) {
      const text = damage(sources[round % sources.length]!);
      const result = parseAvro(text);
      if (result.schema) {
        expect(result.errors).toEqual([]);
        expect(() => listFields(result.schema!)).not.toThrow();
        expect(checkReaderWriter(result.schema, result.schema).compatible).toBe(true);
      } else {
        refused++;
        expect(result.errors.length).toBeGreaterThan(0);
        for (const issue of result.errors) expect(Array.isArray(issue.jsonPath)).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
