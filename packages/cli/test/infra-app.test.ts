import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INFRA_PACKAGE, loadInfraApp } from '../src/infra-app';
import { BASE_FIXTURE, REPO_ROOT } from './helpers';

const BIN = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function workspaces(): Manifest[] {
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs = root.workspaces.flatMap((w) => (w.endsWith('/*') ? fs.readdirSync(path.join(REPO_ROOT, w.slice(0, -2))).map((d) => path.join(w.slice(0, -2), d)) : [w]));
  return dirs.filter((d) => fs.existsSync(path.join(REPO_ROOT, d, 'package.json'))).map((d) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, d, 'package.json'), 'utf8')) as Manifest);
}

describe('the infrastructure app is the mesh repository\'s own', () => {
  it('no published package depends on a private one (npm could not install it)', () => {
    const all = workspaces();
    const privates = new Set(all.filter((m) => m.private).map((m) => m.name));
    expect(privates).toContain(INFRA_PACKAGE);
    const published = all.filter((m) => !m.private);
    expect(published.map((m) => m.name)).toContain('@data-mesh/cli');
    const wrong = published.flatMap((m) => Object.keys({ ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies }).filter((d) => privates.has(d)).map((d) => `${m.name} -> ${d}`));
    expect(wrong).toEqual([]);
  });

  it('is resolved from the root as Node resolves a dependency: this repository\'s infra/ workspace', () => {
    const resolved = execFileSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(REPO_ROOT, 'packages/cli/dist/infra-app.js'))}).resolveInfraApp(${JSON.stringify(REPO_ROOT)}))`], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(resolved).toBe(path.join(REPO_ROOT, 'infra', 'dist', 'index.js'));
    const app = loadInfraApp(REPO_ROOT);
    expect(typeof app.synthesize).toBe('function');
    expect(typeof app.planChange).toBe('function');
  });

  it('this repository\'s app has the exports the CLI calls (types checked by tsc)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-infra-types-'));
    try {
      const file = path.join(dir, 'conforms.ts');
      fs.writeFileSync(file, [
        `import * as infra from ${JSON.stringify(path.join(REPO_ROOT, 'infra'))};`,
        `import type { InfraApp } from ${JSON.stringify(path.join(REPO_ROOT, 'packages/cli/src/infra-app'))};`,
        'export const app: InfraApp = infra;',
        '',
      ].join('\n'));
      const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
      const run = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'commonjs', '--moduleResolution', 'node10', '--target', 'es2022', '--esModuleInterop', '--skipLibCheck', '--types', 'node', file], { encoding: 'utf8' });
      expect(run.stdout).toBe('');
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('a root without one: exit 2, saying so, before any work', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-no-infra-'));
    fs.cpSync(BASE_FIXTURE, root, { recursive: true });
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it.each([
      ['synth', ['synth', '--root', root, '--out', path.join(root, 'cdk.out')]],
      ['plan', ['plan', '--root', root, '--base', 'HEAD']],
    ])('mesh %s', (_name, args) => {
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });
      expect(run.stderr).toContain(`no infrastructure app: ${INFRA_PACKAGE} cannot be resolved from ${root}`);
      expect(run.stderr).toContain('npm ci and npm run build');
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stdout).toBe('');
      expect(run.status).toBe(2);
      expect(fs.existsSync(path.join(root, 'cdk.out'))).toBe(false);
    });
  });
});
