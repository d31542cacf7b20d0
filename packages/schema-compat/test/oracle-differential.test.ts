/**
 * Differential test against Apache Avro's Java implementation: every pair in
 * fixtures/oracle-pairs.json carries org.apache.avro.SchemaCompatibility's verdict
 * (tools/avro-oracle/regenerate.sh writes it). Java 1.12 collects every incompatibility,
 * not only the first, so the whole list is comparable: the verdict, and the multiset of
 * (kind, location) pairs. Messages are our own wording and are not compared.
 */

import fixture from './fixtures/oracle-pairs.json';
import { checkReaderWriter, parseAvro, type AvroSchema } from '@data-mesh/schema-compat';

interface JavaVerdict {
  compatibility?: 'COMPATIBLE' | 'INCOMPATIBLE';
  incompatibilities?: { type: string; location: string }[];
  readerParseError?: string;
  writerParseError?: string;
  checkError?: string;
}

interface OraclePair {
  id: string;
  reader: unknown;
  writer: unknown;
  java: JavaVerdict;
}

const pairs = fixture.pairs as OraclePair[];

/**
 * Pairs where we knowingly differ from Java, with the reason. Both are schemas Java's parser
 * accepts although the Avro specification says their default is invalid; a reader using such
 * a default fails at read time, so we refuse the schema up front. Each is asserted below.
 */
const EXPLAINED_DISAGREEMENTS = new Map<string, string>([
  [
    'validity/union-default-second-branch',
    'the spec: "Default values for union fields correspond to the first schema in the union"; Java 1.12 accepts a default matching any branch',
  ],
  [
    'validity/enum-field-default-not-a-symbol',
    'an enum default must be one of its symbols; Java 1.12 checks only that the default is a string',
  ],
]);

const parse = (json: unknown): AvroSchema | undefined => parseAvro(JSON.stringify(json)).schema;
const summary = (items: { kind: string; path: string }[]): string[] => items.map((item) => `${item.kind} ${item.path}`).sort();

describe('differential test against org.apache.avro.SchemaCompatibility', () => {
  it('has at least 300 pairs that Java could check, covering every incompatibility kind', () => {
    const checked = pairs.filter((pair) => pair.java.compatibility);
    expect(checked.length).toBeGreaterThanOrEqual(300);
    const kinds = new Set(checked.flatMap((pair) => pair.java.incompatibilities!.map((item) => item.type)));
    expect([...kinds].sort()).toEqual([
      'FIXED_SIZE_MISMATCH',
      'MISSING_ENUM_SYMBOLS',
      'MISSING_UNION_BRANCH',
      'NAME_MISMATCH',
      'READER_FIELD_MISSING_DEFAULT_VALUE',
      'TYPE_MISMATCH',
    ]);
    expect(checked.some((pair) => pair.java.compatibility === 'COMPATIBLE')).toBe(true);
  });

  it('no pair made Java throw (such a pair would say nothing about the verdicts)', () => {
    expect(pairs.filter((pair) => pair.java.checkError).map((pair) => pair.id)).toEqual([]);
  });

  describe.each(pairs.filter((pair) => !EXPLAINED_DISAGREEMENTS.has(pair.id)).map((pair) => [pair.id, pair] as const))('%s', (_id, pair) => {
    it('agrees with Java', () => {
      const reader = parse(pair.reader);
      const writer = parse(pair.writer);
      if (pair.java.readerParseError || pair.java.writerParseError) {
        // Java refused a schema: so must we (the same one).
        expect({ reader: reader !== undefined, writer: writer !== undefined }).toEqual({
          reader: !pair.java.readerParseError,
          writer: pair.java.readerParseError ? writer !== undefined : false,
        });
        return;
      }
      expect(reader).toBeDefined();
      expect(writer).toBeDefined();
      const ours = checkReaderWriter(reader!, writer!);
      expect({ compatible: ours.compatible, incompatibilities: summary(ours.incompatibilities) }).toEqual({
        compatible: pair.java.compatibility === 'COMPATIBLE',
        incompatibilities: summary(pair.java.incompatibilities!.map((item) => ({ kind: item.type, path: item.location }))),
      });
    });
  });

  describe.each([...EXPLAINED_DISAGREEMENTS].map(([id, reason]) => [id, reason, pairs.find((pair) => pair.id === id) as OraclePair] as const))(
    'explained disagreement %s',
    (_id, reason, pair) => {
      it(`Java accepts the schema, we refuse it: ${reason}`, () => {
        expect(pair).toBeDefined();
        expect(pair.java.readerParseError).toBeUndefined();
        const result = parseAvro(JSON.stringify(pair.reader));
        expect(result.schema).toBeUndefined();
        expect(result.errors).toEqual([expect.objectContaining({ jsonPath: ['fields', 0, 'default'] })]);
      });
    },
  );
});
