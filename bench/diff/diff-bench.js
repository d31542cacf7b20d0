#!/usr/bin/env node
'use strict';
/**
 * `mesh diff` on synthetic meshes where ONE upstream product changes: it removes a field that
 * its consumers read. The diff should cost what the change touches (the product and its
 * readers), not the size of the mesh: the wall time at 1,000 and 10,000 products should be
 * about the same. Target: under 1 s at any size.
 *
 *   node bench/diff/diff-bench.js [--sizes 1000,10000] [--runs 3] [--out bench/out]
 *
 * Needs the packages built (npm run build). Meshes go to <out>/diff-<N> (bench/out is git-ignored).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { generateMesh } = require('../mesh-gen/generate.js');
const { arg, git } = require('../lib/cli.js');

const ROOT = path.resolve(__dirname, '..', '..');
const MESH = path.join(ROOT, 'packages', 'cli', 'bin', 'mesh.js');
const spec = require(path.join(ROOT, 'packages', 'spec', 'dist'));

const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const out = path.resolve(arg('out', path.join(ROOT, 'bench', 'out')));


/** The product with the most readers, one field a reader takes from it, and its schema file. */
function pickChange(dir) {
  const mesh = spec.loadMesh(dir);
  let best;
  for (const product of mesh.products.values()) {
    const readers = mesh.consumersOf(product.id);
    if (!best || readers.length > best.readers.length) best = { product, readers };
  }
  const edge = best.readers[0];
  const resolved = spec.resolveInPorts(spec.consumedPorts(edge), edge.spec.fields[0]);
  return { product: best.product, readers: best.readers.length, port: resolved.port, path: resolved.path };
}

function removeField(schema, dotted) {
  const [head, ...rest] = dotted.split('.');
  const index = schema.fields.findIndex((f) => f.name === head);
  if (rest.length === 0) schema.fields.splice(index, 1);
  else {
    let type = schema.fields[index].type;
    if (Array.isArray(type)) type = type.find((t) => t !== 'null');
    removeField(type, rest.join('.'));
  }
}

console.log('mesh diff, one upstream product removes a field its consumers read');
console.log('products | files in repo | readers of the change | diff wall (best of %d) | changed | consumers hit', runs);
for (const size of sizes) {
  const dir = path.join(out, `diff-${size}`);
  fs.rmSync(dir, { recursive: true, force: true });
  generateMesh({ domains: Math.max(3, Math.round(size / 100)), products: size, seed: 7, out: dir });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const files = git(dir, 'ls-files').split('\n').filter(Boolean).length;
  const change = pickChange(dir);
  const schemaFile = path.join(dir, change.port.schemaFile.file);
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  removeField(schema, change.path);
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
  let best = Infinity;
  let report;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [MESH, 'diff', '--root', dir, '--base', 'HEAD', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    if (run.status !== 1) throw new Error(`mesh diff should report the breaking change (exit 1), exited ${run.status}: ${run.stderr}`);
    report = JSON.parse(run.stdout);
  }
  const hit = new Set(report.changes.flatMap((c) => c.impact.map((i) => i.consumer)));
  console.log(`${String(size).padStart(8)} | ${String(files).padStart(13)} | ${String(change.readers).padStart(21)} | ${best.toFixed(0).padStart(19)} ms | ${String(report.summary.changed).padStart(7)} | ${hit.size}`);
}
