import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mesh } from './helpers';
import { tempDir, writeCsv, writeJsonl, writeParquet, type Row } from './parity/data';

const rows = (count: number, change: (i: number) => Row = () => ({}), from = 0): Row[] =>
  Array.from({ length: count }, (_, n) => {
    const i = n + from;
    return { id: i, amount: i * 1.25, name: `name-${i}`, active: i % 2 === 0, ...change(i) };
  });

async function sides(central: Row[], domain: Row[], types: Record<string, string> = {}) {
  const dir = tempDir();
  return { central: await writeParquet(path.join(dir, 'central.parquet'), central, types), domain: await writeParquet(path.join(dir, 'domain.parquet'), domain, types), dir };
}

const parity = (files: { central: string; domain: string }, ...args: string[]) => mesh(['parity', '--central', files.central, '--domain', files.domain, '--key', 'id', ...args]);
const json = async (files: { central: string; domain: string }, ...args: string[]) => {
  const run = await parity(files, '--format', 'json', ...args);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) };
};

describe('mesh parity', () => {
  it('equal outputs are parity: exit 0, every column compared, nothing missing', async () => {
    const { code, report } = await json(await sides(rows(500), rows(500)), '--sample-rate', '1');
    expect(report).toMatchObject({ verdict: 'parity', reasons: [], rate: 0, sampleRate: 1, tolerance: 0.001, rows: { compared: 500, missingInDomain: 0, missingInCentral: 0, withMismatch: 0 } });
    expect(report.columns.map((c: { column: string; mismatches: number }) => [c.column, c.mismatches])).toEqual([['amount', 0], ['name', 0], ['active', 0]]);
    expect(code).toBe(0);
  });

  it('counts missing rows on both sides and mismatches per column with at most 5 examples, and exits 1', async () => {
    const domain = rows(1000, (i) => (i % 50 === 0 ? { name: `other-${i}` } : i % 125 === 0 ? { amount: null } : {}), 3);
    const { code, report } = await json(await sides(rows(1000), domain), '--sample-rate', '1');
    expect(code).toBe(1);
    expect(report.rows).toMatchObject({ compared: 997, missingInDomain: 3, missingInCentral: 3, withMismatch: 23, missingInDomainExamples: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    const name = report.columns.find((c: { column: string }) => c.column === 'name');
    expect(name).toMatchObject({ mismatches: 19, rate: 19 / 997 });
    expect(name.examples).toHaveLength(5);
    expect(name.examples[0]).toEqual({ key: { id: 50 }, central: 'name-50', domain: 'other-50' });
    expect(report.columns.find((c: { column: string }) => c.column === 'amount')).toMatchObject({ mismatches: 4 });
    expect(report.rate).toBeCloseTo((23 + 6) / 1003, 12);
    expect(report.reasons).toEqual([expect.stringContaining('2.89% of the sampled rows differ or are missing (23 with a mismatch, 6 missing, of 1003), above the tolerance of 0.1%')]);
  });

  it('the verdict is against --tolerance: 1 differing row in 2,000 is parity at 0.1% and not at 0.01%', async () => {
    const files = await sides(rows(2000), rows(2000, (i) => (i === 7 ? { name: 'x' } : {})));
    expect((await json(files, '--sample-rate', '1')).code).toBe(0);
    const strict = await json(files, '--sample-rate', '1', '--tolerance', '0.0001');
    expect(strict.report).toMatchObject({ verdict: 'no parity', rate: 0.0005 });
    expect(strict.code).toBe(1);
  });

  it('--column-tolerance: float noise within abs/rel is equal, beyond it a mismatch (|c - d| <= abs + rel x |c|)', async () => {
    const domain = rows(100, (i) => ({ amount: i * 1.25 + (i < 10 ? 0.004 : i < 15 ? 0.02 : 0) }));
    const files = await sides(rows(100), domain);
    expect((await json(files, '--sample-rate', '1')).report.columns[0]).toMatchObject({ column: 'amount', mismatches: 15 });
    expect((await json(files, '--sample-rate', '1', '--column-tolerance', 'amount=abs:0.005')).report.columns[0]).toMatchObject({ mismatches: 5, tolerance: { abs: 0.005, rel: 0 } });
    // rel 0.002 of 1.25 x i = 0.0025 i: +0.004 is equal from i = 2, +0.02 from i = 8, so only i = 0 and 1 differ
    expect((await json(files, '--sample-rate', '1', '--column-tolerance', 'amount=rel:0.002')).report.columns[0]).toMatchObject({ mismatches: 2 });
  });

  it('samples the same keys on both sides by the md5 of the key text, as docs/parity.md says', async () => {
    const files = await sides(rows(4000), rows(4000, (i) => (i % 10 === 0 ? { name: 'changed' } : {})));
    const { report } = await json(files, '--tolerance', '1');
    const kept = Array.from({ length: 4000 }, (_, i) => i).filter((i) => parseInt(createHash('md5').update(String(i)).digest('hex').slice(0, 8), 16) < Math.floor(0.05 * 2 ** 32));
    expect(report.sampleRate).toBe(0.05);
    expect(report.central.sampledRows).toBe(kept.length);
    expect(report.domain.sampledRows).toBe(kept.length);
    expect(report.rows).toMatchObject({ compared: kept.length, missingInDomain: 0, missingInCentral: 0 });
    expect(report.columns.find((c: { column: string }) => c.column === 'name').mismatches).toBe(kept.filter((i) => i % 10 === 0).length);
  });

  it('masks the PII columns of --product in the examples (as mesh quality run does)', async () => {
    const person = (i: number) => ({ customer_id: `c-${i}`, full_name: `Person ${i}`, tier: 'gold' });
    const dir = tempDir();
    const central = writeJsonl(path.join(dir, 'c.jsonl'), [0, 1, 2].map(person));
    const domain = writeJsonl(path.join(dir, 'd.jsonl'), [0, 1, 2].map((i) => ({ ...person(i), full_name: `P. ${i}`, tier: i === 1 ? 'silver' : 'gold' })));
    const run = await mesh(['parity', '--central', central, '--domain', domain, '--key', 'customer_id', '--sample-rate', '1', '--product', 'customer/customer-360', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.columns.find((c: { column: string }) => c.column === 'full_name').examples[0]).toEqual({ key: { customer_id: 'c-0' }, central: '***', domain: '***' });
    expect(report.columns.find((c: { column: string }) => c.column === 'tier').examples).toEqual([{ key: { customer_id: 'c-1' }, central: 'gold', domain: 'silver' }]);
    expect(run.stdout).not.toContain('Person');
  });

  it('schema differences: a column the domain lacks blocks parity, one only the domain has and a widened type are reported', async () => {
    const central = rows(50);
    const domain = rows(50).map(({ active: _active, ...r }) => ({ ...r, extra: 1 }));
    const dir = tempDir();
    const files = { central: await writeParquet(path.join(dir, 'c.parquet'), central, { id: 'INTEGER' }), domain: await writeParquet(path.join(dir, 'd.parquet'), domain, { id: 'BIGINT', amount: 'DECIMAL(18,2)' }) };
    const { code, report } = await json(files, '--sample-rate', '1');
    expect(report.schema).toEqual({
      missingInDomain: ['active'],
      missingInCentral: ['extra'],
      typeChanges: [{ column: 'id', central: 'INTEGER', domain: 'BIGINT', comparedAs: 'VARCHAR (the key, joined as text)' }, { column: 'amount', central: 'DOUBLE', domain: 'DECIMAL(18,2)', comparedAs: 'DOUBLE' }],
    });
    expect(report.rows.compared).toBe(50);
    expect(report.reasons).toEqual(['the domain data lacks the column "active"']);
    expect(code).toBe(1);
  });

  it('text and markdown name the reasons, missing keys and examples; --report writes the JSON', async () => {
    const files = await sides(rows(20), rows(20, (i) => (i === 4 ? { name: 'renamed' } : {}), 1));
    const report = path.join(files.dir, 'out', 'parity.json');
    fs.mkdirSync(path.dirname(report));
    const text = await parity(files, '--sample-rate', '1', '--report', report);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✖ 1 sampled row of the central data not in the domain data, e.g. id=0\n');
    expect(text.stdout).toContain('✖ column name: 1 mismatch (5.26% of 19 compared rows)\n    id=4: central "name-4", domain "renamed"\n');
    expect(text.stdout).toMatch(/✖ no parity: 14\.29% of 21 sampled rows differ or are missing \(tolerance 0\.10%, sample 100\.00% by key hash, key id\)/);
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toMatchObject({ verdict: 'no parity', rows: { compared: 19 } });
    const markdown = await parity(files, '--sample-rate', '1', '--format', 'markdown');
    expect(markdown.stdout).toContain('| `name` | 1 | 5.26% | id=4: "name-4" → "renamed" |');
  });

  it('a CSV central output compares with a Parquet domain product (each side one format)', async () => {
    const dir = tempDir();
    const central = writeCsv(path.join(dir, 'c.csv'), rows(30));
    const domain = await writeParquet(path.join(dir, 'd.parquet'), rows(30, (i) => (i === 3 ? { amount: 99 } : {})));
    const { report } = await json({ central, domain }, '--sample-rate', '1', '--tolerance', '0.05');
    expect(report).toMatchObject({ verdict: 'parity', central: { format: 'csv', rows: 30 }, domain: { format: 'parquet', rows: 30 }, rows: { withMismatch: 1 } });
  });
});

describe('mesh parity on bad input', () => {
  it('duplicate keys are reported with counts and not joined: those keys are compared on neither side', async () => {
    const central = [...rows(100), ...rows(2, () => ({ name: 'dup' }), 10), ...rows(1, () => ({}), 10)];
    const { code, report } = await json(await sides(central, rows(100)), '--sample-rate', '1');
    expect(code).toBe(1);
    expect(report.central).toMatchObject({ rows: 103, duplicateKeys: 2, duplicateRows: 5, duplicateExamples: [{ key: { id: 10 }, count: 3 }, { key: { id: 11 }, count: 2 }] });
    expect(report.domain.duplicateKeys).toBe(0);
    expect(report.rows).toMatchObject({ compared: 98, missingInDomain: 0, missingInCentral: 0, withMismatch: 0 });
    expect(report.reasons).toEqual(['2 keys occur more than once in the central sample (5 rows): a key must name one row; those keys are not compared']);
  });

  it('NULL keys are a finding, not a match', async () => {
    const { code, report } = await json(await sides(rows(10, (i) => (i === 2 ? { id: null } : {})), rows(10)), '--sample-rate', '1');
    expect(report.central.nullKeyRows).toBe(1);
    expect(report.reasons).toContain('1 sampled row of the central data have a NULL key and cannot be matched');
    expect(code).toBe(1);
  });

  it('a key column missing on one side is a usage error naming the side and its columns', async () => {
    const files = await sides(rows(5), rows(5));
    const run = await mesh(['parity', '--central', files.central, '--domain', files.domain, '--key', 'id,region']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('mesh: the key column "region" is not in the central data (it has: id, amount, name, active)');
  });

  it('incompatible column types are a finding and the column is not compared', async () => {
    const dir = tempDir();
    const central = await writeParquet(path.join(dir, 'c.parquet'), rows(10));
    const domain = await writeParquet(path.join(dir, 'd.parquet'), rows(10, (i) => ({ active: `yes-${i}` })));
    const { code, report } = await json({ central, domain }, '--sample-rate', '1');
    expect(report.schema.typeChanges).toEqual([{ column: 'active', central: 'BOOLEAN', domain: 'VARCHAR', comparedAs: 'not compared' }]);
    expect(report.columns.map((c: { column: string }) => c.column)).toEqual(['amount', 'name']);
    expect(report.reasons).toEqual(['"active" is BOOLEAN in the central data and VARCHAR in the domain data: the values cannot be compared']);
    expect(code).toBe(1);
  });

  it('an empty file is a usage error; a Parquet file without rows is a finding, never parity', async () => {
    const dir = tempDir();
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    const domain = await writeParquet(path.join(dir, 'd.parquet'), rows(5));
    const run = await mesh(['parity', '--central', empty, '--domain', domain, '--key', 'id']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the file is empty (0 bytes)');
    const noRows = await writeParquet(path.join(dir, 'none.parquet'), rows(5), {}, true);
    const { code, report } = await json({ central: noRows, domain }, '--sample-rate', '1');
    expect(report.reasons).toEqual(['the central data has no rows', expect.stringContaining('0 with a mismatch, 5 missing, of 5')]);
    expect(code).toBe(1);
    const both = await json({ central: noRows, domain: noRows }, '--sample-rate', '1');
    expect(both.report.reasons).toEqual(['the central data has no rows', 'the domain data has no rows']);
    expect(both.code).toBe(1);
  });

  it('a sample that holds no row is not parity', async () => {
    const files = await sides(rows(3), rows(3));
    const { code, report } = await json(files, '--sample-rate', '0.0001');
    expect(report.reasons).toEqual(['the sample holds no row (rate 0.0001 of 3 central rows): raise --sample-rate']);
    expect(code).toBe(1);
  });

  it('files of different formats on one side, an unknown extension, and content that is not its extension are usage errors', async () => {
    const dir = tempDir();
    const parquet = await writeParquet(path.join(dir, 'a.parquet'), rows(3));
    const csv = writeCsv(path.join(dir, 'b.csv'), rows(3));
    const mixed = await mesh(['parity', '--central', parquet, csv, '--domain', parquet, '--key', 'id']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('mesh: --central mixes formats (parquet, csv): the files of one side are all of one format');
    const txt = path.join(dir, 'c.txt');
    fs.writeFileSync(txt, 'id\n1\n');
    expect((await mesh(['parity', '--central', txt, '--domain', parquet, '--key', 'id'])).stderr).toContain('not .csv, .parquet or .jsonl');
    const fake = path.join(dir, 'fake.parquet');
    fs.writeFileSync(fake, 'id,amount\n1,2\n');
    const unreadable = await mesh(['parity', '--central', fake, '--domain', parquet, '--key', 'id']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/^mesh: the central data cannot be read: .*\n {2}check that each file is what its extension says\n$/);
  });

  it.each([['0'], ['1.5'], ['-0.1'], ['abc'], ['']])('--sample-rate %p is a usage error: (0, 1]', async (rate) => {
    const files = await sides(rows(3), rows(3));
    const run = await parity(files, '--sample-rate', rate);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the sample rate is a share in (0, 1]');
  });

  it.each([['amount'], ['amount=abs'], ['amount=abs:x'], ['amount=pct:1'], ['amount=rel:-1']])('--column-tolerance %p is a usage error', async (spec) => {
    const files = await sides(rows(3), rows(3));
    const run = await parity(files, '--column-tolerance', spec);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--column-tolerance amount\S*: (expected COL=abs:X or COL=rel:Y|.* is not a number >= 0)/);
  });

  it('--column-tolerance on a column that is not there or not numeric is a usage error', async () => {
    const files = await sides(rows(3), rows(3));
    expect((await parity(files, '--column-tolerance', 'price=abs:1')).stderr).toContain('mesh: --column-tolerance price: no such column on the central side');
    expect((await parity(files, '--column-tolerance', 'name=rel:0.1')).stderr).toContain('mesh: --column-tolerance name: the column is not numeric (VARCHAR / VARCHAR)');
  });

  it('--help states the defaults and the verdict', async () => {
    const run = await mesh(['parity', '--help']);
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain('(default: 0.05 (5%, as the migration playbook))');
    expect(help).toContain('(default: 0.001 (0.1%))');
    expect(help).toContain('(rows with any mismatch + rows missing on either side) / (rows compared + rows missing) <= --tolerance');
  });
});
