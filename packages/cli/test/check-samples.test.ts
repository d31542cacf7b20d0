import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

const REVENUE = 'domains/payments/revenue-daily-summary';
const SPEC = `${REVENUE}/data-product.yaml`;
const RULE = '"net_revenue_usd <= gross_revenue_usd"';

/** The example mesh committed in a git repository of its own. */
function exampleRepo(): { root: string; git: (...args: string[]) => string; edit: (file: string, from: string, to: string) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-check-samples-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  fs.writeFileSync(path.join(root, '.gitignore'), '.tools/\n');
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const edit = (file: string, from: string, to: string) => {
    const full = path.join(root, file);
    const text = fs.readFileSync(full, 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(full, text.replace(from, to));
  };
  return { root, git, edit };
}

const lineOf = (root: string, file: string, needle: string) => fs.readFileSync(path.join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;
type Finding = { code: string; file: string; line: number; severity: string; message: string };
const findings = (stdout: string) => (JSON.parse(stdout) as { diagnostics: Finding[] }).diagnostics.filter((d) => d.code === 'MESH403');
const check = (root: string, ...args: string[]) => mesh(['check', '--root', root, '--format', 'json', '--policy-tests', 'never', '--no-plan', '--no-cache', ...args]);

describe("mesh check runs the products' quality rules on their samples", () => {
  const repo = exampleRepo();
  afterAll(() => fs.rmSync(repo.root, { recursive: true, force: true }));
  afterEach(() => {
    repo.git('checkout', '-q', '--', '.');
    repo.git('clean', '-fdq');
  });

  it('passes when nothing changed, and runs no samples against a base', async () => {
    const run = await check(repo.root, '--base', 'HEAD');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).scope.dataChecked).toEqual([]);
  });

  it('fails a rule that contradicts the samples, at the rule\'s line, when the rule changed', async () => {
    repo.edit(SPEC, RULE, '"net_revenue_usd > gross_revenue_usd"');
    const run = await check(repo.root, '--base', 'HEAD');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.scope.dataChecked).toEqual(['payments/revenue-daily-summary']);
    const [finding, ...rest] = findings(run.stdout);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', file: SPEC, line: lineOf(repo.root, SPEC, 'net_revenue_usd > gross_revenue_usd') });
    expect(finding!.message).toMatch(/fails on the product's samples .*300 rows.*observed .*300 failing row\(s\)/);
  });

  it('fails samples edited against a rule, when only the samples changed', async () => {
    const file = `${REVENUE}/samples/revenue_daily.jsonl`;
    const rows = fs.readFileSync(path.join(repo.root, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    rows[4]!.net_revenue_usd = rows[4]!.gross_revenue_usd! + 5;
    fs.writeFileSync(path.join(repo.root, file), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const run = await check(repo.root, '--base', 'HEAD');
    expect(run.code).toBe(1);
    expect(findings(run.stdout).map((f) => [f.file, f.line, /1 failing row/.test(f.message)])).toEqual([[SPEC, lineOf(repo.root, SPEC, RULE), true]]);
  });

  it('without a base runs every product\'s samples; --no-samples runs none and says so', async () => {
    repo.edit(SPEC, RULE, '"net_revenue_usd > gross_revenue_usd"');
    const all = await check(repo.root);
    expect(all.code).toBe(1);
    expect(JSON.parse(all.stdout).scope.dataChecked).toHaveLength(9);
    const none = await check(repo.root, '--no-samples');
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout).scope.dataChecked).toBeUndefined();
    const text = await mesh(['check', '--root', repo.root, '--policy-tests', 'never', '--no-cache']);
    expect(text.stdout).toContain('Quality rules ran on the samples of 9 product(s).');
  });

  it('reports unusable samples instead of passing them', async () => {
    fs.writeFileSync(path.join(repo.root, REVENUE, 'samples', 'manifest.json'), '{ not json');
    fs.writeFileSync(path.join(repo.root, REVENUE, 'samples', 'extra.csv'), 'a,b\n1,2\n');
    const run = await check(repo.root, '--base', 'HEAD');
    expect(run.code).toBe(1);
    expect(findings(run.stdout).map((f) => [f.file, f.message.replace(/\(.*\)/, '(...)')])).toEqual([[SPEC, 'payments/revenue-daily-summary: domains/payments/revenue-daily-summary/samples/ mixes data formats (...): the samples were not checked']]);
    fs.rmSync(path.join(repo.root, REVENUE, 'samples', 'extra.csv'));
    const manifest = await check(repo.root, '--base', 'HEAD');
    expect(findings(manifest.stdout).map((f) => [f.file, f.line, f.message])).toEqual([[`${REVENUE}/samples/manifest.json`, 1, expect.stringMatching(/not JSON .*the samples were not checked/)]]);
    fs.writeFileSync(path.join(repo.root, REVENUE, 'samples', 'revenue_daily.jsonl'), '{"report_date": 3\n');
    repo.git('checkout', '-q', '--', `${REVENUE}/samples/manifest.json`);
    const unreadable = await check(repo.root, '--base', 'HEAD');
    expect(unreadable.code).toBe(1);
    expect(findings(unreadable.stdout).map((f) => f.message)).toEqual([expect.stringMatching(/samples in .* cannot be read .*they were not checked/)]);
  });

  it('mesh quality samples runs the same, alone, for a CI step beside the Action', async () => {
    repo.edit(SPEC, RULE, '"net_revenue_usd > gross_revenue_usd"');
    const run = await mesh(['quality', 'samples', '--root', repo.root, '--base', 'HEAD', '--format', 'github']);
    expect(run.code).toBe(1);
    const line = lineOf(repo.root, SPEC, 'net_revenue_usd > gross_revenue_usd');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([expect.stringMatching(new RegExp(`^::error file=${SPEC},line=${line},.*MESH403`))]);
    const unchanged = await mesh(['quality', 'samples', '--root', repo.root, '--base', 'HEAD', '--format', 'json']);
    expect(JSON.parse(unchanged.stdout).summary.products).toEqual(['payments/revenue-daily-summary']);
    repo.git('checkout', '-q', '--', '.');
    const clean = await mesh(['quality', 'samples', '--root', repo.root, '--base', 'HEAD']);
    expect([clean.code, clean.stdout.trim()]).toEqual([0, `✔ 0 error(s), 0 warning(s) from the quality rules on the samples of 0 product(s) whose spec, schemas or samples changed against HEAD`]);
    expect((await mesh(['quality', 'samples', '--root', repo.root, '--base', 'no-such-ref'])).code).toBe(2);
  });
});

describe('a REFERENCES rule is judged again when the product it reads changes', () => {
  const SHIPMENTS = 'domains/logistics/shipment-events-v2';
  const CUSTOMERS = 'domains/customer/customer-360/samples/customer_snapshot_daily.jsonl';
  const REFERENCES = 'customer_id REFERENCES customer/customer-360.customer_snapshot_daily.customer_id';
  const repo = exampleRepo();
  afterAll(() => fs.rmSync(repo.root, { recursive: true, force: true }));
  const read = (file: string) => fs.readFileSync(path.join(repo.root, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const write = (file: string, rows: readonly Record<string, unknown>[]) => fs.writeFileSync(path.join(repo.root, file), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

  it("fails the reader's rule at its line when the other product's samples lose a value it reads", async () => {
    // the base: every shipment's customer is among customer-360's samples, and the rule passes
    const customers = read(CUSTOMERS);
    const shipmentsFile = `${SHIPMENTS}/samples/shipment_events_stream.jsonl`;
    write(shipmentsFile, read(shipmentsFile).map((s, i) => ({ ...s, customer_id: customers[i % 5]!.customer_id })));
    repo.edit(`${SHIPMENTS}/data-product.yaml`, '    - rule: "uniqueness(event_id) >= 0.999"\n', `    - rule: "uniqueness(event_id) >= 0.999"\n    - rule: "${REFERENCES}"\n`);
    expect((await check(repo.root)).code).toBe(0);
    repo.git('commit', '-qam', 'shipments reference customers');

    write(CUSTOMERS, customers.slice(1));
    const run = await check(repo.root, '--base', 'HEAD');
    expect(JSON.parse(run.stdout).scope.dataChecked).toEqual(['customer/customer-360', 'logistics/shipment-events-v2']);
    expect(findings(run.stdout).map((f) => [f.file, f.line])).toEqual([[`${SHIPMENTS}/data-product.yaml`, lineOf(repo.root, `${SHIPMENTS}/data-product.yaml`, REFERENCES)]]);
    expect(run.code).toBe(1);
  });
});
