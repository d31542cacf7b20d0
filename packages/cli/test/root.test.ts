import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

describe('without --root, mesh finds the root upward from the current folder (as git does)', () => {
  it('mesh validate inside domains/customer validates the whole repository', async () => {
    const fromRoot = await mesh(['validate', '--no-policy', '--format', 'json'], { cwd: REPO_ROOT });
    for (const folder of ['domains/customer', 'domains/customer/customer-360', 'domains']) {
      const run = await mesh(['validate', '--no-policy', '--format', 'json'], { cwd: path.join(REPO_ROOT, folder) });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(fromRoot.stdout));
      expect(JSON.parse(run.stdout).summary).toMatchObject({ domains: 3, products: 9, errors: 0 });
    }
    const codeowners = await mesh(['codeowners', '--stdout'], { cwd: path.join(REPO_ROOT, 'domains/payments/schemas') });
    expect(codeowners.stdout).toBe(fs.readFileSync(path.join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8'));
  });

  it('the nearest root wins: a mesh inside another folder is its own root', async () => {
    const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-root-'));
    fs.cpSync(path.join(REPO_ROOT, 'packages/spec/test/fixtures/base'), path.join(outer, 'inner'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'domains'), path.join(outer, 'domains'), { recursive: true });
    const run = await mesh(['validate', '--no-policy', '--format', 'json'], { cwd: path.join(outer, 'inner', 'domains', 'orders') });
    expect(JSON.parse(run.stdout).summary).toMatchObject({ domains: 2, products: 2 });
  });

  it('no domain map here or above: exit 2, naming where it searched', async () => {
    const lost = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-noroot-'));
    fs.mkdirSync(path.join(lost, 'domains', 'customer'), { recursive: true });
    const cwd = path.join(lost, 'domains', 'customer');
    for (const args of [['validate'], ['codeowners', '--stdout'], ['synth'], ['policy', 'test']]) {
      const run = await mesh(args, { cwd });
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: `mesh: no domains/domain-map.yaml in ${cwd} or any folder above it: this is not inside a mesh repository\n  run mesh inside the repository (any folder of it), or name its root with --root DIR\n`,
      });
    }
  });

  it('--root still names the root, relative to the current folder', async () => {
    const run = await mesh(['validate', '--no-policy', '--root', '../..', '--format', 'json'], { cwd: path.join(REPO_ROOT, 'domains/customer') });
    expect(JSON.parse(run.stdout).summary).toMatchObject({ domains: 3, products: 9 });
    expect((await mesh(['validate', '--root', 'nowhere'], { cwd: REPO_ROOT })).code).toBe(2);
  });
});
