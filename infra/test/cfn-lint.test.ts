import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../src';

// cfn-lint (PyPI, pinned in scripts/cfn-lint.sh, installed into .tools/ when missing) on every
// template of the example domains: part of `npm test`, so CI runs it.
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(900_000);

it('cfn-lint finds no error in any synthesized template', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lint-'));
  const result = await synthesize(ROOT, out, { nag: false });
  expect(result.ok).toBe(true);
  const lint = spawnSync('bash', [path.join(ROOT, 'scripts', 'cfn-lint.sh'), out], { encoding: 'utf8' });
  const errors = (lint.stdout ?? '').split('\n').filter((l) => /:E\d{4}:/.test(l));
  expect(errors).toEqual([]);
  expect(lint.status).toBe(0);
  expect(lint.stdout).toMatch(new RegExp(`${result.templates.length} template\\(s\\), no errors`));
});
