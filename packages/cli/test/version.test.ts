import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;

describe('mesh --version', () => {
  it('prints the version of @data-mesh/cli and exits 0', async () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) expect(await mesh([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect((await mesh(['--help'])).stdout).toMatch(/-V, --version +print the version of mesh/);
  });

  it('from the binary too', () => {
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'packages/cli/bin/mesh.js'), '--version'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});
