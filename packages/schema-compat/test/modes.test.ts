import { COMPATIBILITY_MODES, checkCompatibility, isCompatibilityMode, type AvroSchema, type CompatibilityMode, type IncompatibilityKind } from '@data-mesh/schema-compat';
import { avro, recordOf } from './helpers';

const v = (schema: AvroSchema, name: string) => ({ name, schema });

interface KindCase {
  kind: IncompatibilityKind;
  mode: 'BACKWARD' | 'FORWARD';
  previous: AvroSchema;
  next: AvroSchema;
  path: string;
}

const fixedOf = (size: number) => recordOf([{ name: 'hash', type: { type: 'fixed', name: 'Hash', size } }]);
const enumOf = (symbols: string[]) => recordOf([{ name: 'status', type: { type: 'enum', name: 'Status', symbols } }]);
const unionOf = (branches: string[]) => recordOf([{ name: 'value', type: branches, default: null }]);

const KIND_CASES: KindCase[] = [
  { kind: 'TYPE_MISMATCH', mode: 'BACKWARD', previous: recordOf([{ name: 'a', type: 'long' }]), next: recordOf([{ name: 'a', type: 'int' }]), path: '/fields/0/type' },
  { kind: 'TYPE_MISMATCH', mode: 'FORWARD', previous: recordOf([{ name: 'a', type: 'int' }]), next: recordOf([{ name: 'a', type: 'long' }]), path: '/fields/0/type' },
  { kind: 'NAME_MISMATCH', mode: 'BACKWARD', previous: recordOf([], 'Before', { aliases: ['After'] }), next: recordOf([], 'After'), path: '/name' },
  { kind: 'NAME_MISMATCH', mode: 'FORWARD', previous: recordOf([], 'Before'), next: recordOf([], 'After', { aliases: ['Before'] }), path: '/name' },
  { kind: 'FIXED_SIZE_MISMATCH', mode: 'BACKWARD', previous: fixedOf(16), next: fixedOf(32), path: '/fields/0/type/size' },
  { kind: 'FIXED_SIZE_MISMATCH', mode: 'FORWARD', previous: fixedOf(16), next: fixedOf(32), path: '/fields/0/type/size' },
  { kind: 'MISSING_ENUM_SYMBOLS', mode: 'BACKWARD', previous: enumOf(['A', 'B']), next: enumOf(['A']), path: '/fields/0/type/symbols' },
  { kind: 'MISSING_ENUM_SYMBOLS', mode: 'FORWARD', previous: enumOf(['A']), next: enumOf(['A', 'B']), path: '/fields/0/type/symbols' },
  { kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', mode: 'BACKWARD', previous: recordOf([{ name: 'a', type: 'int' }]), next: recordOf([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]), path: '/fields/1' },
  { kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', mode: 'FORWARD', previous: recordOf([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]), next: recordOf([{ name: 'a', type: 'int' }]), path: '/fields/1' },
  { kind: 'MISSING_UNION_BRANCH', mode: 'BACKWARD', previous: unionOf(['null', 'string', 'int']), next: unionOf(['null', 'string']), path: '/fields/0/type/2' },
  { kind: 'MISSING_UNION_BRANCH', mode: 'FORWARD', previous: unionOf(['null', 'string']), next: unionOf(['null', 'string', 'int']), path: '/fields/0/type/2' },
];

describe('checkCompatibility: each incompatibility kind in each direction', () => {
  it.each(KIND_CASES.map((c) => [c.kind, c.mode, c] as const))('%s under %s', (kind, mode, { previous, next, path }) => {
    const report = checkCompatibility(next, [v(previous, 'v1.avsc')], mode);
    expect(report.compatible).toBe(false);
    expect(report.incompatibilities).toContainEqual({ previous: 'v1.avsc', kind, direction: mode.toLowerCase(), path, message: expect.stringContaining(mode.toLowerCase()) });
  });

  it.each(KIND_CASES.filter((c) => c.kind !== 'FIXED_SIZE_MISMATCH').map((c) => [c.kind, c.mode, c] as const))(
    '%s found under %s is not a problem in the other direction',
    (_kind, mode, { previous, next }) => {
      const other = mode === 'BACKWARD' ? 'FORWARD' : 'BACKWARD';
      expect(checkCompatibility(next, [v(previous, 'v1.avsc')], other)).toEqual({ compatible: true, mode: other, incompatibilities: [] });
    },
  );
});

describe('checkCompatibility: modes', () => {
  // v1 -> v2 drops b; v3 brings b back as an int with a default. v3 reads v2 data (no b in
  // it), but not v1 data, where b is a string: only the transitive check sees it.
  const backwardHistory = [
    v(recordOf([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]), 'v1'),
    v(recordOf([{ name: 'a', type: 'int' }]), 'v2'),
  ];
  const backwardNext = recordOf([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]);

  // v1 requires b; v2 gives b a default; v3 drops b. v2 readers cope (default), v1 readers do not.
  const forwardHistory = [
    v(recordOf([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]), 'v1'),
    v(recordOf([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]), 'v2'),
  ];
  const forwardNext = recordOf([{ name: 'a', type: 'int' }]);

  it.each<[CompatibilityMode, AvroSchema, typeof backwardHistory, boolean, string[]]>([
    ['BACKWARD', backwardNext, backwardHistory, true, []],
    ['BACKWARD_TRANSITIVE', backwardNext, backwardHistory, false, ['v1 TYPE_MISMATCH /fields/1/type']],
    ['FORWARD', forwardNext, forwardHistory, true, []],
    ['FORWARD_TRANSITIVE', forwardNext, forwardHistory, false, ['v1 READER_FIELD_MISSING_DEFAULT_VALUE /fields/1']],
    ['FULL', forwardNext, forwardHistory, true, []],
    ['FULL_TRANSITIVE', forwardNext, forwardHistory, false, ['v1 READER_FIELD_MISSING_DEFAULT_VALUE /fields/1']],
    ['FULL', backwardNext, backwardHistory, true, []],
    ['FULL_TRANSITIVE', backwardNext, backwardHistory, false, ['v1 TYPE_MISMATCH /fields/1/type', 'v1 TYPE_MISMATCH /fields/1/type']],
    ['NONE', avro('string'), [v(avro('int'), 'v1')], true, []],
  ])('%s', (mode, next, history, compatible, found) => {
    const report = checkCompatibility(next, history, mode);
    expect(report.mode).toBe(mode);
    expect(report.compatible).toBe(compatible);
    expect(report.incompatibilities.map((item) => `${item.previous} ${item.kind} ${item.path}`)).toEqual(found);
  });

  it('FULL checks both directions against the latest version', () => {
    const report = checkCompatibility(recordOf([{ name: 'a', type: 'long' }]), [v(recordOf([{ name: 'a', type: 'int' }]), 'v1')], 'FULL');
    expect(report.incompatibilities).toEqual([
      { previous: 'v1', kind: 'TYPE_MISMATCH', direction: 'forward', path: '/fields/0/type', message: 'forward: v1 cannot read data written with the new schema: reader type: int not compatible with writer type: long' },
    ]);
  });

  it('says in the message which schema cannot read which', () => {
    const report = checkCompatibility(recordOf([{ name: 'a', type: 'int' }]), [v(recordOf([{ name: 'a', type: 'string' }]), 'v1.avsc')], 'BACKWARD');
    expect(report.incompatibilities[0]!.message).toBe('backward: the new schema cannot read data written with v1.avsc: reader type: int not compatible with writer type: string');
  });

  it('reports transitive findings oldest version first, named after each version', () => {
    const history = [v(recordOf([{ name: 'a', type: 'string' }]), 'v1'), v(recordOf([{ name: 'a', type: 'boolean' }]), 'v2')];
    const report = checkCompatibility(recordOf([{ name: 'a', type: 'int' }]), history, 'BACKWARD_TRANSITIVE');
    expect(report.incompatibilities.map((item) => item.previous)).toEqual(['v1', 'v2']);
  });

  it('is compatible in every mode when there is no previous version', () => {
    for (const mode of COMPATIBILITY_MODES) expect(checkCompatibility(avro('int'), [], mode).compatible).toBe(true);
  });

  it('reports each incompatibility with its previous version, kind, direction, path and message', () => {
    const report = checkCompatibility(avro('int'), [v(avro('string'), 'old.avsc')], 'BACKWARD');
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      compatible: false,
      mode: 'BACKWARD',
      incompatibilities: [{ previous: 'old.avsc', kind: 'TYPE_MISMATCH', direction: 'backward', path: '/', message: expect.any(String) }],
    });
  });

  it.each([
    ['BACKWARD', true],
    ['FULL_TRANSITIVE', true],
    ['backward', false],
    ['BOTH', false],
    [undefined, false],
  ])('isCompatibilityMode(%p) is %p', (value, expected) => {
    expect(isCompatibilityMode(value)).toBe(expected);
  });
});
