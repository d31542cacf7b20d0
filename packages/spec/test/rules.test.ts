import { FAILING_EXAMPLES, PASSING_EXAMPLES, RULES, type ExampleEdit } from '../src';
import { lineOf, meshWith, replace, validate, withCode, type Edit } from './helpers';

/** An example's change as the test helpers apply it (a swap whose text is missing fails the test). */
function toEdit(edit: ExampleEdit): Edit {
  if (edit === null || typeof edit === 'string') return edit;
  const swaps = Array.isArray(edit) ? edit : [edit as Exclude<ExampleEdit, string | null | readonly unknown[]>];
  return (old) => swaps.reduce((text, s) => replace(s.replace, s.with)(text), old);
}

function edits(example: { readonly edits: Readonly<Record<string, ExampleEdit>> }): Record<string, Edit> {
  return Object.fromEntries(Object.entries(example.edits).map(([file, edit]) => [file, toEdit(edit)]));
}

const failing = FAILING_EXAMPLES;
const passing = PASSING_EXAMPLES;

describe('the base fixture', () => {
  it('passes every rule', () => {
    expect(validate(meshWith())).toEqual([]);
  });
});

describe.each(failing)('$code $name', (c) => {
  it('reports the finding at its file and line', () => {
    const root = meshWith(edits(c));
    const found = withCode(validate(root), c.code);
    const line = c.marker === '' ? 1 : lineOf(root, c.file, c.marker, c.occurrence);
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ code: c.code, file: c.file, line, severity: c.severity ?? 'error' })]));
    if (c.message) expect(found.some((d) => c.message!.test(d.message))).toBe(true);
  });
});

describe.each(passing)('$code passes: $name', (c) => {
  it('reports nothing', () => {
    expect(validate(meshWith(edits(c)))).toEqual([]);
  });
});

describe('the rule registry', () => {
  it('has unique codes and names', () => {
    expect(new Set(RULES.map((r) => r.code)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });
  it.each(RULES.map((r) => [r.code, r.name]))('%s %s has a failing case', (code) => {
    expect(failing.some((c) => c.code === code)).toBe(true);
  });
});
