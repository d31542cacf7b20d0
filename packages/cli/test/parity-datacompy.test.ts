import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';
import { tempDir, writeCsv, writeParquet, type Row } from './parity/data';

/**
 * `mesh parity` must count what datacompy (Capital One's, pinned by scripts/setup-datacompy.sh)
 * counts on the same files: rows compared, rows missing on each side, mismatches per column and
 * duplicate keys, on seeded cases with NULLs on one side (and on both), NaN beside NULL, float
 * noise within and beyond abs and rel tolerances, duplicate keys, missing rows, integers with
 * NULLs, and timestamps of microsecond precision beside millisecond ones. The runner
 * (test/parity/datacompy_runner.py) says where it does the caller's part the way mesh parity does.
 */

/** The python of the venv scripts/setup-datacompy.sh installs, with the version pinned there. */
function datacompyPython(): string | undefined {
  const version = /^DATACOMPY_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(REPO_ROOT, 'scripts', 'setup-datacompy.sh'), 'utf8'))?.[1];
  const python = path.join(REPO_ROOT, '.tools', `datacompy-${version}`, 'bin', 'python');
  return version && fs.existsSync(python) ? python : undefined;
}

const PYTHON = datacompyPython();
if (!PYTHON) {
  const message = 'datacompy is not installed: run scripts/setup-datacompy.sh (mesh parity is NOT cross-checked against datacompy)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}
const withDatacompy = PYTHON ? describe : describe.skip;

/** mulberry32: a small seeded PRNG, so every case is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ABS = 0.001;
const REL = 0.0001;

/** A central output and a domain output that differs from it in each way the issue names. */
function generate(seed: number, count: number): { central: Row[]; domain: Row[] } {
  const next = random(seed);
  const pick = (p: number) => next() < p;
  const central: Row[] = [];
  const domain: Row[] = [];
  const base = Date.UTC(2026, 0, 1);
  for (let id = 0; id < count; id++) {
    const micros = Math.floor(next() * 1e6);
    const instant = new Date(base + id * 60_000 + Math.floor(micros / 1000)).toISOString().replace('Z', '');
    const usText = `${instant.slice(0, 19)}.${String(micros).padStart(6, '0')}`;
    const wholeMs = pick(0.5); // half the instants have no sub-millisecond part: equal at both precisions
    const row: Row = {
      id,
      amount: Math.round(next() * 1e6) / 100,
      price: 1 + next() * 1000,
      qty: pick(0.05) ? null : Math.floor(next() * 100),
      label: pick(0.05) ? null : `label-${Math.floor(next() * 50)}`,
      score: pick(0.03) ? null : next(),
      ts: wholeMs ? `${usText.slice(0, 23)}000` : usText,
    };
    const other: Row = { ...row };
    if (pick(0.04)) other.amount = (row.amount as number) + (pick(0.5) ? ABS / 2 : -ABS / 2); // within abs
    else if (pick(0.02)) other.amount = (row.amount as number) + ABS * 5; // beyond abs
    if (pick(0.04)) other.price = (row.price as number) * (1 + REL / 3); // within rel
    else if (pick(0.02)) other.price = (row.price as number) * (1 + REL * 4); // beyond rel
    if (pick(0.03)) other.qty = null; // NULL on one side
    if (pick(0.02)) other.label = null;
    if (pick(0.02)) other.label = `renamed-${id}`;
    if (row.score === null && pick(0.5)) other.score = 'NaN'; // NaN beside NULL: both missing
    else if (pick(0.02)) other.score = null;
    const keepCentral = !pick(0.01);
    const keepDomain = !pick(0.01);
    if (keepCentral) central.push(row);
    if (keepDomain) domain.push(other);
    if (pick(0.005)) central.push({ ...row, amount: 0 }); // a duplicate key
    if (pick(0.005)) domain.push({ ...other });
  }
  return { central, domain };
}

interface Counts {
  rows: { compared: number; missingInDomain: number; missingInCentral: number };
  columns: Record<string, number>;
  duplicates: Record<'central' | 'domain', { duplicateKeys: number; duplicateRows: number }>;
}

function datacompy(central: string, domain: string, sampleRate: number): Counts {
  const args = { central, domain, key: ['id'], sampleRate, abs: { amount: ABS }, rel: { price: REL } };
  return JSON.parse(execFileSync(PYTHON as string, [path.join(__dirname, 'parity', 'datacompy_runner.py'), JSON.stringify(args)], { encoding: 'utf8', timeout: 120_000 })) as Counts;
}

async function meshCounts(central: string, domain: string, sampleRate: number): Promise<Counts> {
  const run = await mesh(['parity', '--central', central, '--domain', domain, '--key', 'id', '--sample-rate', String(sampleRate), '--column-tolerance', `amount=abs:${ABS}`, `price=rel:${REL}`, '--format', 'json']);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout);
  return {
    rows: { compared: report.rows.compared, missingInDomain: report.rows.missingInDomain, missingInCentral: report.rows.missingInCentral },
    columns: Object.fromEntries(report.columns.map((c: { column: string; mismatches: number }) => [c.column, c.mismatches])),
    duplicates: {
      central: { duplicateKeys: report.central.duplicateKeys, duplicateRows: report.central.duplicateRows },
      domain: { duplicateKeys: report.domain.duplicateKeys, duplicateRows: report.domain.duplicateRows },
    },
  };
}

const TYPES = { central: { ts: 'TIMESTAMP', score: 'DOUBLE', qty: 'BIGINT' }, domain: { ts: 'TIMESTAMP_MS', score: 'DOUBLE', qty: 'BIGINT' } };

withDatacompy('mesh parity agrees with datacompy', () => {
  const seen: Counts[] = [];

  it.each([
    [1, 3000, 1],
    [2, 3000, 1],
    [3, 6000, 0.3],
  ])('seed %i, %i rows, sample rate %p (Parquet): the same counts per column', async (seed, count, rate) => {
    const { central, domain } = generate(seed, count);
    const dir = tempDir();
    const files = { central: await writeParquet(path.join(dir, 'central.parquet'), central, TYPES.central), domain: await writeParquet(path.join(dir, 'domain.parquet'), domain, TYPES.domain) };
    const ours = await meshCounts(files.central, files.domain, rate);
    const theirs = datacompy(files.central, files.domain, rate);
    expect(ours).toEqual({ rows: theirs.rows, columns: theirs.columns, duplicates: theirs.duplicates });
    seen.push(ours);
  });

  it('CSV on both sides (no timestamps, types as each reader guesses them): the same counts', async () => {
    const strip = (rows: Row[]) => rows.map(({ ts: _ts, score, ...r }) => ({ ...r, score: score === 'NaN' ? null : score }));
    const { central, domain } = generate(4, 2000);
    const dir = tempDir();
    const columns = ['id', 'amount', 'price', 'qty', 'label', 'score'];
    const files = { central: writeCsv(path.join(dir, 'central.csv'), strip(central), columns), domain: writeCsv(path.join(dir, 'domain.csv'), strip(domain), columns) };
    const ours = await meshCounts(files.central, files.domain, 1);
    const theirs = datacompy(files.central, files.domain, 1);
    expect(ours).toEqual({ rows: theirs.rows, columns: theirs.columns, duplicates: theirs.duplicates });
    seen.push(ours);
  });

  it('the cases exercised every kind of difference (so the agreement is not between two zeros)', () => {
    expect(seen).toHaveLength(4);
    for (const column of ['amount', 'price', 'qty', 'label', 'score', 'ts']) expect(seen.some((c) => (c.columns[column] ?? 0) > 0)).toBe(true);
    expect(seen.every((c) => c.rows.missingInDomain > 0 && c.rows.missingInCentral > 0)).toBe(true);
    expect(seen.every((c) => c.duplicates.central.duplicateKeys > 0 && c.duplicates.domain.duplicateKeys > 0)).toBe(true);
  });
});
