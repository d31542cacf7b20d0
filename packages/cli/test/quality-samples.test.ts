import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '@data-mesh/spec';
import { mesh, REPO_ROOT } from './helpers';

type Row = Record<string, unknown>;
const products = loadMesh(REPO_ROOT).validProducts();
const samplesOf = (id: string) => {
  const dir = path.join(REPO_ROOT, path.dirname(products.find((p) => p.id === id)!.file), 'samples');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { now: string; port: string; rows: number };
  const rows = fs.readFileSync(path.join(dir, `${manifest.port}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  return { dir, manifest, rows };
};
/** The line of a rule in its product's spec, found in the text. */
const lineOf = (id: string, rule: string) => {
  const file = products.find((p) => p.id === id)!.file;
  const index = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n').findIndex((l) => l.includes(`rule: ${JSON.stringify(rule)}`));
  expect(index).toBeGreaterThanOrEqual(0);
  return `${file}:${index + 1}`;
};

describe("every example product's samples (scripts/generate-samples.js)", () => {
  it('exist, with a manifest, and pass every rule of their product', async () => {
    expect(products.length).toBeGreaterThanOrEqual(9);
    for (const product of products) {
      const { manifest, rows } = samplesOf(product.id);
      expect(rows.length).toBe(manifest.rows);
      expect(rows.length).toBeGreaterThanOrEqual(200);
      const run = await mesh(['quality', 'run', product.id]);
      expect({ id: product.id, code: run.code, failing: run.stdout.split('\n').filter((l) => /^(✖|⚠)/.test(l)) }).toEqual({ id: product.id, code: 0, failing: [] });
      expect(run.stdout).toContain(`NOW() = ${manifest.now}`);
    }
  }, 120_000);

  // One sample edit per kind of rule: the run fails (or warns) at the rule's line.
  const BREAKS: [kind: string, id: string, rule: string, edit: (rows: Row[]) => void, blocking: boolean][] = [
    ['not null', 'customer/customer-360', 'customer_id IS NOT NULL', (r) => { r[3]!.customer_id = null; }, true],
    ['comparison with a number', 'customer/customer-360', 'lifetime_value_usd >= 0', (r) => { r[0]!.lifetime_value_usd = -1; }, true],
    ['accepted values', 'customer/customer-360', "tier IN ('bronze', 'silver', 'gold', 'platinum')", (r) => { r[7]!.tier = 'diamond'; }, true],
    ['completeness', 'customer/customer-360', 'completeness(email_domain) >= 0.95', (r) => r.slice(0, 30).forEach((row) => { row.email_domain = null; }), true],
    ['uniqueness', 'customer/customer-events-v1', 'uniqueness(event_id) >= 0.999', (r) => { r[1]!.event_id = r[0]!.event_id; }, true],
    ['range', 'logistics/shipment-events-v2', 'package_count BETWEEN 1 AND 100', (r) => { r[2]!.package_count = 101; }, true],
    ['two columns', 'payments/revenue-daily-summary', 'net_revenue_usd <= gross_revenue_usd', (r) => { r[0]!.net_revenue_usd = Number(r[0]!.gross_revenue_usd) + 1; }, true],
    ['conditional (OR)', 'payments/refund-events-v1', "status != 'PROCESSED' OR processed_at IS NOT NULL", (r) => Object.assign(r[0]!, { status: 'PROCESSED', processed_at: null }), true],
    ['average', 'logistics/fulfillment-kpis', 'avg(on_time_rate) >= 0.9', (r) => r.forEach((row) => { row.on_time_rate = 0.5; }), false],
    ['relative to NOW()', 'customer/customer-events-v1', 'occurred_at > (NOW() - INTERVAL 7 DAY)', (r) => { r[0]!.occurred_at = '2020-01-01T00:00:00Z'; }, false],
    ['freshness (max of a time)', 'logistics/inventory-snapshot-hourly', 'max(snapshot_at) > (NOW() - INTERVAL 2 HOUR)', (r) => r.forEach((row) => { row.snapshot_at = '2026-01-01T00:00:00Z'; }), false],
  ];

  it.each(BREAKS)('a sample edited against a %s rule fails it, at its line', async (_kind, id, rule, edit, blocking) => {
    const { manifest, rows } = samplesOf(id);
    edit(rows);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-broken-sample-')), 'broken.jsonl');
    fs.writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    // the samples' times spread over their window: their age is not what these edits test
    const run = await mesh(['quality', 'run', id, '--data', file, '--now', manifest.now, '--no-freshness']);
    expect(run.code).toBe(blocking ? 1 : 0);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes(rule) && /^(✖|⚠) fail/.test(l));
    expect(lines[at + 1]).toBe(`    at ${lineOf(id, rule)}`);
    // only the rule aimed at fails
    expect(lines.filter((l) => /^(✖|⚠) /.test(l))).toEqual([lines[at]]);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }, 60_000);
});

describe('scripts/generate-samples.js', () => {
  it('makes exactly the committed samples again from their manifest (seed and now)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-generate-samples-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'domains'), path.join(tmp, 'domains'), { recursive: true });
      const id = 'logistics/shipment-events-v2';
      const { dir, manifest } = samplesOf(id);
      const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/generate-samples.js'), '--root', tmp, '--now', manifest.now, id], { encoding: 'utf8' });
      expect(out).toMatch(/logistics\/shipment-events-v2: .*300 rows, 6 rules pass/);
      const copy = path.join(tmp, path.relative(REPO_ROOT, dir));
      for (const f of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(copy, f), 'utf8')).toBe(fs.readFileSync(path.join(dir, f), 'utf8'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('mesh quality run --now', () => {
  it('refuses what is not an instant, and a samples manifest that is not JSON, as usage errors', async () => {
    const bad = await mesh(['quality', 'run', 'customer/customer-360', '--now', "2026-12-05'; DROP TABLE data; --"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected an ISO-8601 instant/);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bad-manifest-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'domains'), path.join(tmp, 'domains'), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'domains/customer/customer-360/samples/manifest.json'), '{"now": ');
      const run = await mesh(['quality', 'run', 'customer/customer-360', '--root', tmp]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/samples\/manifest\.json: not JSON/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
