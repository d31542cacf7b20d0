import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readPlanFile } from '@data-mesh/spec';
import { mesh, REPO_ROOT } from './helpers';

const PROFILE = 'domains/customer/customer-profile-snapshot';

/** The example mesh in a git repository, then a commit renaming customer-profile-snapshot (folder, map entry, metadata.name). */
function renamedRepo(): { root: string; git: (...args: string[]) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-plan-cli-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  // opa, for the policy decision function of each side
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  fs.writeFileSync(path.join(root, '.gitignore'), '.tools/\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('mv', PROFILE, 'domains/customer/customer-profile-history');
  for (const [file, from, to] of [
    ['domains/customer/customer-profile-history/data-product.yaml', 'name: customer-profile-snapshot', 'name: customer-profile-history'],
    ['domains/domain-map.yaml', '- customer-profile-snapshot #', '- customer-profile-history #'],
  ] as const) {
    const full = path.join(root, file);
    fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(from, to));
  }
  git('commit', '-q', '-am', 'rename');
  return { root, git };
}

describe('mesh plan', () => {
  const { root, git } = renamedRepo();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--format json: the plan file the Action reads, exit 1 on an orphaned table', async () => {
    const run = await mesh(['plan', '--root', root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(run.code).toBe(1);
    const read = readPlanFile(run.stdout, { base: git('rev-parse', 'HEAD~1').trim(), head: git('rev-parse', 'HEAD').trim() });
    if (!read.ok) throw new Error(read.problem);
    const orphaned = read.file.plan!.resources.filter((r) => r.action === 'orphan' && r.type === 'Custom::IcebergTable');
    expect(orphaned.map((r) => r.logicalId)).toEqual([expect.stringMatching(/^CustomerProfileSnapshotProfileSnapshotDailyTable/)]);
    expect(read.file.diagnostics.filter((d) => d.code === 'MESH511')).toHaveLength(1);
    // Another head is refused, loudly.
    const other = readPlanFile(run.stdout, { head: git('rev-parse', 'HEAD~1').trim() });
    expect(other).toMatchObject({ ok: false, problem: expect.stringContaining('is the plan of head') });
  });

  it('text and markdown name the orphaned resource and what happens to its data', async () => {
    const text = await mesh(['plan', '--root', root, '--base', 'HEAD~1']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/- orphan {6}CustomerProfileSnapshotProfileSnapshotDailyTable\w+ {2}Custom::IcebergTable {2}\[customer\/customer-profile-snapshot profile_snapshot_daily\] {2}data retained, resource orphaned/);
    expect(text.stdout).toMatch(/5:3 +error +MESH511 +customer\/customer-profile-snapshot \(port profile_snapshot_daily\): Iceberg table /);
    const md = await mesh(['plan', '--root', root, '--base', 'HEAD~1', '--format', 'markdown']);
    expect(md.stdout).toContain('<details open><summary><b>Deploy plan</b>: 33 added, 6 modified, 0 replaced, 33 removed');
    expect(md.stdout).toMatch(/\| 🟠 orphan \| DataMesh-Customer \| `CustomerProfileSnapshotProfileSnapshotDailyTable\w+` \| Custom::IcebergTable \| customer\/customer-profile-snapshot \(profile_snapshot_daily\) \| \*\*data retained, resource orphaned\*\* \|/);
  });

  it('mesh check --base includes the plan: its findings, and a collapsible section in the markdown', async () => {
    const env = process.env.PATH;
    process.env.PATH = `${path.join(REPO_ROOT, '.tools', 'bin')}${path.delimiter}${env}`;
    try {
      const md = await mesh(['check', '--root', root, '--base', 'HEAD~1', '--format', 'markdown', '--policy-tests', 'never', '--no-cache']);
      expect(md.code).toBe(1);
      expect(md.stdout).toMatch(/### Deploy plan\n\n[^]*MESH511[^]*<details><summary><b>Deploy plan<\/b>: 33 added/);
      // The verdict line counts the plan's findings too, as the exit code does.
      expect(md.stdout).toMatch(/^❌ \*\*mesh check failed\*\*: [1-9]\d* error\(s\)/mu);
      const json = await mesh(['check', '--root', root, '--base', 'HEAD~1', '--format', 'json', '--policy-tests', 'never', '--no-cache']);
      const report = JSON.parse(json.stdout);
      expect(report.plan.summary).toMatchObject({ added: 33, removed: 33, replaced: 0 });
      expect(report.diagnostics.filter((d: { code: string }) => d.code === 'MESH511')).toHaveLength(1);
      expect(report.summary.errors).toBe(report.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length);
      const without = JSON.parse((await mesh(['check', '--root', root, '--base', 'HEAD~1', '--format', 'json', '--policy-tests', 'never', '--no-cache', '--no-plan'])).stdout);
      expect(without.plan).toBeUndefined();
      expect(without.diagnostics.some((d: { code: string }) => d.code === 'MESH511')).toBe(false);
    } finally {
      process.env.PATH = env;
    }
  });

  it('a base that is not a commit exits 2 with the reason', async () => {
    const run = await mesh(['plan', '--root', root, '--base', 'no-such-ref']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mesh: "no-such-ref" is not a commit/);
  });
});
