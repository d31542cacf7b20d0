import { SourceDocument } from '../src';
import { lineOf, meshWith, ORDERS, replace, validate, withCode } from './helpers';

describe('the span of a finding', () => {
  it('ends just past the offending scalar', () => {
    const root = meshWith({ [ORDERS]: replace('owner: orders-team', 'owner: finance-team') });
    const [finding] = withCode(validate(root), 'MESH103');
    const line = lineOf(root, ORDERS, 'owner: finance-team');
    expect(finding).toMatchObject({ line, endLine: line, endColumn: finding!.column + 'finance-team'.length });
  });

  it('covers a block mapping to its last character, not the line break after it', () => {
    const document = new SourceDocument('x.yaml', 'a:\n  b: 1\n  c: [x, y]   # note\nd: 2\n', undefined);
    expect(document.locate(['a'])).toEqual({ line: 2, column: 3, endLine: 3, endColumn: 12 });
    expect(document.locate(['a', 'c'])).toEqual({ line: 3, column: 6, endLine: 3, endColumn: 12 });
    expect(document.locate(['a', 'c'], 'key')).toEqual({ line: 3, column: 3, endLine: 3, endColumn: 4 });
    expect(document.locate(['d'])).toEqual({ line: 4, column: 4, endLine: 4, endColumn: 5 });
  });

  it('points at the key of the deepest existing node when the path leaves the document', () => {
    const document = new SourceDocument('x.yaml', 'metadata:\n  name: x\n', undefined);
    expect(document.locate(['metadata', 'version'])).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 9 });
  });
});
