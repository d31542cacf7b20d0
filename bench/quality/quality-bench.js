'use strict';
/**
 * `mesh quality run` on a wide Parquet file: 30 columns (string, long, double, decimal,
 * timestamp, boolean) and 10 rules (not null, accepted values, ranges, NULL-or-range,
 * completeness, uniqueness, row count, mean, max), at several sizes. Each run is a child
 * process, as a user runs it, so process start, module load and DuckDB's start are included;
 * the figure is the median wall time of `--runs`, with the cost per million rows. Beside it,
 * the same rules as the GX suite `mesh quality export --format gx` writes, run by Great
 * Expectations' pandas engine on the same file (Python start included), and the ratio.
 * The data passes every rule by construction: a run that does not (exit 1) is a wrong answer.
 * Needs the built CLI (npm run build); the GX side needs scripts/setup-gx.sh (else --no-gx).
 *
 *   node bench/quality/quality-bench.js [--rows 100000,1000000] [--runs 3] [--no-gx] [--out DIR] [--json]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { arg } = require('../lib/cli');

const REPO = path.resolve(__dirname, '..', '..');
const MESH = path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js');
const sizes = arg('rows', '100000,1000000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const withGx = !process.argv.includes('--no-gx');
const out = path.resolve(arg('out', path.join(REPO, 'bench', 'out', 'quality')));
const asJson = process.argv.includes('--json');

const COLUMNS = [
  ...Array.from({ length: 6 }, (_, i) => ({ name: `label_${i}`, avro: 'string', sql: (k) => `'v' || ((i * 7 + ${k}) % 50)` })),
  ...Array.from({ length: 6 }, (_, i) => ({ name: `count_${i}`, avro: 'long', sql: (k) => `(i * ${k + 3}) % 100000` })),
  ...Array.from({ length: 8 }, (_, i) => ({ name: `rate_${i}`, avro: 'double', sql: (k) => `((i * ${k + 11}) % 1000) / 1000.0` })),
  ...Array.from({ length: 4 }, (_, i) => ({ name: `amount_${i}`, avro: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }, sql: (k) => `CAST(((i * ${k + 5}) % 100000) / 100.0 AS DECIMAL(12, 2))` })),
  ...Array.from({ length: 4 }, (_, i) => ({ name: `at_${i}`, avro: { type: 'long', logicalType: 'timestamp-millis' }, sql: (k) => `TIMESTAMPTZ '2026-12-01 00:00:00+00' + to_seconds(CAST((i * ${k + 1}) % 86400 AS BIGINT))` })),
  ...Array.from({ length: 2 }, (_, i) => ({ name: `flag_${i}`, avro: 'boolean', sql: (k) => `(i + ${k}) % 2 = 0` })),
];
// id first: unique, the uniqueness rule's column
COLUMNS.unshift({ name: 'id', avro: 'long', sql: () => 'i' });
COLUMNS.splice(COLUMNS.findIndex((c) => c.name === 'flag_1'), 1);

const RULES = [
  'id IS NOT NULL',
  'uniqueness(id) >= 1',
  "label_0 IN ('v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13', 'v14', 'v15', 'v16', 'v17', 'v18', 'v19', 'v20', 'v21', 'v22', 'v23', 'v24', 'v25', 'v26', 'v27', 'v28', 'v29', 'v30', 'v31', 'v32', 'v33', 'v34', 'v35', 'v36', 'v37', 'v38', 'v39', 'v40', 'v41', 'v42', 'v43', 'v44', 'v45', 'v46', 'v47', 'v48', 'v49')",
  'rate_0 BETWEEN 0 AND 1',
  'rate_1 IS NULL OR rate_1 BETWEEN 0 AND 1',
  'count_0 >= 0',
  'completeness(at_0) >= 0.99',
  'count(*) >= 1',
  'avg(amount_0) >= 0',
  'max(count_1) <= 100000',
];

function writeMesh(root) {
  const domain = path.join(root, 'domains', 'bench');
  fs.mkdirSync(path.join(domain, 'schemas'), { recursive: true });
  fs.mkdirSync(path.join(domain, 'wide'), { recursive: true });
  fs.writeFileSync(path.join(root, 'domains', 'domain-map.yaml'), 'domains:\n  bench:\n    owner_team: bench-team\n    oncall_pagerduty: bench-oncall\n    source_products: [wide]\n    consumer_products: []\n');
  fs.writeFileSync(path.join(domain, 'schemas', 'wide_v1.avsc'), JSON.stringify({ type: 'record', name: 'Wide', namespace: 'bench', fields: COLUMNS.map((c) => ({ name: c.name, type: c.avro })) }, null, 1));
  fs.writeFileSync(path.join(domain, 'wide', 'data-product.yaml'), [
    'apiVersion: data-mesh/v1', 'kind: DataProduct', 'metadata: { name: wide, version: "1.0.0", owner: bench-team, domain: bench }',
    'spec:', '  description: thirty columns for bench/quality',
    '  outputPorts:', '    - { name: rows, type: stream, format: avro, schema: "schema-registry://bench/wide_v1", topic: "bench-domain.wide-v1", sla: { freshness: "< 1 hour", uptime: "99.9%" } }',
    '  qualityChecks:', ...RULES.map((r) => `    - rule: ${JSON.stringify(r)}`),
    '  governance: { pii_fields: [], data_classification: internal, retention_days: 30, gdpr_subject_to_erasure: false }', '',
  ].join('\n'));
}

async function writeParquet(file, rows) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const select = COLUMNS.map((c, k) => `${c.sql(k)} AS ${c.name}`).join(', ');
    await connection.run(`COPY (SELECT ${select} FROM range(${rows}) t(i)) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function timed(command, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  return { ms, ...r };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function gxPython() {
  const version = /^GX_VERSION=(\S+)$/m.exec(fs.readFileSync(path.join(REPO, 'scripts', 'setup-gx.sh'), 'utf8'))[1];
  const python = path.join(REPO, '.tools', `gx-${version}`, 'bin', 'python');
  if (!fs.existsSync(python)) {
    console.error(`quality-bench: Great Expectations is not installed: run bash scripts/setup-gx.sh, or pass --no-gx`);
    process.exit(2);
  }
  return python;
}

async function main() {
  const python = withGx ? gxPython() : undefined;
  fs.rmSync(out, { recursive: true, force: true });
  writeMesh(out);
  const suiteFile = path.join(out, 'suite.json');
  const exported = timed(process.execPath, [MESH, 'quality', 'export', 'bench/wide', '--root', out, '--format', 'gx']);
  if (exported.status !== 0) throw new Error(`mesh quality export failed:\n${exported.stderr}`);
  fs.writeFileSync(suiteFile, exported.stdout);
  if (exported.stderr.includes('not in the GX suite')) throw new Error(`a rule is missing from the GX suite:\n${exported.stderr}`);
  const results = [];
  for (const rows of sizes) {
    const file = path.join(out, `wide-${rows}.parquet`);
    await writeParquet(file, rows);
    const meshMs = [];
    for (let r = 0; r < runs; r++) {
      // the generated times are fixed, not fresh: their age is not what this measures
      const run = timed(process.execPath, [MESH, 'quality', 'run', 'bench/wide', '--root', out, '--data', file, '--no-freshness', '--format', 'json']);
      const report = run.stdout ? JSON.parse(run.stdout) : undefined;
      if (run.status !== 0 || report?.rows !== rows) throw new Error(`mesh quality run gave a wrong answer (exit ${run.status}, ${report?.rows} rows):\n${run.stderr}${run.stdout.slice(0, 3000)}`);
      meshMs.push(run.ms);
    }
    const result = { rows, columns: COLUMNS.length, rules: RULES.length, bytes: fs.statSync(file).size, meshMs: median(meshMs) };
    if (python) {
      const gxMs = [];
      let phases;
      for (let r = 0; r < runs; r++) {
        const run = timed(python, [path.join(__dirname, 'gx_run.py'), suiteFile, file]);
        if (run.status !== 0) throw new Error(`GX failed:\n${run.stderr.slice(-3000)}`);
        phases = JSON.parse(run.stdout);
        if (!phases.verdicts.every(Boolean)) throw new Error(`GX fails data that passes every rule: ${JSON.stringify(phases.verdicts)}`);
        gxMs.push(run.ms);
      }
      Object.assign(result, { gxMs: median(gxMs), gxPhasesS: { import: phases.import_s, read: phases.read_s, validate: phases.validate_s } });
    }
    results.push(result);
  }
  if (asJson) return console.log(JSON.stringify(results, null, 2));
  const f = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  console.log(`mesh quality run, ${COLUMNS.length} columns x ${RULES.length} rules of Parquet, median of ${runs} run(s), process start included`);
  for (const r of results) {
    const perMillion = (r.meshMs / r.rows) * 1e6;
    let line = `${f(r.rows).padStart(10)} rows (${f(r.bytes / 1048576, 1)} MiB): mesh ${f(r.meshMs)} ms (${f(perMillion)} ms per million rows)`;
    if (r.gxMs !== undefined) line += `; GX pandas ${f(r.gxMs)} ms (import ${f(r.gxPhasesS.import, 1)} s, read ${f(r.gxPhasesS.read, 1)} s, validate ${f(r.gxPhasesS.validate, 1)} s); ratio ${f(r.gxMs / r.meshMs, 1)}x GX`;
    console.log(line);
  }
}

main().catch((error) => {
  console.error(`quality-bench: ${error.message}`);
  process.exit(1);
});
