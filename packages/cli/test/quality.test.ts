import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileSql, loadMesh, parseQualityRule, type TopLevelField } from '@data-mesh/spec';
import { mesh, REPO_ROOT } from './helpers';

const PRODUCT = 'customer/customer-360';
const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-quality-'));

/** Rows valid for the snapshot port's schema and customer-360's rules. */
function validRows(count: number, overrides: (i: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  const product = loadMesh(REPO_ROOT).products.get(PRODUCT);
  const fields = product?.outputPorts.find((p) => p.name === 'customer_snapshot_daily')?.schemaFile?.topFields as readonly TopLevelField[];
  const now = new Date().toISOString();
  const value = (f: TopLevelField, i: number): unknown => {
    if (f.name === 'tier') return 'gold';
    if (f.logicalType?.startsWith('timestamp')) return now;
    if (f.logicalType === 'date') return now.slice(0, 10);
    if (f.type === 'int' || f.type === 'long') return i;
    if (f.type === 'double' || f.type === 'float' || f.logicalType === 'decimal') return i * 1.5;
    if (f.type === 'boolean') return true;
    return `${f.name}-${i}`;
  };
  return Array.from({ length: count }, (_, i) => ({ ...Object.fromEntries(fields.map((f) => [f.name, value(f, i)])), ...overrides(i) }));
}

function jsonl(rows: readonly Record<string, unknown>[]): string {
  const file = path.join(dir(), 'data.jsonl');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return file;
}

function csv(rows: readonly Record<string, unknown>[]): string {
  const file = path.join(dir(), 'data.csv');
  const columns = Object.keys(rows[0] ?? {});
  const text = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
  fs.writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => text(r[c])).join(','))].join('\n'));
  return file;
}

describe('mesh quality run', () => {
  it('passes valid JSON-lines data and exits 0', async () => {
    const run = await mesh(['quality', 'run', PRODUCT, '--data', jsonl(validRows(50)), '--format', 'json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ product: PRODUCT, port: 'customer_snapshot_daily', rows: 50, types: [] });
    expect(report.rules.map((r: { verdict: string }) => r.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(run.code).toBe(0);
  });

  it('reports verdict, observed value, failing rows with PII masked, and exits 1', async () => {
    const rows = validRows(40, (i) => ({ tier: i < 7 ? 'tin' : 'gold', email_domain: i < 4 ? null : 'example.com' }));
    const run = await mesh(['quality', 'run', PRODUCT, '--data', csv(rows), '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const tier = report.rules.find((r: { rule: string }) => r.rule.startsWith('tier IN'));
    expect(tier).toMatchObject({ verdict: 'fail', observed: '7', failingRowCount: 7, severity: 'error' });
    expect(tier.failingRows).toHaveLength(5);
    expect(tier.failingRows[0]).toMatchObject({ tier: 'tin', full_name: '***', email_hash: '***', customer_id: 'customer_id-0' });
    const completeness = report.rules.find((r: { rule: string }) => r.rule.startsWith('completeness'));
    expect(completeness).toMatchObject({ verdict: 'fail', observed: '0.9' });
    expect(completeness.failingRows).toHaveLength(4);
  });

  it('text output names the rule and its line in the spec', async () => {
    const run = await mesh(['quality', 'run', PRODUCT, '--data', csv(validRows(10, (i) => ({ lifetime_value_usd: -i - 1 })))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ fail  error   lifetime_value_usd >= 0  (observed 10, 10 failing rows)\n    at domains/customer/customer-360/data-product.yaml:51\n');
  });

  it('a string where a number belongs is a type finding, not a crash', async () => {
    const run = await mesh(['quality', 'run', PRODUCT, '--data', csv(validRows(10, (i) => ({ lifetime_value_usd: i === 2 ? 'lots' : i })))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ type  lifetime_value_usd: 1 value not DOUBLE, e.g. "lots"');
  });

  it('a fraction where an integer belongs is a type finding, not rounded (DuckDB casts "1.5" to 2)', async () => {
    const rows = validRows(10, (i) => ({ orders_365d: i === 3 ? '1.5' : i === 4 ? 2.5 : i }));
    const run = await mesh(['quality', 'run', PRODUCT, '--data', csv(rows)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✖ type  orders_365d: 2 values not INTEGER, e.g. "1.5", "2.5"');
  });

  it('NaN in a double is missing to the rules, not a type finding', async () => {
    const rows = validRows(20, (i) => ({ lifetime_value_usd: i < 2 ? 'NaN' : i }));
    const report = JSON.parse((await mesh(['quality', 'run', PRODUCT, '--data', csv(rows), '--format', 'json'])).stdout);
    expect(report.types).toEqual([]);
    const nonNegative = report.rules.find((r: { rule: string }) => r.rule === 'lifetime_value_usd >= 0');
    expect(nonNegative).toMatchObject({ verdict: 'pass', observed: '0' });
  });

  it('a spec whose port schema does not load is a usage error, not rules run on untyped text', async () => {
    const root = dir();
    fs.cpSync(path.join(REPO_ROOT, 'domains'), path.join(root, 'domains'), { recursive: true });
    fs.rmSync(path.join(root, 'domains', 'customer', 'schemas'), { recursive: true });
    const run = await mesh(['quality', 'run', PRODUCT, '--root', root, '--data', csv(validRows(3))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the data cannot be typed and the rules did not run/);
    expect(run.stdout).toBe('');
  });

  describe("freshness from the data against the port's SLA", () => {
    // customer_snapshot_daily: snapshot_date (a date), "< 2 hours after midnight UTC": a day's
    // data is complete when the day ends and may be read until 02:00 the day after next.
    const rows = () => csv(validRows(5, () => ({ snapshot_date: '2026-01-01' })));
    const freshness = async (now: string) => JSON.parse((await mesh(['quality', 'run', PRODUCT, '--data', rows(), '--now', now, '--format', 'json'])).stdout).freshness;

    it('is fresh within the promise, counted from the end of the latest day', async () => {
      expect(await freshness('2026-01-03T01:59:59Z')).toEqual({
        sla: '< 2 hours after midnight UTC', allowed: '26 hours', column: 'snapshot_date', latest: '2026-01-02T00:00:00.000Z', age: '1 day 1 hour old', ageMs: 93_599_000, verdict: 'fresh',
      });
    });

    it('is stale past it, and a stale run on data fails (exit 1)', async () => {
      const run = await mesh(['quality', 'run', PRODUCT, '--data', rows(), '--now', '2026-01-03T02:00:01Z']);
      expect(run.stdout).toContain('✖ freshness stale (SLA < 2 hours after midnight UTC: at most 26 hours old; snapshot_date is current to 2026-01-02T00:00:00.000Z, 1 day 2 hours old)\n');
      expect(run.code).toBe(1);
      // the same run with --no-freshness passes: the exit above came from the age alone
      const historical = await mesh(['quality', 'run', PRODUCT, '--data', rows(), '--now', '2026-01-03T02:00:01Z', '--no-freshness']);
      expect(historical.stdout).toContain('ℹ freshness stale (SLA < 2 hours after midnight UTC: at most 26 hours old; snapshot_date is current to 2026-01-02T00:00:00.000Z, 1 day 2 hours old) [not judged: --no-freshness]\n');
      expect(historical.code).toBe(0);
    });

    it('is unmeasured, and fails, when the time column has no value', async () => {
      const run = await mesh(['quality', 'run', PRODUCT, '--data', csv(validRows(3, () => ({ snapshot_date: null }))), '--format', 'json']);
      expect(JSON.parse(run.stdout).freshness).toMatchObject({ verdict: 'unmeasured', message: '"snapshot_date" has no value' });
      expect(run.code).toBe(1);
    });

    it("on the product's own samples is shown, not judged: they are made up", async () => {
      const run = await mesh(['quality', 'run', 'customer/customer-events-v1', '--now', '2030-01-01T00:00:00Z']);
      expect(run.stdout).toMatch(/^ℹ freshness stale \(SLA < 1 minute: at most 1 minute old; occurred_at is current to .*\) \[samples: shown, not judged\]$/m);
    });
  });

  it('a column missing from the data is a finding and its rules do not run', async () => {
    const rows = validRows(5).map(({ tier: _tier, ...rest }) => rest);
    const run = await mesh(['quality', 'run', PRODUCT, '--data', jsonl(rows), '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.types).toEqual([{ column: 'tier', expected: 'VARCHAR', kind: 'missing', count: 0, examples: [] }]);
    expect(report.rules.find((r: { rule: string }) => r.rule.startsWith('tier'))).toMatchObject({ verdict: 'error', message: 'the data has no column "tier"' });
  });

  it('a warning rule that fails does not fail the run', async () => {
    const old = new Date(Date.now() - 90 * 86_400_000).toISOString();
    const run = await mesh(['quality', 'run', PRODUCT, '--data', jsonl(validRows(5, () => ({ last_seen_at: old }))), '--format', 'markdown']);
    expect(run.stdout).toContain('| ✖ fail | warning | `last_seen_at > (NOW() - INTERVAL 30 DAY)` | 5 | 5 |');
    expect(run.code).toBe(0);
  });

  it.each([
    ['a text file named .parquet', 'data.parquet', 'not parquet at all\n'],
  ])('%s is a usage error, not a stack trace', async (_what, name, content) => {
    const file = path.join(dir(), name);
    fs.writeFileSync(file, content);
    const run = await mesh(['quality', 'run', PRODUCT, '--data', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mesh: the data cannot be read: .+\n {2}check that each file is what its extension says\n$/);
  });

  it('usage errors: an unknown product, no data, a missing file', async () => {
    expect(await mesh(['quality', 'run', 'customer/nope', '--data', 'x.csv'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no data product customer/nope') });
    // a product without samples/ (the example products have theirs)
    expect(await mesh(['quality', 'run', 'orders/order-events-v1', '--root', path.join(REPO_ROOT, 'packages/spec/test/fixtures/base')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no data: pass --data') });
    expect(await mesh(['quality', 'run', PRODUCT, '--data', 'missing.csv'])).toMatchObject({ code: 2, stderr: expect.stringContaining('missing.csv: no such file') });
  });
});

describe('compiled SQL on a real DuckDB', () => {
  it('a column named like an injection is one quoted identifier: the table survives', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const name = 'x"; DROP TABLE data; --';
      await connection.run(`CREATE TABLE data ("${name.replace(/"/g, '""')}" INTEGER)`);
      await connection.run('INSERT INTO data VALUES (1), (NULL), (3)');
      const compiled = compileSql({ kind: 'isNull', operand: { kind: 'column', name, offset: 0 }, negated: true }, 'duckdb', { relation: ['data'] });
      const [verdict] = (await connection.runAndReadAll(compiled.verdict)).getRowObjectsJS();
      expect(verdict).toEqual({ passed: false, observed: '1', failing_rows: 1n });
      expect((await connection.runAndReadAll('SELECT COUNT(*) AS n FROM data')).getRowObjectsJS()).toEqual([{ n: 3n }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
  it.each([
    ['every row and the count hold', [1, 2, 3], { passed: true, observed: '3', failing_rows: 0n }],
    ['a row fails its part', [1, -2, 3], { passed: false, observed: '3', failing_rows: 1n }],
    ['no rows: the count fails, no row to blame', [], { passed: false, observed: '0', failing_rows: 0n }],
    ['a NULL is unknown to the row part, as in a row rule', [1, null], { passed: true, observed: '2', failing_rows: 0n }],
  ])('row conditions joined to an aggregate by AND: %s', async (_what, values, expected) => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run('CREATE TABLE data (a INTEGER)');
      for (const v of values) await connection.run(`INSERT INTO data VALUES (${v})`);
      const parse = parseQualityRule('NOT (a < 0) AND count(*) > 0');
      if (!parse.ok) throw new Error(parse.message);
      const compiled = compileSql(parse.expression, 'duckdb', { relation: ['data'] });
      expect(compiled.level).toBe('aggregate');
      expect((await connection.runAndReadAll(compiled.verdict)).getRowObjectsJS()).toEqual([expected]);
      expect((await connection.runAndReadAll(compiled.failingRows!)).getRowObjectsJS()).toEqual(values.filter((v) => v !== null && v < 0).map((a) => ({ a })));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('mesh quality export', () => {
  it('gx: a suite with severities, and the rules GX cannot express on stderr and in the report', async () => {
    const run = await mesh(['quality', 'export', PRODUCT, '--format', 'gx']);
    expect(run.code).toBe(0);
    const { suite, unsupported } = JSON.parse(run.stdout);
    expect(suite.name).toBe(PRODUCT);
    expect(suite.expectations[0]).toEqual({ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'customer_id' }, meta: { rule: 'customer_id IS NOT NULL', check: 'qualityChecks[0]', severity: 'error' } });
    expect(unsupported).toEqual([expect.objectContaining({ check: 'qualityChecks[2]', severity: 'warning' })]);
    expect(run.stderr).toContain('not in the GX suite: domains/customer/customer-360/data-product.yaml: qualityChecks[2] last_seen_at');
  });

  it('dqdl and sql', async () => {
    const dqdl = await mesh(['quality', 'export', PRODUCT, '--format', 'dqdl']);
    expect(dqdl.stdout).toContain('# error\nRules = [\n    IsComplete "customer_id",');
    expect(dqdl.stdout).toContain('# warning\nRules = [\n    ColumnValues "last_seen_at" > (now() - 30 days)\n]');
    const sql = await mesh(['quality', 'export', PRODUCT, '--format', 'sql', '--dialect', 'athena']);
    expect(sql.stdout).toContain('FROM "customer"."customer-360") AS t;\n');
  });
});
