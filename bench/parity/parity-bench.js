'use strict';
/**
 * `mesh parity` on two Parquet outputs of 20 columns (string, long, double, decimal, timestamp,
 * boolean), a central one and a domain one that differs from it in known places: rows missing
 * on each side and changed values in four columns. Each run is a child process, as a user runs
 * it (process start, module load and DuckDB's start included); the figure is the median wall
 * time of `--runs` for the full comparison (--sample-rate 1) and for the default 5% sample,
 * with the cost per million rows and the peak RSS. Beside it, datacompy (scripts/setup-
 * datacompy.sh) on the same files through the cross-check's runner, and the ratio, at
 * `--datacompy-rows` (pandas holds both frames and their outer join in memory). Every count
 * is known by construction: a tool that reports other counts is a wrong answer (exit 1).
 * Needs the built CLI (npm run build).
 *
 *   node bench/parity/parity-bench.js [--rows 1000000,10000000] [--datacompy-rows 1000000] [--runs 3] [--no-datacompy] [--out DIR] [--json]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { arg } = require('../lib/cli');

const REPO = path.resolve(__dirname, '..', '..');
const MESH = path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js');
const RUNNER = path.join(REPO, 'packages', 'cli', 'test', 'parity', 'datacompy_runner.py');
const sizes = arg('rows', '1000000,10000000').split(',').map(Number);
const datacompyRows = Number(arg('datacompy-rows', '1000000'));
const runs = Number(arg('runs', '3'));
const withDatacompy = !process.argv.includes('--no-datacompy');
const out = path.resolve(arg('out', path.join(REPO, 'bench', 'out', 'parity')));
const asJson = process.argv.includes('--json');

const COLUMNS = [
  { name: 'id', sql: () => 'i' },
  ...Array.from({ length: 5 }, (_, k) => ({ name: `label_${k}`, sql: () => `'v' || ((i * ${7 + k}) % 50)` })),
  ...Array.from({ length: 4 }, (_, k) => ({ name: `count_${k}`, sql: () => `(i * ${k + 3}) % 100000` })),
  ...Array.from({ length: 5 }, (_, k) => ({ name: `rate_${k}`, sql: () => `((i * ${k + 11}) % 1000) / 1000.0` })),
  ...Array.from({ length: 2 }, (_, k) => ({ name: `amount_${k}`, sql: () => `CAST(((i * ${k + 5}) % 100000) / 100.0 AS DECIMAL(12, 2))` })),
  ...Array.from({ length: 2 }, (_, k) => ({ name: `at_${k}`, sql: () => `TIMESTAMP '2026-12-01 00:00:00' + to_seconds(CAST((i * ${k + 1}) % 86400 AS BIGINT))` })),
  { name: 'flag_0', sql: () => 'i % 2 = 0' },
];

/** Where the domain output differs from the central one (i is the key). */
const MISSING_IN_DOMAIN = (i) => i % 100003 === 17;
const extraRows = (rows) => Math.max(1, Math.floor(rows / 200000));
const CHANGES = {
  rate_0: { when: (i) => i % 1000 === 3, sql: (c) => `CASE WHEN i % 1000 = 3 THEN ${c} + 0.5 ELSE ${c} END` },
  label_0: { when: (i) => i % 5000 === 4, sql: (c) => `CASE WHEN i % 5000 = 4 THEN 'changed' ELSE ${c} END` },
  at_0: { when: (i) => i % 20000 === 5, sql: (c) => `CASE WHEN i % 20000 = 5 THEN ${c} + INTERVAL 1 SECOND ELSE ${c} END` },
  // within the tolerance given to both tools (abs 0.0001): a difference that must not count
  rate_1: { when: () => false, sql: (c) => `CASE WHEN i % 700 = 1 THEN ${c} + 0.00001 ELSE ${c} END` },
};

function expected(rows) {
  const columns = Object.fromEntries(COLUMNS.filter((c) => c.name !== 'id').map((c) => [c.name, 0]));
  let missingInDomain = 0;
  for (let i = 0; i < rows; i++) {
    if (MISSING_IN_DOMAIN(i)) {
      missingInDomain++;
      continue;
    }
    for (const [name, change] of Object.entries(CHANGES)) if (change.when(i)) columns[name]++;
  }
  return { rows: { compared: rows - missingInDomain, missingInDomain, missingInCentral: extraRows(rows) }, columns };
}

async function writeSides(dir, rows) {
  const marker = path.join(dir, 'generated.json');
  const signature = JSON.stringify({ rows, columns: COLUMNS.map((c) => c.sql()), changes: Object.values(CHANGES).map((c) => c.sql('x')) });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === signature) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const central = COLUMNS.map((c) => `${c.sql()} AS ${c.name}`).join(', ');
    const domain = COLUMNS.map((c) => `${CHANGES[c.name] ? CHANGES[c.name].sql(c.sql()) : c.sql()} AS ${c.name}`).join(', ');
    await connection.run(`COPY (SELECT ${central} FROM range(${rows}) t(i)) TO '${path.join(dir, 'central.parquet')}' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT ${domain} FROM range(${rows + extraRows(rows)}) t(i) WHERE i % 100003 <> 17) TO '${path.join(dir, 'domain.parquet')}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  fs.writeFileSync(marker, signature);
}

/** The command as a child; wall ms and peak RSS (MiB, by /usr/bin/time when there is one). */
function timed(command, args) {
  const wrap = fs.existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const r = spawnSync(wrap ? '/usr/bin/time' : command, wrap ? ['-f', 'rss_kib=%M', command, ...args] : args, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  const rss = /rss_kib=(\d+)\s*$/.exec(r.stderr ?? '');
  return { ms, rssMiB: rss ? Number(rss[1]) / 1024 : undefined, status: r.status, stdout: r.stdout, stderr: rss ? r.stderr.slice(0, rss.index) : r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TOLERANCE = ['--column-tolerance', 'rate_1=abs:0.0001'];

function meshRun(dir, sampleRate) {
  const run = timed(process.execPath, [MESH, 'parity', '--central', path.join(dir, 'central.parquet'), '--domain', path.join(dir, 'domain.parquet'), '--key', 'id', '--sample-rate', String(sampleRate), ...TOLERANCE, '--format', 'json']);
  if (run.status !== 1 || !run.stdout) throw new Error(`mesh parity should exit 1 (the sides differ) and exited ${run.status}:\n${run.stderr.slice(-3000)}`);
  return { ...run, report: JSON.parse(run.stdout) };
}

const countsOf = (report) => ({
  rows: { compared: report.rows.compared, missingInDomain: report.rows.missingInDomain, missingInCentral: report.rows.missingInCentral },
  columns: Object.fromEntries(report.columns.map((c) => [c.column, c.mismatches])),
});

function datacompyPython() {
  const version = /^DATACOMPY_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(REPO, 'scripts', 'setup-datacompy.sh'), 'utf8'))[1];
  const python = path.join(REPO, '.tools', `datacompy-${version}`, 'bin', 'python');
  if (!fs.existsSync(python)) {
    console.error('parity-bench: datacompy is not installed: run bash scripts/setup-datacompy.sh, or pass --no-datacompy');
    process.exit(2);
  }
  return python;
}

async function main() {
  const python = withDatacompy ? datacompyPython() : undefined;
  const all = [...new Set([...sizes, ...(python ? [datacompyRows] : [])])].sort((a, b) => a - b);
  const results = [];
  for (const rows of all) {
    const dir = path.join(out, `rows-${rows}`);
    await writeSides(dir, rows);
    const want = expected(rows);
    const full = [];
    const sampled = [];
    let rss = 0;
    for (let r = 0; r < runs; r++) {
      const run = meshRun(dir, 1);
      const got = countsOf(run.report);
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`mesh parity gave a wrong answer at ${rows} rows:\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
      full.push(run.ms);
      rss = Math.max(rss, run.rssMiB ?? 0);
      const sample = meshRun(dir, 0.05);
      if (sample.report.central.sampledRows !== sample.report.domain.sampledRows + sample.report.rows.missingInDomain - sample.report.rows.missingInCentral) throw new Error('the 5% sample kept different keys on the two sides');
      sampled.push(sample.ms);
    }
    const result = { rows, columns: COLUMNS.length, bytesPerSide: fs.statSync(path.join(dir, 'central.parquet')).size, meshFullMs: median(full), meshSampleMs: median(sampled), meshRssMiB: rss || undefined };
    if (python && rows === datacompyRows) {
      const args = { central: path.join(dir, 'central.parquet'), domain: path.join(dir, 'domain.parquet'), key: ['id'], sampleRate: 1, abs: { rate_1: 0.0001 } };
      const run = timed(python, [RUNNER, JSON.stringify(args)]);
      if (run.status !== 0) throw new Error(`datacompy failed:\n${run.stderr.slice(-3000)}`);
      const theirs = JSON.parse(run.stdout);
      if (JSON.stringify({ rows: theirs.rows, columns: theirs.columns }) !== JSON.stringify(want)) throw new Error(`datacompy's counts differ from the construction:\n  got  ${JSON.stringify(theirs)}\n  want ${JSON.stringify(want)}`);
      Object.assign(result, { datacompyMs: run.ms, datacompyReadS: theirs.readSeconds, datacompyCompareS: theirs.seconds, datacompyRssMiB: run.rssMiB });
    }
    results.push(result);
  }
  if (asJson) return console.log(JSON.stringify(results, null, 2));
  const f = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const mib = (n) => (n === undefined ? '?' : `${f(n)} MiB`);
  console.log(`mesh parity, ${COLUMNS.length} columns of Parquet per side, median of ${runs} run(s), process start included (load ${require('node:os').loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const r of results) {
    let line = `${f(r.rows).padStart(11)} rows (${f(r.bytesPerSide / 1048576, 1)} MiB per side): full ${f(r.meshFullMs)} ms (${f((r.meshFullMs / r.rows) * 1e6)} ms per million rows, peak ${mib(r.meshRssMiB)}), 5% sample ${f(r.meshSampleMs)} ms`;
    if (r.datacompyMs !== undefined) line += `; datacompy ${f(r.datacompyMs)} ms (read ${f(r.datacompyReadS, 1)} s, compare ${f(r.datacompyCompareS, 1)} s, peak ${mib(r.datacompyRssMiB)}); ratio ${f(r.datacompyMs / r.meshFullMs, 1)}x datacompy`;
    console.log(line);
  }
  const target = results.find((r) => r.rows === 10_000_000);
  if (target) console.log(`target: the full comparison of 10,000,000 rows under 15 s: ${target.meshFullMs < 15_000 ? 'met' : 'NOT met'} (${f(target.meshFullMs / 1000, 1)} s)`);
}

main().catch((error) => {
  console.error(`parity-bench: ${error.message}`);
  process.exit(1);
});
