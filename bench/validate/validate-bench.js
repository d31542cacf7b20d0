#!/usr/bin/env node
'use strict';
/**
 * Benchmark of `mesh validate` on synthetic meshes, against the floor of reading + parsing.
 *
 *   node bench/validate/validate-bench.js [--sizes 100,1000,10000] [--runs 3] [--seed 1]
 *                                         [--out bench/out] [--regenerate] [--check] [--json]
 *                                         [--build | --ref REF] [--generators mesh-gen,mesh-gen2]
 *
 * For each size N it generates (once; reused while the generator's output is unchanged) a
 * mesh into <out>/validate-N with bench/mesh-gen (and <out>/validate2-N with bench/mesh-gen2, a
 * second generator of another shape: fewer, wider and deeper schemas, 3-8 inputs per product,
 * flow-style YAML), then, best of --runs:
 *   validate: node packages/cli/bin/mesh.js validate --root <mesh> --format json   (child process)
 *   floor:    node bench/validate/floor.js --root <mesh>  (read every spec + schema, js-yaml +
 *             JSON.parse, one core)
 * Wall time is measured around the child (process start included); peak RSS comes from
 * `/usr/bin/time -f %M` when present, else from process.resourceUsage().maxRSS inside a
 * wrapper child (bench/validate/rss-wrapper.js). The run must report 0 errors: otherwise the
 * first diagnostics are printed (a generator bug or a validator bug) and the exit code is 1.
 * Which validator: by default the one built in the working tree (packages/cli/bin/mesh.js);
 * --build first runs `npx turbo run build --filter=@data-mesh/cli...` there; --ref REF
 * measures a COMMIT instead: `git archive REF` of the CLI's workspace closure into
 * <out>/cli-<key>/, node_modules linked to the root's (the @data-mesh/* packages to the
 * snapshot's), `npm run build` in dependency order; reused while those folders are unchanged. That is
 * unaffected by half-finished edits in the shared working tree and lets commits be compared.
 * Every run appends its rows to <out>/validate-history.jsonl with the validator's commit.
 * This is a benchmark that prints figures, not a timed test.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { addGovernance } = require('../lib/cli.js');
const GENERATORS = {
  'mesh-gen': { dir: 'validate', domains: (n) => Math.max(4, Math.round(Math.sqrt(n))) },
  // mesh-gen2 picks its own domain count (about sqrt(N)/2)
  'mesh-gen2': { dir: 'validate2', domains: (n) => Math.max(4, Math.round(Math.sqrt(n) / 2)) },
};

const REPO = path.resolve(__dirname, '..', '..');
let MESH_CLI = path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js');
const FLOOR = path.join(__dirname, 'floor.js');
const WRAPPER = path.join(__dirname, 'rss-wrapper.js');
const GNU_TIME = '/usr/bin/time';
const TARGET_N = 10000;
const TARGET_S = 1.5;

function parseArgs(argv) {
  const o = { sizes: [100, 1000, 10000], runs: 3, seed: 1, out: path.join(REPO, 'bench', 'out'), generators: ['mesh-gen', 'mesh-gen2'], regenerate: false, check: false, build: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--sizes') o.sizes = v().split(',').map(Number);
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--seed') o.seed = v();
    else if (a === '--out') o.out = path.resolve(v());
    else if (a === '--regenerate') o.regenerate = true;
    else if (a === '--check') o.check = true;
    else if (a === '--build') o.build = true;
    else if (a === '--ref') o.ref = v();
    else if (a === '--json') o.json = true;
    else if (a === '--generators') o.generators = v().split(',');
    else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]); process.exit(0); }
    else { console.error(`validate-bench: unknown argument ${a}`); process.exit(2); }
  }
  if (!o.generators.every((g) => GENERATORS[g])) { console.error(`validate-bench: --generators takes ${Object.keys(GENERATORS).join(',')}`); process.exit(2); }
  if (!o.sizes.every((n) => Number.isInteger(n) && n > 0) || !(o.runs >= 1)) { console.error('validate-bench: bad --sizes/--runs'); process.exit(2); }
  return o;
}

/** about sqrt(N) domains, at least 4: 100 -> 10, 1,000 -> 32, 10,000 -> 100 */
const domainsFor = (n) => Math.max(4, Math.round(Math.sqrt(n)));

function ensureMesh(n, opts, generator = 'mesh-gen') {
  const g = GENERATORS[generator];
  const { generateMesh, writeMesh } = require(`../${generator}/generate.js`);
  const dir = path.join(opts.out, `${g.dir}-${n}`);
  const marker = path.join(dir, '.mesh-gen.json');
  const want = { domains: g.domains(n), products: n, seed: opts.seed };
  const genStamp = require('crypto').createHash('sha1').update(fs.readFileSync(path.join(__dirname, '..', generator, 'generate.js'))).digest('hex');
  if (!opts.regenerate && fs.existsSync(marker)) {
    try {
      const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
      if (String(m.seed) === String(opts.seed) && m.stats.products === n && m.stats.domains === want.domains && m.generatorSha1 === genStamp) {
        addGovernance(dir);
        return { dir, stats: m.stats, generatedMs: null };
      }
    } catch { /* regenerate */ }
  }
  const t0 = process.hrtime.bigint();
  const mesh = generateMesh(want);
  writeMesh(mesh, dir);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
  m.generatorSha1 = genStamp;
  fs.writeFileSync(marker, JSON.stringify(m, null, 2) + '\n');
  addGovernance(dir);
  return { dir, stats: mesh.stats, generatedMs: ms };
}

/** Run `node script args` as a child; wall time around it, peak RSS (KB) of the child. */
function runChild(script, args) {
  const useTime = fs.existsSync(GNU_TIME) && !process.env.MESH_BENCH_NO_GNU_TIME; // the env var forces the fallback
  const cmd = useTime ? GNU_TIME : process.execPath;
  const argv = useTime ? ['-f', 'MESH_BENCH_MAXRSS_KB %M CPU_S %U %S', process.execPath, script, ...args] : [WRAPPER, script, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30, env: Object.assign({}, process.env, { NO_COLOR: '1', FORCE_COLOR: '0' }) });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  const m = /MESH_BENCH_MAXRSS_KB (\d+) CPU_S ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr || '');
  return {
    wallS, rssKB: m ? Number(m[1]) : null, cpuS: m ? Number(m[2]) + Number(m[3]) : null,
    status: r.status, stdout: r.stdout, stderr: m ? r.stderr.slice(0, m.index) : r.stderr,
  };
}

/** Build the validator of commit `ref` outside the working tree; returns { cli, commit }. */
function buildSnapshot(ref, out) {
  const git = (...args) => {
    const r = spawnSync('git', args, { cwd: REPO, encoding: 'buffer', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString()}`);
    return r.stdout;
  };
  const sha = git('rev-parse', '--short=12', `${ref}^{commit}`).toString().trim();
  const showJson = (file) => { try { return JSON.parse(git('show', `${sha}:${file}`).toString()); } catch { return null; } };
  // the workspaces at that commit: package name -> folder
  const workspaces = new Map();
  for (const pattern of (showJson('package.json') || {}).workspaces || []) {
    const folders = pattern.endsWith('/*')
      ? git('ls-tree', '-d', '--name-only', `${sha}:${pattern.slice(0, -2)}`).toString().split('\n').filter(Boolean).map((d) => `${pattern.slice(0, -2)}/${d}`)
      : [pattern];
    for (const folder of folders) {
      const meta = showJson(`${folder}/package.json`);
      if (meta && meta.name) workspaces.set(meta.name, { folder, meta });
    }
  }
  // the CLI's closure over workspace dependencies, in build order
  const order = [];
  const visit = (name) => {
    const w = workspaces.get(name);
    if (!w || order.includes(w)) return;
    for (const dep of Object.keys(w.meta.dependencies || {})) visit(dep);
    order.push(w);
  };
  visit('@data-mesh/cli');
  if (!order.length) throw new Error(`no @data-mesh/cli workspace at ${sha}`);
  // key the build by the closure's trees: commits touching other folders reuse it
  const trees = order.map((w) => `${w.folder}:${git('rev-parse', `${sha}:${w.folder}`).toString().trim()}`).sort().join(',');
  const key = require('crypto').createHash('sha1').update(trees).digest('hex').slice(0, 12);
  const dir = path.join(out, `cli-${key}`);
  const cli = path.join(dir, 'packages', 'cli', 'bin', 'mesh.js');
  const done = path.join(dir, '.built');
  if (fs.existsSync(done)) { fs.utimesSync(dir, new Date(), new Date()); return { cli, commit: sha }; }
  // keep the three most recent snapshots
  fs.mkdirSync(out, { recursive: true });
  const old = fs.readdirSync(out).filter((d) => /^cli-[0-9a-f]+$/.test(d)).map((d) => path.join(out, d))
    .sort((x, y) => fs.statSync(y).mtimeMs - fs.statSync(x).mtimeMs).slice(2);
  for (const d of old) fs.rmSync(d, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const rootFiles = ['package.json', 'tsconfig.base.json'].filter((f) => spawnSync('git', ['cat-file', '-e', `${sha}:${f}`], { cwd: REPO }).status === 0);
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: git('archive', '--format=tar', sha, ...rootFiles, ...order.map((w) => w.folder)), maxBuffer: 1 << 30 });
  if (tar.status !== 0) throw new Error(`tar: ${tar.stderr}`);
  // node_modules: the root install, except our own workspace packages (-> the snapshot's)
  const nm = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(nm, '@data-mesh'), { recursive: true });
  for (const e of fs.readdirSync(path.join(REPO, 'node_modules'))) {
    if (e !== '@data-mesh') fs.symlinkSync(path.join(REPO, 'node_modules', e), path.join(nm, e));
  }
  for (const [name, w] of workspaces) {
    const link = path.join(nm, name);
    const inSnapshot = order.includes(w);
    fs.symlinkSync(inSnapshot ? path.join(dir, w.folder) : path.join(REPO, w.folder), link);
    const own = path.join(REPO, w.folder, 'node_modules'); // non-hoisted dependencies
    if (inSnapshot && fs.existsSync(own)) fs.symlinkSync(own, path.join(dir, w.folder, 'node_modules'));
  }
  for (const w of order) {
    if (!(w.meta.scripts && w.meta.scripts.build)) continue;
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: path.join(dir, w.folder), encoding: 'utf8' });
    if (r.status !== 0) {
      // tsc still emits on type errors; a folder the validator does not run (infra, cdk) may
      // be mid-change at that commit. Go on when its output exists, and say so.
      const emitted = fs.existsSync(path.join(dir, w.folder, w.meta.main || 'dist/index.js'));
      const msg = `npm run build in ${w.folder} at ${sha} failed${emitted ? ' (output emitted anyway, continuing)' : ''}:\n${(r.stdout + r.stderr).trim().split('\n').slice(0, 8).join('\n')}`;
      if (!emitted) throw new Error(msg);
      console.log(`validate-bench: ${msg}`);
    }
  }
  fs.writeFileSync(done, `${sha} ${trees}\n`);
  return { cli, commit: sha };
}

function bench(opts) {
  if (opts.ref) {
    const snap = buildSnapshot(opts.ref, opts.out);
    MESH_CLI = snap.cli;
    opts.validatorCommit = snap.commit;
  }
  if (opts.build) {
    const b = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@data-mesh/cli...'], { cwd: REPO, encoding: 'utf8' });
    if (b.status !== 0) console.log(`validate-bench: the build failed (exit ${b.status}); measuring the last built packages/cli/dist\n${(b.stdout + b.stderr).split('\n').slice(-15).join('\n')}`);
  }
  if (!fs.existsSync(MESH_CLI)) {
    console.error(`validate-bench: ${path.relative(REPO, MESH_CLI)} is missing; build it: npx turbo run build --filter=@data-mesh/cli...`);
    process.exit(2);
  }
  const rows = [];
  let failed = false;
  for (const generator of opts.generators) for (const n of opts.sizes) {
    const mesh = ensureMesh(n, opts, generator);
    if (opts.check && generator === 'mesh-gen') {
      const { check } = require('../mesh-gen/check.js');
      const c = check(mesh.dir);
      if (c.problems.length) { failed = true; console.log(`self-check of ${mesh.dir}: ${c.problems.length} problems, first: ${c.problems.slice(0, 5).join('; ')}`); }
    }
    const args = ['validate', '--root', mesh.dir, '--format', 'json'];
    const v = [];
    const f = [];
    let summary = null;
    for (let r = 0; r < opts.runs; r++) {
      const run = runChild(MESH_CLI, args);
      let out = null;
      try { out = JSON.parse(run.stdout); } catch { /* reported below */ }
      if (!out || !out.summary) {
        failed = true;
        console.log(`N=${n}: mesh validate exited ${run.status} without a JSON report. stderr:\n${(run.stderr || '').slice(0, 2000)}\nstdout:\n${(run.stdout || '').slice(0, 1000)}`);
        break;
      }
      summary = out.summary;
      if (summary.errors > 0 || summary.products !== n) {
        failed = true;
        const bad = out.diagnostics.filter((d) => d.severity === 'error').slice(0, 8);
        console.log(`N=${n}: mesh validate reports ${summary.errors} errors, ${summary.warnings} warnings on ${summary.products} products (expected ${n}, 0 errors); first diagnostics:`);
        for (const d of bad) console.log(`  ${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}${d.hint ? ` (hint: ${d.hint})` : ''}`);
      }
      v.push(run);
      const fl = runChild(FLOOR, ['--root', mesh.dir]);
      if (fl.status !== 0) { failed = true; console.log(`N=${n}: floor failed: ${fl.stderr.slice(0, 1000)}`); break; }
      f.push(fl);
    }
    if (!v.length || !f.length) continue;
    const best = (xs) => xs.reduce((a, b) => (b.wallS < a.wallS ? b : a));
    const bv = best(v);
    const bf = best(f);
    rows.push({
      generator, products: n, domains: mesh.stats.domains, schemas: mesh.stats.schemas, mib: mesh.stats.bytes / 1048576,
      validateS: bv.wallS, validateUs: (bv.wallS * 1e6) / n, validateRssMB: bv.rssKB / 1024,
      floorS: bf.wallS, floorUs: (bf.wallS * 1e6) / n, floorRssMB: bf.rssKB / 1024,
      validateCpuS: Math.min(...v.map((x) => x.cpuS)), floorCpuS: Math.min(...f.map((x) => x.cpuS)),
      ratio: bv.wallS / bf.wallS, errors: summary.errors, warnings: summary.warnings,
      allValidateS: v.map((x) => x.wallS), allFloorS: f.map((x) => x.wallS),
    });
  }
  return { rows, failed };
}

function pad(s, n, left) { s = String(s); return left ? s.padEnd(n) : s.padStart(n); }
function printTable(rows, opts) {
  console.log(`mesh validate benchmark (wall = best of runs, process start included; CPU s = user+sys, best of runs) — node ${process.version}, ${os.cpus().length} cores, load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, best of ${opts.runs}, seed ${opts.seed}`);
  const head = ['generator', 'products', 'domains', 'schemas', 'MiB', 'validate s', 'µs/product', 'peak RSS MB', 'floor s', 'floor µs/prod', 'floor RSS MB', 'validate/floor', 'CPU s v/floor', 'errors', 'warnings'];
  const w = head.map((h) => Math.max(h.length, 9));
  console.log(head.map((h, i) => pad(h, w[i])).join('  '));
  for (const r of rows) {
    const cells = [r.generator, r.products, r.domains, r.schemas, r.mib.toFixed(1), r.validateS.toFixed(3), r.validateUs.toFixed(0),
      r.validateRssMB ? r.validateRssMB.toFixed(0) : '?', r.floorS.toFixed(3), r.floorUs.toFixed(0),
      r.floorRssMB ? r.floorRssMB.toFixed(0) : '?', `${r.ratio.toFixed(2)}x`,
      r.validateCpuS ? `${r.validateCpuS.toFixed(2)}/${r.floorCpuS.toFixed(2)}` : '?', r.errors, r.warnings];
    console.log(cells.map((c, i) => pad(c, w[i])).join('  '));
  }
  // linearity: marginal cost between consecutive sizes removes process start
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    if (a.generator !== b.generator) continue;
    const mv = ((b.validateS - a.validateS) * 1e6) / (b.products - a.products);
    const mf = ((b.floorS - a.floorS) * 1e6) / (b.products - a.products);
    const cpu = a.validateCpuS && b.validateCpuS
      ? `; CPU: validate ${(((b.validateCpuS - a.validateCpuS) * 1e6) / (b.products - a.products)).toFixed(0)} µs/product, floor ${(((b.floorCpuS - a.floorCpuS) * 1e6) / (b.products - a.products)).toFixed(0)} µs/product`
      : '';
    console.log(`${b.generator} marginal cost ${a.products} -> ${b.products}: wall: validate ${mv.toFixed(0)} µs/product, floor ${mf.toFixed(0)} µs/product${cpu}`);
  }
  for (const r of rows.filter((x) => x.products === TARGET_N)) console.log(`${r.generator}: ${TARGET_N} products at ${r.ratio.toFixed(2)}x the floor (target: within 2x)`);
  const t = rows.find((r) => r.products === TARGET_N && r.generator === 'mesh-gen');
  if (t) console.log(`target: ${TARGET_N} products in < ${TARGET_S} s wall (process start included): ${t.validateS.toFixed(3)} s -> ${t.validateS < TARGET_S ? 'MET' : 'NOT MET'}`);
}

if (require.main === module) {
  const opts = parseArgs(process.argv.slice(2));
  let result;
  try {
    result = bench(opts);
  } catch (err) {
    console.error(`validate-bench: ${err.message}`);
    process.exit(2);
  }
  const { rows, failed } = result;
  const head = opts.validatorCommit ? `${opts.validatorCommit} (--ref ${opts.ref})`
    : `working tree build (last commit touching it: ${spawnSync('git', ['log', '-1', '--format=%h %cI', '--', 'packages/spec', 'packages/schema-compat', 'packages/cli'], { cwd: REPO, encoding: 'utf8' }).stdout.trim()})`;
  const record = { at: new Date().toISOString(), validatorCommit: head, node: process.version, cores: os.cpus().length, loadavg: os.loadavg(), runs: opts.runs, rows };
  try { fs.mkdirSync(opts.out, { recursive: true }); fs.appendFileSync(path.join(opts.out, 'validate-history.jsonl'), JSON.stringify(record) + '\n'); } catch { /* history is best effort */ }
  if (opts.json) console.log(JSON.stringify(record));
  else { printTable(rows, opts); console.log(`validator: ${head}`); }
  process.exit(failed ? 1 : 0);
}
module.exports = { bench, domainsFor };
