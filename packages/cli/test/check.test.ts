import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

const BIN = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');

describe('mesh check', () => {
  it('passes on the repository, with the documented JSON summary', async () => {
    const run = await mesh(['check', '--format', 'json', '--policy-tests', 'never']);
    expect(run.code).toBe(0);
    // the two GDPR-scoped streams of the examples keep erased subjects' records too long (MESH317)
    expect(JSON.parse(run.stdout).summary).toEqual({ domains: 3, products: 9, errors: 0, warnings: 2, breaking: 0 });
  });

  it('exits 2 and says how to install opa when it is missing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-noopa-'));
    for (const entry of ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    const run = spawnSync(process.execPath, [BIN, 'check', '--root', root], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir() } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^mesh: opa is missing\n {2}install it with: .*setup-tools\.sh/);
  });
});

describe('mesh policy', () => {
  it('test runs the Rego tests with the real opa', async () => {
    const run = await mesh(['policy', 'test', '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.passed).toBeGreaterThan(20);
    expect(report.failed).toBe(0);
    expect(report.coverage).toBeGreaterThanOrEqual(90);
  });

  it('eval prints the decision of the compiled policy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-eval-'));
    const input = path.join(dir, 'input.json');
    const request = (roles: string[]) => ({
      action: 'read',
      now_ns: 1_790_000_000_000_000_000,
      subject: { id: 'analyst-1', roles, team: 'payments-engineering' },
      resource: { domain: 'customer', product: 'customer-360', fields: ['customer_id', 'email_hash'], record_created_ns: 1_789_000_000_000_000_000 },
    });
    fs.writeFileSync(input, JSON.stringify(request([])));
    const denied = await mesh(['policy', 'eval', '--input', input]);
    expect(denied.code).toBe(0);
    const decision = JSON.parse(denied.stdout);
    expect(decision.allow).toBe(false);
    expect(JSON.stringify(decision.reasons)).toContain('email_hash');
    fs.writeFileSync(input, '{ not json');
    expect((await mesh(['policy', 'eval', '--input', input])).code).toBe(2);
  });
});

describe('mesh synth', () => {
  it('writes a template for the platform and each domain', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-'));
    const run = await mesh(['synth', '--out', out, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    const stacks = report.templates.map((t: { stack: string }) => t.stack);
    expect(stacks).toEqual(expect.arrayContaining(['DataMesh-Platform', 'DataMesh-Customer', 'DataMesh-Payments', 'DataMesh-Logistics']));
    for (const t of report.templates) expect(fs.existsSync(t.template)).toBe(true);
  }, 120_000);
});
