import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheck } from '../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const TRANSACTIONS = 'domains/payments/schemas/transaction_events_v1.avsc';

/** A git repository with this repository's mesh and policies, and the pinned tools linked in. */
function repository(): { root: string; commit: (message: string) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-check-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env', '.regal']) {
    if (fs.existsSync(path.join(REPO_ROOT, entry))) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  fs.writeFileSync(path.join(root, '.gitignore'), '.tools/\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args]);
  git('init', '-q', '-b', 'main');
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };
  commit('base');
  return { root, commit };
}

describe('runCheck', () => {
  it('passes the example mesh with no base', async () => {
    const report = await runCheck({ root: repository().root, policyTests: 'never' });
    // the two GDPR-scoped streams keep erased subjects' records 90 and 730 days (MESH317)
    expect(report.summary).toEqual({ domains: 3, products: 9, errors: 0, warnings: 2, breaking: 0 });
    expect(report.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.file}`)).toEqual([
      'MESH317 domains/customer/customer-360/data-product.yaml',
      'MESH317 domains/customer/customer-events-v1/data-product.yaml',
    ]);
    expect(report.changes).toEqual([]);
    expect(report.markdown).toContain('✅ **mesh check passed**');
  });

  it('reports a breaking change, the consumers it hits, and renders them for the pull request', async () => {
    const { root } = repository();
    const full = path.join(root, TRANSACTIONS);
    const schema = JSON.parse(fs.readFileSync(full, 'utf8'));
    schema.fields = schema.fields.filter((f: { name: string }) => f.name !== 'currency');
    fs.writeFileSync(full, JSON.stringify(schema, null, 2));
    const report = await runCheck({ root, base: 'HEAD', policyTests: 'never' });
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(report.summary.breaking).toBeGreaterThan(0);
    expect(report.changes.map((c) => c.product)).toEqual(['payments/transaction-events-v1']);
    expect(report.changes[0]!.impact.map((i) => i.consumer).sort()).toEqual(['customer/customer-360', 'payments/revenue-daily-summary']);
    expect(report.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['MESH201', 'MESH203', 'MESH208']));
    expect(report.markdown).toContain('❌ **mesh check failed**');
    expect(report.markdown).toContain('```mermaid');
    expect(report.markdown).toContain('`customer/customer-360` (customer-platform)');
  });

  it('runs the policy tests when a policy changed, and a broken PII rule fails them and a probe', async () => {
    const { root } = repository();
    const policies = path.join(root, 'governance', 'policies');
    const file = fs.readdirSync(policies).find((f) => f.endsWith('.rego') && !f.endsWith('_test.rego') && fs.readFileSync(path.join(policies, f), 'utf8').includes('pii_authorized'));
    expect(file).toBeDefined();
    const full = path.join(policies, file!);
    const text = fs.readFileSync(full, 'utf8');
    // Drop the role check: every caller may now read PII.
    const broken = text.replace(/^(\s*)not has_(?:pii_role|role\(pii_role\))\s*$/m, '$1false');
    expect(broken).not.toBe(text);
    fs.writeFileSync(full, broken);
    const report = await runCheck({ root, base: 'HEAD' });
    const codes = new Set(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
    expect(codes.has('MESH301')).toBe(true);
    expect(report.diagnostics.some((d) => d.code.startsWith('MESH3') && /customer-360/.test(d.message) && /email_hash|phone_hash|full_name/.test(d.message))).toBe(true);
  });
});
