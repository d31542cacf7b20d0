#!/usr/bin/env node
'use strict';
/**
 * `mesh check --base HEAD` end to end (a process, as a user or CI runs it) on synthetic meshes
 * where ONE spec changed (a reworded description), `opa test` excluded. The cost should follow
 * the change: t(large) / t(small) near 1. The deploy plan that `mesh check` adds when a change
 * reaches the infrastructure is left out (--no-plan) and measured by bench/plan. Targets (issue 9): 5,000 products under 3 s with an
 * empty policy cache, under 1.5 s with it warm, t(5,000) / t(500) <= 1.5.
 *
 *   node bench/check/check-bench.js [--sizes 500,5000] [--runs 3] [--out bench/out] [--json]
 *
 * Scenarios per size, each a fresh process:
 *   cold          no cache at all (parsed specs and the compiled policy made this run)
 *   policy-cold   parsed specs cached, the compiled policy not (opa build runs)
 *   warm          both cached (what CI sees with actions/cache)
 *   full          --full: every product validated (the caches warm)
 * The phase columns come from the run's own report (scope.phases). Needs `npm run build` and
 * opa (scripts/setup-tools.sh). Meshes go to <out>/check-<N> (bench/out is git-ignored). Not a timed
 * test: it exits 1 only on a wrong answer (a finding on a mesh that is valid by construction).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { generateMesh } = require('../mesh-gen/generate.js');
const { addGovernance, arg, git } = require('../lib/cli.js');

const ROOT = path.resolve(__dirname, '..', '..');
const MESH = path.join(ROOT, 'packages', 'cli', 'bin', 'mesh.js');

const sizes = arg('sizes', '500,5000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const out = path.resolve(arg('out', path.join(ROOT, 'bench', 'out')));
const asJson = process.argv.includes('--json');


function repository(size) {
  const dir = path.join(out, `check-${size}`);
  fs.rmSync(dir, { recursive: true, force: true });
  generateMesh({ domains: Math.max(3, Math.round(size / 100)), products: size, seed: 5, out: dir });
  addGovernance(dir, 'platform.yaml');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.tools/\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const spec = git(dir, 'ls-files', '--', 'domains/*/*/data-product.yaml').split('\n').filter(Boolean)[0];
  const file = path.join(dir, spec);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^ {2}description: /m, '  description: Reworded. '));
  return dir;
}

function check(dir, cacheDir, extra = []) {
  const started = process.hrtime.bigint();
  // --no-plan: the deploy plan (CDK synthesis of the affected stacks) is measured by bench/plan.
  const run = spawnSync(process.execPath, [MESH, 'check', '--base', 'HEAD', '--root', dir, '--format', 'json', '--policy-tests', 'never', '--no-plan', '--cache-dir', cacheDir, ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`mesh check should pass a mesh valid by construction, exited ${run.status}: ${run.stderr}${run.stdout.slice(0, 2000)}`);
  const report = JSON.parse(run.stdout);
  return { ms, phases: report.scope.phases, scope: report.scope };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function nodeFloor() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

const SCENARIOS = {
  cold: (cacheDir) => fs.rmSync(cacheDir, { recursive: true, force: true }),
  'policy-cold': (cacheDir) => fs.rmSync(path.join(cacheDir, 'policy-wasm'), { recursive: true, force: true }),
  warm: () => {},
  full: () => {},
};

const results = [];
for (const size of sizes) {
  const dir = repository(size);
  const cacheDir = path.join(dir, '.tools', 'cache');
  check(dir, cacheDir); // fills the caches once, so that every scenario starts from the state it names
  for (const [name, prepare] of Object.entries(SCENARIOS)) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      prepare(cacheDir);
      samples.push(check(dir, cacheDir, name === 'full' ? ['--full'] : []));
    }
    const wall = median(samples.map((s) => s.ms));
    const phases = {};
    for (const key of Object.keys(samples[0].phases)) phases[key] = median(samples.map((s) => s.phases[key] ?? 0));
    results.push({ size, scenario: name, wallMs: Math.round(wall), phases, changed: samples[0].scope.changed?.length, cache: samples[0].scope.cache });
  }
}

const floor = nodeFloor();
if (asJson) {
  process.stdout.write(`${JSON.stringify({ nodeFloorMs: Math.round(floor), results }, null, 2)}\n`);
} else {
  console.log(`mesh check --base HEAD, one changed spec, opa test excluded; median of ${runs}; node -e 0: ${Math.round(floor)} ms; load ${require('os').loadavg()[0].toFixed(1)}`);
  console.log('products | scenario    | wall ms | µs/product | phases (ms)');
  for (const r of results) {
    const phases = Object.entries(r.phases).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`${String(r.size).padStart(8)} | ${r.scenario.padEnd(11)} | ${String(r.wallMs).padStart(7)} | ${String(Math.round((r.wallMs * 1000) / r.size)).padStart(10)} | ${phases}`);
  }
  if (sizes.length >= 2) {
    const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
    for (const scenario of Object.keys(SCENARIOS)) {
      const a = results.find((r) => r.size === small && r.scenario === scenario);
      const b = results.find((r) => r.size === large && r.scenario === scenario);
      console.log(`t(${large}) / t(${small}), ${scenario}: ${(b.wallMs / a.wallMs).toFixed(2)}`);
    }
  }
}
