'use strict';
/**
 * A smoke run of every benchmark at its smallest size, as a user runs it (`node bench/...` from
 * the repository root, a child process): a benchmark that crashes (a renamed export, a changed
 * report shape), exits non-zero (a wrong answer) or prints no figures fails here. The figures
 * themselves are not checked: these runs are far too small to mean anything and the machine
 * may be busy. Needs what the benchmarks need: `npm run build` (turbo builds it before this
 * test) and opa from scripts/setup-tools.sh. Everything goes to a temporary folder, never to
 * bench/out (a user's meshes and figures stay as they were).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
let out;

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-smoke-'));
});
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

/** Runs `node bench/<script> ...args` from the repository root; fails on a non-zero exit. */
function bench(script, ...args) {
  const r = spawnSync(process.execPath, [path.join('bench', script), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node bench/${script} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stderr.slice(-4000)}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

/** A number the benchmark printed, in the ways they print them: 1,234 or 0.123 (never NaN). */
const N = String.raw`\d[\d,]*(?:\.\d+)?`;
const figures = (...parts) => new RegExp(parts.join(''), 'm');

test('mesh-gen writes a mesh that its independent check passes', () => {
  const dir = path.join(out, 'gen');
  expect(bench('mesh-gen/generate.js', '--domains', '3', '--products', '12', '--out', dir)).toMatch(figures(`^mesh-gen: 3 domains, 12 products, ${N} schemas, ${N} fields`));
  expect(bench('mesh-gen/check.js', dir)).toMatch(/^check: 12 products, \d+ schemas, 0 problems$/m);
});

test('mesh-gen2 writes a mesh', () => {
  const stdout = bench('mesh-gen2/generate.js', '--products', '12', '--out', path.join(out, 'gen2'));
  expect(JSON.parse(/^mesh-gen2: (\{.*\}) -> /m.exec(stdout)[1])).toMatchObject({ products: 12, specs: 12 });
});

test('compat: pairs per second beside avsc', () => {
  expect(bench('compat/compat-bench.js', '--fields', '30', '--rounds', '1', '--seconds', '0.05')).toMatch(
    figures(`^30-field records[^]*schema-compat +${N} pairs/s +${N} µs/pair[^]*avsc resolver +${N} pairs/s[^]*ratio +${N}x avsc`),
  );
});

test('compat: schema parsing beside JSON.parse', () => {
  expect(bench('compat/parse-bench.js', '--count', '200')).toMatch(figures(`parseAvro +${N} s +\\(${N} µs/schema\\)[^]*JSON\\.parse +${N} s`));
});

test('validate: mesh validate of both generators beside the floor', () => {
  const stdout = bench('validate/validate-bench.js', '--sizes', '20', '--runs', '1', '--out', path.join(out, 'validate'));
  for (const generator of ['mesh-gen', 'mesh-gen2']) {
    // generator, products, domains, schemas, MiB, validate s, µs/product, RSS, floor s, floor µs, floor RSS, ratio
    expect(stdout).toMatch(figures(`^ *${generator} +20 +${N} +${N} +${N} +${N} +${N} +(?:${N}|\\?) +${N} +${N} +(?:${N}|\\?) +${N}x`));
  }
});

test('validate: golden.js captures every format and thread count', () => {
  const dir = path.join(out, 'golden');
  const stdout = bench('validate/golden.js', '--out', dir, '--meshes', 'fixture');
  expect(stdout.match(/^fixture (json|text|github) jobs=\S+: exit \d, \d+ bytes$/gm)).toHaveLength(7);
  expect(fs.readdirSync(dir)).toHaveLength(7);
});

test('diff: mesh diff when one upstream product changes', () => {
  // products | files | readers | wall | changed | consumers hit
  expect(bench('diff/diff-bench.js', '--sizes', '20', '--runs', '1', '--out', out)).toMatch(figures(`^ +20 \\| +${N} \\| +${N} \\| +${N} ms \\| +1 \\| +${N}$`));
});

test('check: mesh check --base in every cache scenario', () => {
  const stdout = bench('check/check-bench.js', '--sizes', '20', '--runs', '1', '--out', out);
  for (const scenario of ['cold', 'policy-cold', 'warm', 'full']) expect(stdout).toMatch(figures(`^ +20 \\| ${scenario} +\\| +${N} \\| +${N} \\| \\S`));
});

test('synth: mesh synth beside a plain L1 app', () => {
  // products, stacks, resources, synth s, ms/product, peak MB, floor s, floor MB, ratio
  expect(bench('synth/synth-bench.js', '--sizes', '4', '--out', out)).toMatch(figures(`^ +4 +${N} +${N} +${N} +${N} +${N} +${N} +${N} +${N}$`));
});

test('plan: mesh plan of one changed product', () => {
  const stdout = bench('plan/plan-bench.js', '--products', '4', '--out', out);
  expect(stdout).toMatch(figures(`wall ${N} s \\(target < 10 s\\): base synth ${N} s, head synth ${N} s, diff ${N} s`));
  expect(stdout).toMatch(/^ {2}\d+ added, \d+ modified, \d+ replaced, \d+ removed; exit 0$/m);
});

test('action: the bundled Action on the example and a synthetic mesh', () => {
  const stdout = bench('action/action-bench.js', '--products', '20', '--domains', '4', '--runs', '1');
  for (const scenario of [String.raw`example \(\d+ products, 1 changed spec\)`, String.raw`synthetic \(20 products, 1 changed spec\)`]) {
    expect(stdout).toMatch(figures(`^\\| ${scenario} \\| ${N} ms \\| ${N} ms \\| ${N} ms \\| ${N} ms \\| ${N}x \\| 0 \\| ${N} B \\|$`));
  }
});

test('policy: wasm decisions beside opa eval and the OPA server', () => {
  const file = path.join(out, 'policy-bench.json');
  const report = JSON.parse(bench('policy/policy-bench.js', '--products', '20', '--domains', '4', '--seconds', '0.2', '--samples', '500', '--opa-evals', '2', '--json', '--out', file));
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(report);
  expect(report.datasets.map((d) => d.name)).toEqual(['example mesh', 'synthetic 20']);
  for (const d of report.datasets) {
    for (const evaluator of ['wasm', 'wasmJsonInput', 'opaEvalProcess', 'opaServer']) {
      expect(d[evaluator].perSecond).toBeGreaterThan(0);
      expect(Number.isFinite(d[evaluator].p99us)).toBe(true);
    }
  }
});

test('startup: mesh --help and mesh validate beside node -e 0', () => {
  const stdout = bench('startup/startup-bench.js', '--runs', '1');
  for (const command of ['node -e 0', 'mesh --help', 'mesh validate --no-policy', 'mesh validate']) {
    expect(stdout).toMatch(figures(`^${command.replace(/[-]/g, '\\-')} +${N} +${N} +${N}x +\\d+$`));
  }
});

test('quality: mesh quality run on wide Parquet (GX beside it only in the real run)', () => {
  const stdout = bench('quality/quality-bench.js', '--rows', '1000', '--runs', '1', '--no-gx', '--out', path.join(out, 'quality'));
  expect(stdout).toMatch(figures(`^ +1,000 rows \\(${N} MiB\\): mesh ${N} ms \\(${N} ms per million rows\\)$`));
});

test('catalog: mesh catalog build, the search index size and (with chromium) first render of a product page', () => {
  const stdout = bench('catalog/catalog-bench.js', '--sizes', '30', '--pages', '2', '--out', path.join(out, 'catalog'));
  expect(stdout).toMatch(figures(`^  mesh catalog build \\(history from git\\) +${N} ms +\\(${N} ms per product`));
  expect(stdout).toMatch(figures(`^  search index +${N} MiB raw, ${N} MiB gzip -9, ${N} MiB brotli`));
  expect(stdout).toMatch(figures(`^  (product page first contentful paint +median ${N} ms|browser +not measured)`));
});
