import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

const TRANSACTIONS = 'domains/payments/schemas/transaction_events_v1.avsc';
const TRANSACTION_SPEC = 'domains/payments/transaction-events-v1/data-product.yaml';

/** A git repository holding this repository's example mesh in one commit. */
function exampleRepo(): { root: string; git: (...args: string[]) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-diff-'));
  for (const entry of ['domains', 'platform.yaml', '.github/CODEOWNERS']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { root, git };
}

function editJson(root: string, file: string, edit: (value: { fields: { name: string }[] }) => void): void {
  const full = path.join(root, file);
  const value = JSON.parse(fs.readFileSync(full, 'utf8'));
  edit(value);
  fs.writeFileSync(full, JSON.stringify(value, null, 2));
}

function editText(root: string, file: string, from: string, to: string): void {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} is not in ${file}`);
  fs.writeFileSync(full, text.replace(from, to));
}

describe('mesh diff on the example mesh', () => {
  it('names the consumer in another domain, its team and the field when an upstream removes a field it reads', async () => {
    const { root, git } = exampleRepo();
    editJson(root, TRANSACTIONS, (schema) => (schema.fields = schema.fields.filter((f) => f.name !== 'customer_id')));
    editText(root, TRANSACTION_SPEC, 'version: "1.3.0"', 'version: "2.0.0"');
    git('commit', '-q', '-am', 'drop customer_id');
    const run = await mesh(['diff', '--root', root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0].impact).toEqual([
      {
        consumer: 'customer/customer-360',
        team: 'customer-platform',
        oncall: 'customer-data-oncall',
        port: 'transaction_events_stream',
        fields: ['customer_id'],
        reason: 'reads customer_id (removed)',
      },
    ]);
    const impact = report.diagnostics.find((d: { code: string; severity: string }) => d.code === 'MESH203' && d.severity === 'error');
    expect(impact).toMatchObject({ file: TRANSACTION_SPEC, message: expect.stringContaining('customer/customer-360 (team customer-platform') });
    const text = await mesh(['diff', '--root', root, '--base', 'HEAD~1', '--head', 'HEAD']);
    expect(text.stdout).toContain('hits customer/customer-360 (team customer-platform, on-call customer-data-oncall): transaction_events_stream customer_id');
  });

  it('passes a removed field that nobody reads when the mode allows it', async () => {
    // merchant_id is read by no product; the port's FULL_TRANSITIVE mode needs a default for a removal, BACKWARD_TRANSITIVE does not.
    const strict = exampleRepo().root;
    editJson(strict, TRANSACTIONS, (schema) => (schema.fields = schema.fields.filter((f) => f.name !== 'merchant_id')));
    editText(strict, TRANSACTION_SPEC, 'version: "1.3.0"', 'version: "1.3.1"');
    const underFull = await mesh(['diff', '--root', strict, '--base', 'HEAD', '--format', 'json']);
    expect(JSON.parse(underFull.stdout).diagnostics.map((d: { code: string }) => d.code)).toContain('MESH201');
    expect(underFull.code).toBe(1);

    const { root: clean, git } = exampleRepo();
    editText(clean, TRANSACTION_SPEC, 'compatibility: FULL_TRANSITIVE', 'compatibility: BACKWARD_TRANSITIVE');
    editText(clean, TRANSACTION_SPEC, 'version: "1.3.0"', 'version: "1.3.1"');
    git('commit', '-q', '-am', 'mode');
    editJson(clean, TRANSACTIONS, (schema) => (schema.fields = schema.fields.filter((f) => f.name !== 'merchant_id')));
    editText(clean, TRANSACTION_SPEC, 'version: "1.3.1"', 'version: "1.3.2"');
    const run = await mesh(['diff', '--root', clean, '--base', 'HEAD', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({ changed: 1, breaking: 0, errors: 0 });
    expect(report.changes[0].safe).toEqual([
      expect.objectContaining({ port: 'transaction_events_stream', change: 'removes merchant_id', evidence: expect.stringContaining('customer/customer-360 reads customer_id') }),
    ]);
    expect(run.code).toBe(0);
  });

  it('renders the impact graph as Mermaid that Mermaid parses', async () => {
    const { root } = exampleRepo();
    editJson(root, TRANSACTIONS, (schema) => (schema.fields = schema.fields.filter((f) => f.name !== 'currency')));
    const run = await mesh(['diff', '--root', root, '--base', 'HEAD', '--format', 'markdown']);
    expect(run.code).toBe(1);
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(run.stdout)?.[1];
    expect(block).toBeDefined();
    const parsed = JSON.parse(
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'packages/spec/test/support/parse-mermaid.mjs')], { input: block, encoding: 'utf8' }),
    );
    expect(parsed).toMatchObject({ ok: true, type: 'flowchart-v2' });
    const label = (id: string) => String(parsed.vertices[id].text);
    const edges = parsed.edges.map((e: { start: string; end: string; text: string }) => `${label(e.start).split(/<br\/?>/)[0]} -> ${label(e.end).split(/<br\/?>/)[0]}: ${e.text}`);
    expect(edges.sort()).toEqual([
      'payments/transaction-events-v1 -> customer/customer-360: transaction_events_stream: currency',
      'payments/transaction-events-v1 -> payments/revenue-daily-summary: transaction_events_stream: currency',
    ]);
    expect(run.stdout).toMatch(/\| `payments\/transaction-events-v1` \| modified \|/);
  });

  it('exits 2 outside a git repository or with an unknown base', async () => {
    const { root } = exampleRepo();
    expect((await mesh(['diff', '--root', root, '--base', 'does-not-exist'])).code).toBe(2);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-nogit-'));
    const run = await mesh(['diff', '--root', plain, '--base', 'HEAD']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mesh: git/);
  });
});
