#!/usr/bin/env node
'use strict';
/**
 * Benchmark of `mesh synth` (infra's synthesize()) on synthetic meshes, beside its floor.
 *
 *   node bench/synth/synth-bench.js [--sizes 100,1000] [--runs 1] [--seed 1] [--nag] [--validation] [--out bench/out]
 *
 * For each size N: a mesh from bench/mesh-gen (about N/50 domains, at least 4) in
 * <out>/synth-N, then, each in its own process (bench/synth/run-one.js):
 *   mesh:  synthesize(mesh) without cdk-nag (and with it when --nag);
 *   floor: a plain app of L1 resources (CfnResource) with the same stacks, resource types and
 *          properties that mesh wrote: the cost of emitting that CloudFormation with CDK at all.
 * CDK's built-in CloudFormation validation (a WASM engine, on by default in aws-cdk-lib 2.276,
 * off in `mesh synth`, which leaves that to cfn-lint) is off in both; `--validation` turns it
 * on in both. Printed: products, stacks, resources, wall
 * time in process (load + synth), ms per product, peak RSS, and the ratio to the floor.
 * Target: 1,000 products in under 30 s and 2 GB, within 1.5x of the floor.
 * This is a benchmark that prints figures, not a timed test.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { generateMesh } = require('../mesh-gen/generate.js');
const { addGovernance } = require('../lib/cli.js');

const REPO = path.resolve(__dirname, '..', '..');
const RUN = path.join(__dirname, 'run-one.js');

function parseArgs(argv) {
  const o = { sizes: [100, 1000], runs: 1, seed: 1, nag: false, validation: false, out: path.join(REPO, 'bench', 'out'), json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') o.sizes = argv[++i].split(',').map(Number);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--seed') o.seed = argv[++i];
    else if (a === '--nag') o.nag = true;
    else if (a === '--validation') o.validation = true;
    else if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--json') o.json = true;
    else { console.error(`unknown argument ${a}`); process.exit(2); }
  }
  return o;
}

function run(args) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', RUN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = (r.stdout || '').trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    console.error(r.stderr.slice(-3000));
    throw new Error(`run-one ${args[0]} failed (exit ${r.status})`);
  }
}

function best(runs, args) {
  let b;
  for (let i = 0; i < runs; i++) {
    const r = run(args);
    if (!b || r.ms < b.ms) b = r;
  }
  return b;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const rows = [];
  console.log(`synth bench: node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, validation ${o.validation ? 'on' : 'off'}`);
  for (const n of o.sizes) {
    const root = path.join(o.out, `synth-${n}`);
    const domains = Math.max(4, Math.round(n / 50));
    const marker = path.join(root, '.synth-bench.json');
    // regenerate when the generator changes (it follows the contract as the contract evolves)
    const generator = require('crypto').createHash('sha256').update(fs.readFileSync(require.resolve('../mesh-gen/generate.js'))).digest('hex').slice(0, 12);
    const want = JSON.stringify({ n, domains, seed: o.seed, generator });
    if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== want) {
      fs.rmSync(root, { recursive: true, force: true });
      generateMesh({ domains, products: n, seed: o.seed, out: root });
      fs.writeFileSync(marker, want);
    }
    addGovernance(root); // the policy decision function is compiled from it
    const meshOut = path.join(o.out, `synth-${n}-cdk.out`);
    const floorOut = path.join(o.out, `synth-${n}-floor.out`);
    const v = o.validation ? ['--validation'] : [];
    fs.rmSync(meshOut, { recursive: true, force: true });
    const mesh = best(o.runs, ['mesh', '--root', root, '--out', meshOut, ...v]);
    if (!mesh.ok) {
      console.error(`synth of ${n} products failed:`, JSON.stringify(mesh.errors, null, 1));
      process.exitCode = 1;
    }
    const floor = best(o.runs, ['floor', '--templates', meshOut, '--out', floorOut, ...v]);
    const nag = o.nag ? best(o.runs, ['mesh', '--root', root, '--out', `${meshOut}-nag`, '--nag', ...v]) : undefined;
    rows.push({ products: n, domains, stacks: mesh.stacks, resources: mesh.resources, mesh, floor, nag });
  }
  if (o.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const pad = (s, w) => String(s).padStart(w);
  console.log(['products', 'stacks', 'resources', 'synth s', 'ms/product', 'peak MB', 'floor s', 'floor MB', 'ratio', ...(o.nag ? ['+nag s', '+nag MB'] : [])].map((h) => pad(h, 10)).join(' '));
  for (const r of rows) {
    console.log([
      r.products, r.stacks, r.resources, (r.mesh.ms / 1000).toFixed(1), (r.mesh.ms / r.products).toFixed(1), r.mesh.maxRssMb,
      (r.floor.ms / 1000).toFixed(1), r.floor.maxRssMb, (r.mesh.ms / r.floor.ms).toFixed(2),
      ...(r.nag ? [(r.nag.ms / 1000).toFixed(1), r.nag.maxRssMb] : []),
    ].map((c) => pad(c, 10)).join(' '));
  }
  if (rows.length >= 2) {
    const [a, b] = [rows[rows.length - 2], rows[rows.length - 1]];
    console.log(`marginal: ${((b.mesh.ms - a.mesh.ms) / (b.products - a.products)).toFixed(1)} ms/product (floor ${((b.floor.ms - a.floor.ms) / (b.products - a.products)).toFixed(1)})`);
  }
  const k = rows.find((r) => r.products === 1000);
  if (k) console.log(`target 1,000 products < 30 s and < 2 GB, within 1.5x of the floor: ${k.mesh.ms < 30000 && k.mesh.maxRssMb < 2048 && k.mesh.ms <= 1.5 * k.floor.ms ? 'met' : 'NOT met'} (${(k.mesh.ms / 1000).toFixed(1)} s, ${k.mesh.maxRssMb} MB, ${(k.mesh.ms / k.floor.ms).toFixed(2)}x)`);
}

main();
