#!/usr/bin/env node
'use strict';
/**
 * Policy decision benchmark: the compiled governance decision evaluated in-process
 * (opa build -t wasm + @open-policy-agent/opa-wasm, through @data-mesh/policy's
 * CompiledPolicy) against `opa eval` as a process and, on loopback, the OPA server's REST API.
 *
 *   node bench/policy/policy-bench.js [--products 10000] [--domains 100] [--seconds 3]
 *                                     [--samples 20000] [--opa-evals 20] [--no-server] [--json]
 *                                     [--out bench/out/policy-bench.json]
 *
 * Datasets: the example mesh's policy data (domains/), and the registry generated from a
 * synthetic mesh of --products products (bench/mesh-gen, in memory) plus as many erased
 * subjects. Inputs: generateAccessRequests (known and unknown products, PII and plain
 * fields, roles, stewards, record ages around the retention, erased subjects, exports,
 * malformed requests), the same generator the parity test uses.
 *
 * Figures: decisions/s on one core (a tight loop, one thread), and per-decision latency
 * p50/p99/max from a separate timed loop. Not a timed test: it exits non-zero only when a
 * decision is wrong (wasm and opa eval disagree, or a decision is not {allow, reasons}).
 * --samples: timed decisions per latency round; --opa-evals: `opa eval` processes per dataset.
 * Writes the report to --out (default bench/out/policy-bench.json).
 */
require('./ts-hook.js');
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn, spawnSync } = require('child_process');
const yaml = require('js-yaml');
const policy = require('@data-mesh/policy');
const spec = require('@data-mesh/spec');
const { generateMesh } = require('../mesh-gen/generate.js');

const ROOT = path.resolve(__dirname, '..', '..');

function args() {
  const a = { products: 10000, domains: 100, seconds: 3, samples: 20000, opaEvals: 20, server: true, json: false, out: path.join(ROOT, 'bench/out/policy-bench.json') };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--products') a.products = Number(argv[++i]);
    else if (k === '--domains') a.domains = Number(argv[++i]);
    else if (k === '--seconds') a.seconds = Number(argv[++i]);
    else if (k === '--samples') a.samples = Number(argv[++i]);
    else if (k === '--opa-evals') a.opaEvals = Number(argv[++i]);
    else if (k === '--out') a.out = path.resolve(argv[++i]);
    else if (k === '--no-server') a.server = false;
    else if (k === '--json') a.json = true;
    else {
      console.error(`unknown argument ${k}`);
      process.exit(2);
    }
  }
  return a;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function syntheticData(products, domains) {
  const t0 = process.hrtime.bigint();
  const mesh = generateMesh({ domains, products, seed: 1 });
  const specFiles = new Map(mesh.files.filter((f) => f.path.endsWith('/data-product.yaml')).map((f) => [f.path, f.content]));
  const meshProducts = mesh.products.map((p) => ({
    domain: p.domain,
    name: p.name,
    file: p.file,
    spec: yaml.load(specFiles.get(p.file)),
  }));
  const erasures = {};
  for (let i = 0; i < products; i++) erasures[`cust-${String(i * 7919).padStart(8, '0')}`] = { file: 'synthetic', requested_at: '2026-10-01' };
  const { standards } = policy.readStandards(ROOT);
  const data = policy.generatePolicyData({ products: meshProducts }, { erasures, standards });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const piiProducts = meshProducts.filter((p) => (p.spec.spec.governance.pii_fields || []).length > 0).length;
  return { data, note: `${products} products in ${domains} domains (${piiProducts} with PII), ${products} erased subjects; generated in ${ms.toFixed(0)} ms` };
}

/**
 * In-process wasm: throughput in a tight loop (no per-call timers) and latency from a separate
 * loop that times each decision. The machine may be shared (see the load average printed), so
 * each is measured in ROUNDS rounds and the best round is reported beside the median one;
 * decisions per CPU-second (process.cpuUsage) is the one-core figure least disturbed by
 * other processes.
 */
const ROUNDS = 5;
let compiled0;
function measureWasm(compiled, inputs, seconds, samples, asJson = false) {
  const entry = policy.ENTRYPOINTS.decision;
  if (asJson) {
    // a gateway that holds the request as JSON text passes it as is
    const texts = inputs.map((i) => JSON.stringify(i));
    inputs = texts;
    compiled = { evaluate: (text, e) => compiled0.evaluateJson(text, e) };
  }
  for (let i = 0; i < Math.min(20000, inputs.length * 4); i++) compiled.evaluate(inputs[i % inputs.length], entry);
  const rounds = [];
  const budget = BigInt(Math.round((seconds / ROUNDS) * 1e9));
  let k = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    let now = start;
    while (now - start < budget) {
      for (let j = 0; j < 1000; j++) compiled.evaluate(inputs[k++ % inputs.length], entry);
      n += 1000;
      now = process.hrtime.bigint();
    }
    const cpu = process.cpuUsage(cpu0);
    rounds.push({ n, perSecond: n / (Number(now - start) / 1e9), perCpuSecond: n / ((cpu.user + cpu.system) / 1e6) });
  }
  const byRate = [...rounds].sort((a, b) => b.perSecond - a.perSecond);
  const lat = [];
  for (let r = 0; r < ROUNDS; r++) {
    const l = new Float64Array(samples);
    for (let i = 0; i < samples; i++) {
      const t = process.hrtime.bigint();
      compiled.evaluate(inputs[(r * samples + i) % inputs.length], entry);
      l[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    l.sort();
    lat.push({ p50: percentile(l, 50), p99: percentile(l, 99), max: l[l.length - 1] });
  }
  const bestLat = [...lat].sort((a, b) => a.p99 - b.p99)[0];
  const medLat = [...lat].sort((a, b) => a.p99 - b.p99)[Math.floor(ROUNDS / 2)];
  return {
    decisions: rounds.reduce((s, r) => s + r.n, 0) + ROUNDS * samples,
    perSecond: byRate[0].perSecond,
    perSecondMedian: byRate[Math.floor(ROUNDS / 2)].perSecond,
    perCpuSecond: Math.max(...rounds.map((r) => r.perCpuSecond)),
    p50us: bestLat.p50,
    p99us: bestLat.p99,
    maxus: bestLat.max,
    p50usMedian: medLat.p50,
    p99usMedian: medLat.p99,
  };
}

function opaEvalProcess(opa, dirs, dataFile, inputs, count) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-bench-'));
  const lat = [];
  const results = [];
  try {
    for (let i = 0; i < count; i++) {
      const file = path.join(tmp, `input-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(inputs[i]));
      const t = process.hrtime.bigint();
      const r = spawnSync(opa, ['eval', '--format', 'json', ...dirs.flatMap((d) => ['-d', d]), '-d', dataFile, '-i', file, 'data.data_mesh.governance.decision'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
      lat.push(Number(process.hrtime.bigint() - t) / 1000);
      if (r.status !== 0) throw new Error(`opa eval failed: ${r.stderr}`);
      results.push(JSON.parse(r.stdout).result[0].expressions[0].value);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  lat.sort((a, b) => a - b);
  const mean = lat.reduce((s, x) => s + x, 0) / lat.length;
  return { decisions: count, perSecond: 1e6 / mean, p50us: percentile(lat, 50), p99us: percentile(lat, 99), maxus: lat[lat.length - 1], results };
}

function request(port, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/data/data_mesh/governance/decision', method: 'POST', agent: keepAlive, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function opaServer(opa, dirs, dataFile, inputs, seconds) {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const child = spawn(opa, ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', ...dirs, dataFile], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        await request(port, JSON.stringify({ input: inputs[0] }));
        break;
      } catch (e) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`opa server did not start: ${stderr || e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const bodies = inputs.map((input) => JSON.stringify({ input }));
    for (let i = 0; i < 500; i++) await request(port, bodies[i % bodies.length]);
    const lat = [];
    const results = [];
    const budget = seconds * 1000;
    const start = Date.now();
    for (let i = 0; Date.now() - start < budget && i < 200000; i++) {
      const t = process.hrtime.bigint();
      const r = await request(port, bodies[i % bodies.length]);
      lat.push(Number(process.hrtime.bigint() - t) / 1000);
      if (i < inputs.length) results.push(r.result);
    }
    const elapsed = (Date.now() - start) / 1000;
    lat.sort((a, b) => a - b);
    return { decisions: lat.length, perSecond: lat.length / elapsed, p50us: percentile(lat, 50), p99us: percentile(lat, 99), maxus: lat[lat.length - 1], results };
  } finally {
    child.kill('SIGTERM');
    keepAlive.destroy();
  }
}

function same(a, b) {
  return require('util').isDeepStrictEqual(a, b);
}

async function main() {
  const opt = args();
  const found = await policy.findOpa(ROOT);
  if (!found.found) {
    console.error(`${found.diagnostic}; install it with: ${found.installCommand}`);
    process.exit(2);
  }
  const build = await policy.buildPolicyWasm(ROOT);
  if (!build.wasm) {
    console.error(JSON.stringify(build.diagnostics, null, 2));
    process.exit(1);
  }
  const dirs = spec.policyDirs(spec.fileSystemSource(ROOT));
  const example = policy.buildPolicyData(ROOT, policy.loadPolicyMesh(ROOT)).data;
  const datasets = [
    { name: 'example mesh', data: example, note: `${Object.values(example.products).reduce((s, d) => s + Object.keys(d).length, 0)} products` },
    { name: `synthetic ${opt.products}`, ...syntheticData(opt.products, opt.domains) },
  ];
  const report = { opa: found.version, node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length, loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)), wasmBytes: build.wasm.length, datasets: [] };
  let wrong = 0;
  for (const ds of datasets) {
    const inputs = policy.generateAccessRequests(ds.data, 5000, 42);
    const tLoad = process.hrtime.bigint();
    const compiled = await policy.CompiledPolicy.load(build.wasm, ds.data);
    const loadMs = Number(process.hrtime.bigint() - tLoad) / 1e6;
    compiled0 = compiled;
    const wasm = measureWasm(compiled, inputs, opt.seconds, opt.samples);
    const wasmJson = measureWasm(compiled, inputs, opt.seconds, opt.samples, true);
    for (const d of inputs.slice(0, 200).map((i) => compiled.evaluate(i))) if (!d || typeof d.allow !== 'boolean' || !Array.isArray(d.reasons)) wrong++;

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-bench-data-'));
    const dataFile = path.join(tmp, 'data.json');
    fs.writeFileSync(dataFile, JSON.stringify(ds.data));
    let evalProc, server;
    try {
      evalProc = opaEvalProcess(found.path, dirs, dataFile, inputs, opt.opaEvals);
      evalProc.results.forEach((r, i) => {
        if (same(r, compiled.evaluate(inputs[i]))) return;
        if (wrong++ === 0) console.error('first mismatch (opa eval vs wasm):', JSON.stringify(inputs[i]), JSON.stringify(r), JSON.stringify(compiled.evaluate(inputs[i])));
      });
      if (opt.server) {
        server = await opaServer(found.path, dirs, dataFile, inputs, Math.min(opt.seconds, 3));
        server.results.forEach((r, i) => {
          if (same(r, compiled.evaluate(inputs[i]))) return;
          if (wrong++ === 0) console.error('first mismatch (server vs wasm):', JSON.stringify(inputs[i]), JSON.stringify(r), JSON.stringify(compiled.evaluate(inputs[i])));
        });
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const strip = (r) => {
      if (!r) return r;
      const out = {};
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number') out[k] = k.startsWith('per') ? Math.round(v) : +v.toFixed(1);
      return out;
    };
    report.datasets.push({ name: ds.name, note: ds.note, dataBytes: JSON.stringify(ds.data).length, loadMs: +loadMs.toFixed(1), wasm: strip(wasm), wasmJsonInput: strip(wasmJson), opaEvalProcess: strip(evalProc), opaServer: strip(server) });
  }
  report.loadAverageAtEnd = os.loadavg().map((x) => +x.toFixed(2));
  fs.mkdirSync(path.dirname(opt.out), { recursive: true });
  fs.writeFileSync(opt.out, `${JSON.stringify(report, null, 2)}\n`);
  if (opt.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`policy decisions: opa ${report.opa}, node ${report.node}, ${report.cores} x ${report.cpu}; policy.wasm ${report.wasmBytes} bytes`);
    console.log(`load average at start ${report.loadAverageAtStart.join(' ')}, at end ${report.loadAverageAtEnd.join(' ')} (a shared machine inflates wall-clock figures)`);
    for (const d of report.datasets) {
      console.log(`\n${d.name}: ${d.note}; data ${(d.dataBytes / 1024).toFixed(0)} KiB, load+setData ${d.loadMs} ms`);
      console.log('  evaluator              decisions/s      p50 µs      p99 µs      max µs   vs wasm');
      for (const [label, r] of [['wasm in-process', d.wasm], ['wasm, JSON text input', d.wasmJsonInput], ['opa eval (process)', d.opaEvalProcess], ['opa server (loopback)', d.opaServer]]) {
        if (!r) continue;
        const ratio = r === d.wasm ? '1x' : r === d.wasmJsonInput ? `${(r.perSecond / d.wasm.perSecond).toFixed(2)}x` : `${(d.wasm.perSecond / r.perSecond).toFixed(0)}x slower`;
        console.log(`  ${label.padEnd(22)} ${String(r.perSecond).padStart(11)} ${r.p50us.toFixed(1).padStart(11)} ${r.p99us.toFixed(1).padStart(11)} ${r.maxus.toFixed(1).padStart(11)}   ${ratio}`);
      }
      const w = d.wasm;
      console.log(`  wasm detail: ${w.perCpuSecond} decisions per CPU-second; median round ${w.perSecondMedian}/s, p50 ${w.p50usMedian} µs, p99 ${w.p99usMedian} µs`);
      console.log(`  wasm, JSON text input: ${d.wasmJsonInput.perCpuSecond} decisions per CPU-second; median round ${d.wasmJsonInput.perSecondMedian}/s`);
      const ok = w.perSecond >= 50000 && w.p99us < 100;
      console.log(`  target (>= 50,000 decisions/s on one core, p99 < 100 µs): ${ok ? 'met' : 'NOT met'} (best round)`);
    }
  }
  if (wrong > 0) {
    console.error(`\n${wrong} decision(s) differ between evaluators or are malformed`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
