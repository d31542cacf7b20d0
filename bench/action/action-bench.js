#!/usr/bin/env node
'use strict';
/**
 * Cold start and end-to-end time of the BUNDLED mesh-check Action (actions/mesh-check/dist),
 * run as a runner runs it: a child process with INPUT_* variables, a pull_request event file,
 * GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files and GITHUB_API_URL at a REST stand-in on 127.0.0.1.
 *
 *   node bench/action/action-bench.js [--products 5000] [--domains 50] [--runs 3] [--dist FILE] [--json]
 *
 * Scenarios, each a temp git repository whose HEAD is a pull request's merge commit:
 *   example   this repository's domains/ (committed HEAD), one spec changed (a description)
 *   synthetic bench/mesh-gen with --products products, one spec changed (a description)
 * Figures:
 *   node        `node -e 0`: the floor of any node Action
 *   cold start  the bundle loaded and its inputs read (an invalid input makes it stop there)
 *   engine      runCheck inside the run, from the Action's start (its `::debug::` line)
 *   total       the whole run: base resolution, engine, git diff, annotations, summary, comment
 * Target (issue 6): total < 3 s for the one-change PR on 5,000 products (opa test excluded: the
 * change touches no policy). Not a timed test: it prints figures, and exits 1 only when a run
 * gives a wrong answer (a failure, or no comment written).
 */
const { execFileSync, spawn } = require('node:child_process');
const { URL } = require('node:url');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { generateMesh } = require('../mesh-gen/generate.js');

const REPO = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const PRODUCTS = Number(opt('--products', 5000));
const DOMAINS = Number(opt('--domains', 50));
const RUNS = Number(opt('--runs', 3));
const DIST = path.resolve(opt('--dist', path.join(REPO, 'actions', 'mesh-check', 'dist', 'index.js')));
const OPA = path.join(REPO, '.tools', 'bin', 'opa');

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd, ...a) => execFileSync('git', a, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();

/** Commits `dir` on main, changes one spec's description on a branch, and leaves HEAD at the merge commit. */
function pullRequest(dir, specFile) {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  const file = path.join(dir, specFile);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s*description:/.test(l));
  if (i < 0) throw new Error(`no description in ${specFile}`);
  // A block scalar (`>`/`|`): reword its first line; a plain or quoted one: reword the value.
  if (/:\s*[>|][-+]?\s*$/.test(lines[i])) lines[i + 1] += ' Reworded.';
  else lines[i] = lines[i].replace(/(["']?)\s*$/, (m, q) => ` Reworded.${q}`);
  const changed = lines.join('\n');
  if (changed === text) throw new Error(`no description line in ${specFile}`);
  fs.writeFileSync(file, changed);
  git(dir, 'commit', '-q', '-am', 'reword one description');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '--detach', 'main');
  git(dir, 'merge', '-q', '--no-ff', '-m', 'merge', head);
  return { head, base: git(dir, 'rev-parse', 'HEAD^1') };
}

function exampleRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-action-example-'));
  const tar = execFileSync('git', ['-C', REPO, 'archive', '--format=tar', 'HEAD', '--', 'domains', 'platform.yaml', '.github/CODEOWNERS', 'governance', 'tools/versions.env'], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  return { dir, ...pullRequest(dir, 'domains/customer/customer-360/data-product.yaml') };
}

function syntheticRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-action-${PRODUCTS}-`));
  const t0 = Date.now();
  generateMesh({ domains: DOMAINS, products: PRODUCTS, seed: 1, out: dir });
  // The platform's governance (central policies, standards) and settings, from the last commit.
  const tar = execFileSync('git', ['-C', REPO, 'archive', '--format=tar', 'HEAD', '--', 'platform.yaml', 'governance', 'tools/versions.env'], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  const domain = fs.readdirSync(path.join(dir, 'domains'), { withFileTypes: true }).find((e) => e.isDirectory()).name;
  const product = fs.readdirSync(path.join(dir, 'domains', domain)).find((p) => fs.existsSync(path.join(dir, 'domains', domain, p, 'data-product.yaml')));
  const pr = pullRequest(dir, `domains/${domain}/${product}/data-product.yaml`);
  process.stderr.write(`synthetic mesh: ${PRODUCTS} products in ${DOMAINS} domains, generated and committed in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return { dir, ...pr };
}

/** The REST endpoints the Action calls; anything else is counted as unexpected. */
function api() {
  const state = { comments: [], unexpected: [], next: 1 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const send = (s, d) => {
        res.writeHead(s, { 'content-type': 'application/json' });
        res.end(JSON.stringify(d));
      };
      if (req.method === 'GET' && /\/issues\/\d+\/comments$/.test(url.pathname)) return send(200, state.comments);
      if (req.method === 'GET' && /\/issues\/\d+\/labels$/.test(url.pathname)) return send(200, []);
      if (req.method === 'POST' && /\/issues\/\d+\/comments$/.test(url.pathname)) {
        const c = { id: state.next++, body: JSON.parse(body).body };
        state.comments.push(c);
        return send(201, c);
      }
      if (req.method === 'PATCH' && /\/issues\/comments\/\d+$/.test(url.pathname)) {
        const c = state.comments.find((x) => x.id === Number(url.pathname.split('/').pop()));
        c.body = JSON.parse(body).body;
        return send(200, c);
      }
      state.unexpected.push(`${req.method} ${url.pathname}`);
      send(404, {});
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, url: `http://127.0.0.1:${server.address().port}` })));
}

function runOnce(repo, apiUrl, extraInputs = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-action-run-'));
  const event = path.join(tmp, 'event.json');
  fs.writeFileSync(event, JSON.stringify({
    action: 'synchronize',
    number: 7,
    pull_request: { number: 7, labels: [], base: { sha: repo.base, repo: { full_name: 'acme/mesh' } }, head: { sha: repo.head, repo: { full_name: 'acme/mesh' } } },
    repository: { full_name: 'acme/mesh', name: 'mesh', owner: { login: 'acme' } },
  }));
  for (const f of ['output', 'summary']) fs.writeFileSync(path.join(tmp, f), '');
  const env = {
    PATH: process.env.PATH, HOME: os.tmpdir(), CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repo.dir,
    GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_OUTPUT: path.join(tmp, 'output'),
    GITHUB_STEP_SUMMARY: path.join(tmp, 'summary'), GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'acme/mesh', GITHUB_RUN_ID: '1',
    RUNNER_TEMP: tmp, 'INPUT_GITHUB-TOKEN': 'bench-token', INPUT_COMMENT: 'true', 'INPUT_FAIL-ON': 'error',
    'INPUT_ALLOW-BREAKING-LABEL': 'mesh:allow-breaking', 'INPUT_OPA-PATH': fs.existsSync(OPA) ? OPA : '', INPUT_ROOT: '.',
  };
  for (const [k, v] of Object.entries(extraInputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DIST], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const summaryBytes = fs.statSync(path.join(tmp, 'summary')).size;
      fs.rmSync(tmp, { recursive: true, force: true });
      const engine = /engine done after (\d+) ms/.exec(out);
      resolve({ ms, status, out, summaryBytes, engineMs: engine ? Number(engine[1]) : NaN });
    });
  });
}

function timeNode() {
  const t0 = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(name, repo, figures) {
  const { server, state, url } = await api();
  const cold = [];
  const total = [];
  const engine = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const c = await runOnce(repo, url, { 'FAIL-ON': 'bogus' });
    if (!/fail-on must be/.test(c.out)) throw new Error(`${name}: the cold-start run did not stop at the inputs:\n${c.out}`);
    cold.push(c.ms);
    last = await runOnce(repo, url);
    total.push(last.ms);
    engine.push(last.engineMs);
  }
  server.close();
  const wrong = last.status !== 0 || state.comments.length !== 1 || state.unexpected.length > 0;
  const row = { scenario: name, runs: RUNS, coldStartMs: Math.round(median(cold)), engineMs: Math.round(median(engine)), totalMs: Math.round(median(total)), bestTotalMs: Math.round(Math.min(...total)), exit: last.status, summaryBytes: last.summaryBytes, comments: state.comments.length };
  figures.push(row);
  if (wrong) {
    process.stderr.write(`${name}: WRONG ANSWER (exit ${last.status}, ${state.comments.length} comments, unexpected ${state.unexpected.join(', ') || 'none'}):\n${last.out.slice(-3000)}\n`);
    process.exitCode = 1;
  }
  fs.rmSync(repo.dir, { recursive: true, force: true });
}

async function main() {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: npm run build -w actions/mesh-check`);
  const figures = [];
  const node = median(Array.from({ length: 5 }, timeNode));
  await scenario('example (9 products, 1 changed spec)', exampleRepo(), figures);
  await scenario(`synthetic (${PRODUCTS} products, 1 changed spec)`, syntheticRepo(), figures);
  const bundleKiB = Math.round(fs.statSync(DIST).size / 1024);
  if (args.includes('--json')) {
    process.stdout.write(JSON.stringify({ node: Math.round(node), bundleKiB, figures }, null, 2) + '\n');
    return;
  }
  console.log(`mesh-check Action bundle: ${path.relative(process.cwd(), DIST)} (${bundleKiB} KiB); node -e 0: ${Math.round(node)} ms; ${os.cpus().length} cores; median of ${RUNS}`);
  console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('| scenario | cold start | engine (in process) | total | best total | vs 3 s target | exit | summary |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of figures) {
    console.log(`| ${f.scenario} | ${f.coldStartMs} ms | ${f.engineMs} ms | ${f.totalMs} ms | ${f.bestTotalMs} ms | ${(f.totalMs / 3000).toFixed(2)}x | ${f.exit} | ${f.summaryBytes} B |`);
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
