import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Chromium for the catalog's browser tests: Debian's package, pinned and installed by
 * scripts/setup-chromium.sh (CHROMIUM_PATH names another binary). Missing under CI=true is a
 * failure that names the script; locally the tests are skipped with a loud message.
 */
function chromiumPath(): string | undefined {
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium']) if (candidate && fs.existsSync(candidate)) return candidate;
  return undefined;
}

export const CHROMIUM = chromiumPath();
if (!CHROMIUM) {
  const message = 'Chromium is not installed: run scripts/setup-chromium.sh (the catalog site is NOT tested in a browser)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}
export const withBrowser = CHROMIUM ? describe : describe.skip;

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM as string, args: ['--no-sandbox'] });
}

/** Where a page complained: console errors (CSP violations, failed loads), uncaught errors, dialogs (alert, confirm). */
export interface Complaints {
  readonly console: string[];
  readonly errors: string[];
  readonly dialogs: string[];
}

export function watch(page: Page): Complaints {
  const complaints: Complaints = { console: [], errors: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') complaints.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) complaints.console.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('pageerror', (e) => complaints.errors.push(e.message));
  page.on('dialog', (d) => {
    complaints.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return complaints;
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

/**
 * axe-core's serious and critical violations on the page. axe is evaluated through the
 * browser's debugging protocol, which the pages' CSP does not govern (it allows no inline script).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], preload: false });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
}

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.py': 'text/x-python; charset=utf-8', '.png': 'image/png' };

/** Serves a folder under a sub-path (`/team/catalog/`) on 127.0.0.1, as GitHub Pages or S3 would; `close` stops it. */
export async function serve(dir: string, prefix: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) {
      res.writeHead(404).end('not under the sub-path');
      return;
    }
    let file = path.join(dir, rel.slice(prefix.length));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Searches from the page's search box (the index page) and returns the result entries' text and links. */
export async function search(page: Page, query: string): Promise<{ product: string; href: string; text: string }[]> {
  await page.fill('#q', query);
  await page.press('#q', 'Enter');
  await page.waitForSelector('#search-results:not([hidden])');
  return page.$$eval('#results > li', (items) =>
    items.map((li) => {
      const a = li.querySelector('h3 a') as HTMLAnchorElement;
      return { product: a.textContent ?? '', href: a.getAttribute('href') ?? '', text: (li as HTMLElement).innerText };
    }),
  );
}
