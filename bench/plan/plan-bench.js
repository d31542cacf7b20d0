#!/usr/bin/env node
'use strict';
/**
 * Benchmark of `mesh plan` (the deploy plan of a change) on a synthetic mesh.
 *
 *   node bench/plan/plan-bench.js [--products 1000] [--seed 1] [--out bench/out]
 *
 * A mesh from bench/mesh-gen (products/50 domains, at least 4) is committed in a git repository
 * at <out>/plan-N; one product's spec is edited in a second commit (its description and a minor
 * version bump). Then `node packages/cli/bin/mesh.js plan --base HEAD~1 --head HEAD --format json`
 * runs in its own process (build first: `npm run build -w @data-mesh/cli`). Printed: wall time,
 * the phases the plan reports (base synth, head synth, diff: each side's load + validation +
 * synthesis of the reached stacks), the stacks synthesized and the resource changes.
 * Target: one changed product of a 1,000-product mesh in under 10 s. Not a timed test: it exits
 * non-zero only when the plan is wrong (no plan, or it reports a stateful replacement for an
 * edit that replaces nothing).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { generateMesh } = require('../mesh-gen/generate.js');
const { addGovernance, git } = require('../lib/cli.js');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js');

function parseArgs(argv) {
  const o = { products: 1000, seed: 1, out: path.join(REPO, 'bench', 'out') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--products') o.products = Number(argv[++i]);
    else if (a === '--seed') o.seed = argv[++i];
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else { console.error(`unknown argument ${a}`); process.exit(2); }
  }
  return o;
}


function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(REPO, 'packages', 'cli', 'dist', 'index.js'))) {
    console.error('build the CLI first: npm run build -w @data-mesh/cli');
    process.exit(2);
  }
  const domains = Math.max(4, Math.round(o.products / 50));
  const dir = path.join(o.out, `plan-${o.products}`);
  fs.rmSync(dir, { recursive: true, force: true });
  generateMesh({ domains, products: o.products, seed: o.seed, out: dir });
  addGovernance(dir); // the decision function of each side is compiled from it
  fs.writeFileSync(path.join(dir, '.gitignore'), '.tools/\nnode_modules\n');
  // mesh plan runs the root's own infra app (@data-mesh/infra), as in a clone of the platform repository.
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the mesh');
  // One changed product: the first product of the first domain, description and minor version.
  const domain = fs.readdirSync(path.join(dir, 'domains')).filter((d) => fs.statSync(path.join(dir, 'domains', d)).isDirectory()).sort()[0];
  const product = fs.readdirSync(path.join(dir, 'domains', domain)).filter((p) => fs.existsSync(path.join(dir, 'domains', domain, p, 'data-product.yaml'))).sort()[0];
  const spec = path.join(dir, 'domains', domain, product, 'data-product.yaml');
  const text = fs.readFileSync(spec, 'utf8');
  const edited = text
    .replace(/^(\s+description: )(.*)$/m, (_m, k, v) => `${k}${v.replace(/["']?$/, (q) => ` (benchmark edit)${q}`)}`)
    .replace(/version: "(\d+)\.(\d+)\.(\d+)"/, (_m, a, b) => `version: "${a}.${Number(b) + 1}.0"`);
  if (edited === text) throw new Error(`could not edit ${spec}`);
  fs.writeFileSync(spec, edited);
  git(dir, 'commit', '-q', '-am', `edit ${domain}/${product}`);

  const [load1] = os.loadavg();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'plan', '--root', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let result;
  try {
    result = JSON.parse(r.stdout);
  } catch {
    console.error(r.stderr.slice(-3000));
    throw new Error(`mesh plan failed (exit ${r.status})`);
  }
  const plan = result.plan;
  if (!plan) {
    console.error(JSON.stringify(result.diagnostics.slice(0, 5), null, 2));
    throw new Error('mesh plan made no plan');
  }
  const t = plan.timings;
  console.log(`mesh plan: ${o.products} products in ${domains} domains, one changed (${domain}/${product}); load average ${load1.toFixed(2)} on ${os.cpus().length} cores`);
  console.log(`  wall ${(wallMs / 1000).toFixed(1)} s (target < 10 s): base synth ${(t.baseMs / 1000).toFixed(1)} s, head synth ${(t.headMs / 1000).toFixed(1)} s, diff ${(t.diffMs / 1000).toFixed(2)} s, rest (node, aws-cdk-lib load, git, diff rules) ${((wallMs - t.baseMs - t.headMs - t.diffMs) / 1000).toFixed(1)} s`);
  console.log(`  stacks: ${plan.stacks.map((s) => `${s.name} (${s.status}, ${s.resources})`).join(', ')}`);
  console.log(`  ${plan.summary.added} added, ${plan.summary.modified} modified, ${plan.summary.replaced} replaced, ${plan.summary.removed} removed; exit ${r.status}`);
  const wrong = result.diagnostics.filter((d) => d.code === 'MESH511' || d.code === 'MESH515');
  if (wrong.length > 0) {
    console.error('wrong answer: a description edit replaces nothing:', JSON.stringify(wrong.slice(0, 3)));
    process.exit(1);
  }
}

main();
