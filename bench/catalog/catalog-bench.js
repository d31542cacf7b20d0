'use strict';
/**
 * `mesh catalog build` on synthetic meshes (bench/mesh-gen: N products over N/100 domains,
 * schemas of 20-200 fields, lineage across domains), committed to a git repository of their
 * own so the build reads the version history as it does on a real mesh (one commit: each
 * product's first version). Each build is a child process, as a user runs it (process start and
 * module load included); the figure is the median wall time of `--runs`, with the cost per
 * product, and the same build with --no-history beside it. Then what a reader's browser gets:
 * the search index's size raw, gzip -9 and brotli (what GitHub Pages and CloudFront send), and in
 * headless Chromium (scripts/setup-chromium.sh) the first contentful paint of `--pages` product
 * pages opened from disk, and how long the index page takes until a search answers.
 * Needs the built CLI (npm run build).
 *
 *   node bench/catalog/catalog-bench.js [--sizes 1000,10000] [--runs 1] [--pages 20] [--out DIR] [--no-browser] [--json]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { pathToFileURL } = require('node:url');
const { arg, git } = require('../lib/cli');
const { generateMesh } = require('../mesh-gen/generate');

const REPO = path.resolve(__dirname, '..', '..');
const MESH = path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js');
const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const runs = Number(arg('runs', '1'));
const pages = Number(arg('pages', '20'));
const out = path.resolve(arg('out', path.join(REPO, 'bench', 'out', 'catalog')));
const withBrowser = !process.argv.includes('--no-browser');
const asJson = process.argv.includes('--json');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p) => p && fs.existsSync(p));

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes) => `${fmt(bytes / 1048576, 2)} MiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

function build(root, site, ...extra) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [MESH, 'catalog', 'build', '--root', root, '--out', site, ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`mesh catalog build exited ${r.status ?? r.signal}:\n${r.stderr.slice(-3000)}`);
  return ms;
}

function sizeOf(dir, total = { bytes: 0, files: 0 }) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sizeOf(file, total);
    else if (entry.isFile()) {
      total.files++;
      total.bytes += fs.statSync(file).size;
    }
  }
  return total;
}

async function inBrowser(site, productIds) {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const paints = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const id of productIds) {
      await page.goto(`${pathToFileURL(site).href}/products/${id}.html`, { waitUntil: 'load' });
      const fcp = await page.evaluate(() => new Promise((resolve) => {
        const found = performance.getEntriesByName('first-contentful-paint')[0];
        if (found) return resolve(found.startTime);
        new PerformanceObserver((list) => resolve(list.getEntriesByName('first-contentful-paint')[0].startTime)).observe({ type: 'paint', buffered: true });
      }));
      paints.push(fcp);
    }
    const started = Date.now();
    await page.goto(`${pathToFileURL(site).href}/index.html`, { waitUntil: 'load' });
    await page.fill('#q', 'customer_id');
    await page.waitForSelector('#results > li');
    const searchReadyMs = Date.now() - started;
    const queryMs = await page.evaluate(() => {
      const input = document.getElementById('q');
      const t = performance.now();
      input.value = 'order status';
      input.form.dispatchEvent(new Event('submit', { cancelable: true }));
      return performance.now() - t;
    });
    await page.close();
    return { fcpMedianMs: median(paints), fcpP95Ms: p95(paints), pages: paints.length, searchReadyMs, queryMs };
  } finally {
    await browser.close();
  }
}

async function main() {
  const results = [];
  for (const n of sizes) {
    const domains = Math.max(2, Math.round(n / 100));
    const root = path.join(out, `mesh-${n}`);
    const site = path.join(out, `site-${n}`);
    fs.rmSync(root, { recursive: true, force: true });
    const mesh = generateMesh({ domains, products: n, seed: 1, out: root });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', `mesh-gen: ${domains} domains, ${n} products`);
    const withHistory = [];
    const noHistory = [];
    for (let i = 0; i < runs; i++) {
      noHistory.push(build(root, site, '--no-history'));
      withHistory.push(build(root, site));
    }
    const { bytes, files } = sizeOf(site);
    const index = fs.readFileSync(path.join(site, 'assets', 'search-index.js'));
    const gzip = zlib.gzipSync(index, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(index, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: index.length } }).length;
    const ids = fs.readdirSync(path.join(site, 'products'), { recursive: true }).filter((f) => String(f).endsWith('.html')).map((f) => String(f).replace(/\.html$/, '').split(path.sep).join('/')).sort();
    const step = Math.max(1, Math.floor(ids.length / Math.max(1, pages)));
    const picked = ids.filter((_, i) => i % step === 0).slice(0, pages);
    const browser = withBrowser && CHROMIUM ? await inBrowser(site, picked) : undefined;
    results.push({ products: n, domains, fields: mesh.stats?.fields, buildMs: median(withHistory), buildNoHistoryMs: median(noHistory), siteBytes: bytes, files, index: { raw: index.length, gzip, brotli }, browser });
  }
  if (asJson) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    console.log(`catalog: ${fmt(r.products)} products in ${fmt(r.domains)} domains`);
    console.log(`  mesh catalog build (history from git)   ${fmt(r.buildMs)} ms  (${fmt(r.buildMs / r.products, 2)} ms per product; target < 15,000 ms at 10,000)`);
    console.log(`  mesh catalog build --no-history          ${fmt(r.buildNoHistoryMs)} ms  (${fmt(r.buildNoHistoryMs / r.products, 2)} ms per product)`);
    console.log(`  site                                     ${fmt(r.files)} files, ${mib(r.siteBytes)}`);
    console.log(`  search index                             ${mib(r.index.raw)} raw, ${mib(r.index.gzip)} gzip -9, ${mib(r.index.brotli)} brotli (target < 3 MB compressed)`);
    if (r.browser) {
      console.log(`  product page first contentful paint      median ${fmt(r.browser.fcpMedianMs)} ms, p95 ${fmt(r.browser.fcpP95Ms)} ms over ${r.browser.pages} pages (target < 300 ms)`);
      console.log(`  index page until a search answers        ${fmt(r.browser.searchReadyMs)} ms (loads and parses the search index); a query ${fmt(r.browser.queryMs, 1)} ms`);
    } else console.log(`  browser                                  not measured (${withBrowser ? 'no chromium: run scripts/setup-chromium.sh' : '--no-browser'})`);
  }
}

main().catch((error) => {
  console.error(`catalog-bench: ${error.message}`);
  process.exit(1);
});
