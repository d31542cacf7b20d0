import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launch, search, serve, watch, withBrowser } from './browser';
import { loadMesh } from '@data-mesh/spec';
import { REPO_ROOT, writeSite } from './helpers';

/** Where the product page's screenshot goes for review (gitignored). */
export const SCREENSHOT = path.join(__dirname, '..', 'test-output', 'product.png');

withBrowser('the catalog of the example mesh in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let root: string;

  beforeAll(async () => {
    dir = writeSite(REPO_ROOT, { withHistory: true }).dir;
    root = pathToFileURL(dir).href;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; complaints: ReturnType<typeof watch> }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const complaints = watch(page);
    await page.goto(url);
    return { page, complaints };
  }

  it('searching a field name finds its product, and the hit names the field and its port', async () => {
    const { page, complaints } = await open(`${root}/index.html`);
    const results = await search(page, 'delivery_failure_rate');
    expect(results[0]?.product).toBe('logistics/fulfillment-kpis');
    expect(results[0]?.text).toContain('field delivery_failure_rate in port fulfillment_kpis_daily of logistics/fulfillment-kpis');
    const owners = await search(page, 'payments-engineering');
    expect(owners.map((r) => r.product)).toEqual(expect.arrayContaining(['payments/transaction-events-v1', 'payments/refund-events-v1', 'payments/revenue-daily-summary']));
    expect((await search(page, 'zzqqxx')).length).toBe(0);
    expect(await page.locator('#results-summary').textContent()).toBe('No product matches "zzqqxx".');
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    await page.close();
  });

  it('a search from a product page (the form in the header) lands on the index with the results', async () => {
    const { page, complaints } = await open(`${root}/products/payments/refund-events-v1.html`);
    await page.fill('#q', 'refund_id');
    await page.press('#q', 'Enter');
    await page.waitForSelector('#search-results:not([hidden])');
    expect(page.url()).toMatch(/index\.html\?q=refund_id$/);
    expect(await page.locator('#results > li h3 a').first().textContent()).toBe('payments/refund-events-v1');
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    await page.close();
  });

  it('the product page shows the schema, the SLA, the owners, the lineage and the consumer snippet; screenshot written', async () => {
    const { page, complaints } = await open(`${root}/products/logistics/shipment-events-v2.html`);
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/owner team\s+logistics-data/);
    expect(text).toMatch(/on-call\s+logistics-data-oncall/);
    expect(text).toMatch(/freshness SLA\s+< 2 minutes/);
    expect(text).toMatch(/uptime SLA\s+99\.99%/);
    expect(text).toMatch(/compatibility\s+BACKWARD_TRANSITIVE/);
    const schemaRows = await page.locator('table.schema tbody tr').count();
    expect(schemaRows).toBeGreaterThan(10);
    expect(await page.locator('table.schema').innerText()).toMatch(/carrier\s+text\s+required/);
    const drawn = await page.$$eval('figure.lineage svg a', (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
    expect(drawn).toContainEqual({ text: 'logistics/fulfillment-kpislogistics/fulfillment-kpis', href: '../../products/logistics/fulfillment-kpis.html' });
    expect(await page.locator('figure.lineage .edge title').allTextContents()).toContain('logistics/shipment-events-v2 → logistics/fulfillment-kpis: shipment_events_stream: shipment_id, shipment_status, carrier, origin_warehouse_id, expected_delivery, delivered_at, damage_reported, occurred_at');
    expect(await page.locator('#consumers table').innerText()).toMatch(/logistics\/fulfillment-kpis\s+logistics-data\s+logistics-data-oncall\s+shipment_events_stream/);
    const snippet = await page.locator('pre.snippet').first().innerText();
    expect(snippet).toContain('TOPIC = "logistics-domain.shipment-events-v2"');
    expect(snippet).toContain('fastavro.schemaless_reader');
    expect(await page.locator('#history table tbody tr').count()).toBeGreaterThan(0);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    await page.close();
  });

  it('every link resolves (a crawl from the index): pages, anchors and downloads; no page complains; axe finds nothing serious', async () => {
    const seen = new Set<string>();
    const queue = [`${root}/index.html`];
    const problems: string[] = [];
    let anchors = 0;
    while (queue.length > 0) {
      const url = queue.shift() as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const { page, complaints } = await open(url);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => new URL(a.getAttribute('href') as string, document.baseURI).href));
      for (const link of links) {
        const target = new URL(link);
        if (target.protocol !== 'file:') {
          problems.push(`${url}: a link leaves the site: ${link}`);
          continue;
        }
        const hash = target.hash.slice(1);
        target.hash = '';
        const file = decodeURIComponent(target.pathname);
        if (!fs.existsSync(file)) problems.push(`${url}: ${link} does not exist`);
        else if (file.endsWith('.html')) {
          if (hash) {
            anchors++;
            if (!fs.readFileSync(file, 'utf8').includes(`id="${hash}"`)) problems.push(`${url}: ${link}: no element with id ${hash}`);
          }
          queue.push(target.href);
        }
      }
      for (const v of await axeViolations(page)) problems.push(`${url}: axe ${v.impact} ${v.id} (${v.help}) on ${v.nodes} node(s)`);
      if (complaints.console.length || complaints.errors.length) problems.push(`${url}: ${[...complaints.console, ...complaints.errors].join('; ')}`);
      await page.close();
    }
    expect(problems).toEqual([]);
    // the index, every domain, every product
    const mesh = loadMesh(REPO_ROOT);
    expect(seen.size).toBe(1 + mesh.domains.size + mesh.validProducts().length);
    expect(anchors).toBeGreaterThan(0);
  }, 180_000);

  it('works served from a sub-path: stylesheet, scripts and search load, links stay under the sub-path', async () => {
    const server = await serve(dir, '/team/data/catalog/');
    try {
      const { page, complaints } = await open(`${server.url}index.html`);
      const results = await search(page, 'carrier');
      expect(results.map((r) => r.product)).toEqual(expect.arrayContaining(['logistics/fulfillment-kpis', 'logistics/shipment-events-v2']));
      await page.click(`#results a[href="${results[0]!.href}"]`);
      await page.waitForSelector('h1');
      expect(page.url().startsWith(`${server.url}products/logistics/`)).toBe(true);
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('header.top') as Element).backgroundColor)).toBe('rgb(18, 38, 63)');
      await page.click('nav.crumbs a >> text=logistics');
      expect(page.url()).toBe(`${server.url}domains/logistics.html`);
      expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
      await page.close();
    } finally {
      await server.close();
    }
  });
});
