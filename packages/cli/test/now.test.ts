import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

/** The example mesh with payments/transaction-events-v1 deprecated until 2027-01-01 (customer-360 reads it). */
function deprecatedSource(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-now-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  const spec = path.join(root, 'domains', 'payments', 'transaction-events-v1', 'data-product.yaml');
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('  domain: payments\n', '  domain: payments\n  status: deprecated\n  sunset: "2027-01-01"\n'));
  return root;
}

type Finding = { code: string; severity: string; file: string; message: string };
const mesh123 = (stdout: string) => (JSON.parse(stdout) as { diagnostics: Finding[] }).diagnostics.filter((d) => d.code === 'MESH123');

describe('--now judges sunsets as of another day', () => {
  const root = deprecatedSource();

  it('mesh validate: a warning the day before the sunset, an error on it', async () => {
    const before = await mesh(['validate', '--root', root, '--no-policy', '--format', 'json', '--now', '2026-12-31T23:59:59Z']);
    expect(before.code).toBe(0);
    expect(mesh123(before.stdout).map((d) => [d.severity, d.file])).toContainEqual(['warning', 'domains/customer/customer-360/data-product.yaml']);
    const after = await mesh(['validate', '--root', root, '--no-policy', '--format', 'json', '--now', '2027-01-01T00:00:00Z']);
    expect(after.code).toBe(1);
    expect(mesh123(after.stdout).map((d) => [d.severity, d.file])).toContainEqual(['error', 'domains/customer/customer-360/data-product.yaml']);
  });

  it('mesh check takes the same day', async () => {
    const run = await mesh(['check', '--root', root, '--format', 'json', '--policy-tests', 'never', '--no-samples', '--no-cache', '--now', '2027-01-01T00:00:00Z']);
    expect(run.stderr).toBe('');
    expect(mesh123(run.stdout).map((d) => d.severity)).toContain('error');
  });

  it('refuses what is not an instant', async () => {
    const run = await mesh(['validate', '--root', root, '--now', '2027-01-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--now <instant>' argument '2027-01-01' is invalid\. expected an ISO-8601 instant with its offset/);
  });
});
