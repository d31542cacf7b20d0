import { renderCodeowners } from '../codeowners';
import { CODEOWNERS_FILE } from '../load';
import type { Rule } from './rule';

export const codeowners: Rule = {
  code: 'MESH117',
  name: 'codeowners',
  title: 'The committed .github/CODEOWNERS is what `mesh codeowners` writes from the domain map',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report }) {
    if (!mesh.domainMap) return;
    const expected = renderCodeowners(mesh);
    if (!mesh.codeowners) {
      report({
        severity: 'info',
        file: CODEOWNERS_FILE,
        position: { line: 1, column: 1 },
        message: 'there is no .github/CODEOWNERS, so GitHub does not ask domain owners to review their specs',
        hint: 'run `mesh codeowners` and commit the file',
      });
      return;
    }
    const actual = mesh.codeowners.text.replace(/\r\n/g, '\n');
    if (actual === expected) return;
    const actualLines = actual.split('\n');
    const expectedLines = expected.split('\n');
    let line = 0;
    while (line < actualLines.length && actualLines[line] === expectedLines[line]) line++;
    report({
      file: CODEOWNERS_FILE,
      position: { line: Math.min(line, actualLines.length - 1) + 1, column: 1 },
      message: `.github/CODEOWNERS is stale: line ${line + 1} should read "${expectedLines[line] ?? '(nothing)'}"`,
      hint: 'run `mesh codeowners` and commit the result',
    });
  },
};
