import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { launch, search, watch, withBrowser } from './browser';
import { loadMesh } from '@data-mesh/spec';
import { copyMesh, REPO_ROOT, writeSite } from './helpers';

/**
 * Hostile and huge input: HTML, script, `javascript:` links, Markdown and Mermaid directives in
 * a description, a field doc and a rule's description render as the text they are, and no
 * script from them runs (the pages' CSP and the escaping both stand in the way: the DOM is
 * checked too, so escaping alone is proven, not just the CSP). A product of 2,000 fields and one
 * with 500 consumers stay usable.
 */
const PAYLOADS = [
  `<script>window.__pwned = 'script'</script>`,
  `<img src=x onerror="window.__pwned = 'img'">`,
  `[the docs](javascript:window.__pwned='markdown')`,
  `<a href="javascript:window.__pwned='link'">click</a>`,
  '```mermaid\ngraph TD; A["<img src=x onerror=alert(1)>"] --> B\n```',
  `%%{init: {"securityLevel": "loose"}}%%`,
  `<svg onload="alert('svg')"></svg>`,
];
const DOC_PAYLOAD = `"""; import os; os.system('echo pwned') #</script><script>alert('doc')</script><img src=x onerror=alert('doc')>`;

function plant(dir: string): void {
  const spec = path.join(dir, 'domains/logistics/fulfillment-kpis/data-product.yaml');
  let yaml = fs.readFileSync(spec, 'utf8');
  const description = PAYLOADS.join('\n');
  yaml = yaml.replace(/ {2}description: >\n( {4}.*\n)+/, `  description: ${JSON.stringify(description)}\n`);
  yaml = yaml.replace(`    - rule: "avg(on_time_rate) >= 0.9"\n      severity: warning`, `    - rule: "avg(on_time_rate) >= 0.9"\n      severity: warning\n      description: ${JSON.stringify(`<iframe src="javascript:alert('rule')"></iframe>`)}`);
  fs.writeFileSync(spec, yaml);
  const schemaFile = path.join(dir, 'domains/logistics/schemas/fulfillment_kpis_v1.avsc');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as { fields: { name: string; doc?: string }[] };
  schema.fields.find((f) => f.name === 'carrier')!.doc = DOC_PAYLOAD;
  fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
}

/** A product whose one port has `n` fields, and `consumers` products that read shipment-events-v2. */
function addHugeProducts(dir: string, n: number, consumers: number): void {
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  const fields = Array.from({ length: n }, (_, i) => ({ name: `measure_${String(i).padStart(4, '0')}`, type: i % 3 === 0 ? 'string' : ['null', 'double'], ...(i % 3 === 0 ? {} : { default: null }), doc: `Measure number ${i}.` }));
  write('domains/logistics/schemas/wide_metrics_v1.avsc', JSON.stringify({ type: 'record', name: 'WideMetric', namespace: 'com.example', fields }));
  const product = (name: string, port: string, schema: string, inputs: string) => `apiVersion: data-mesh/v1
kind: DataProduct
metadata:
  name: ${name}
  version: "1.0.0"
  owner: logistics-data
  domain: logistics
  tags: [tier-3]
spec:
  description: A generated product for the catalog's size test.
  outputPorts:
    - name: ${port}
      type: stream
      format: avro
      schema: "schema-registry://logistics/${schema}"
      topic: "logistics-domain.${name}-v1"
      sla:
        freshness: "< 1 hour"
        uptime: "99%"
  inputPorts: ${inputs}
  governance:
    data_classification: internal
    retention_days: 30
`;
  write('domains/logistics/wide-metrics/data-product.yaml', product('wide-metrics', 'wide_metrics_stream', 'wide_metrics_v1', '[]'));
  write('domains/logistics/schemas/fanout_v1.avsc', JSON.stringify({ type: 'record', name: 'Fanout', fields: [{ name: 'carrier', type: 'string' }] }));
  for (let i = 0; i < consumers; i++) {
    const name = `carrier-reader-${String(i).padStart(3, '0')}`;
    write(`domains/logistics/${name}/data-product.yaml`, product(name, 'fanout_stream', 'fanout_v1', `\n    - sourceProduct: logistics/shipment-events-v2\n      port: shipment_events_stream\n      fields: [carrier, shipment_id]`));
  }
}

withBrowser('hostile and huge input', () => {
  let browser: Browser;
  let dir: string;
  let mesh: string;
  let buildMs: number;

  beforeAll(async () => {
    mesh = copyMesh();
    plant(mesh);
    addHugeProducts(mesh, 2000, 500);
    const started = Date.now();
    dir = writeSite(mesh).dir;
    buildMs = Date.now() - started;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(mesh, { recursive: true, force: true });
  });

  it('markup, scripts, javascript: links, Markdown and Mermaid in a description, a field doc and a rule render as text; nothing runs', async () => {
    const page = await browser.newPage();
    const complaints = watch(page);
    await page.goto(`${pathToFileURL(dir).href}/products/logistics/fulfillment-kpis.html`);
    const text = await page.locator('main').innerText();
    for (const payload of PAYLOADS) expect(text).toContain(payload);
    expect(text).toContain(DOC_PAYLOAD);
    expect(text).toContain(`<iframe src="javascript:alert('rule')"></iframe>`);
    const dom = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      scripts: document.scripts.length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      javascriptLinks: [...document.querySelectorAll('[href], [src]')].filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? '')).length,
      planted: document.querySelectorAll('main img, main iframe, main svg:not(figure.lineage svg), main script').length,
    }));
    expect(dom).toEqual({ pwned: undefined, scripts: 0, handlers: 0, javascriptLinks: 0, planted: 0 });
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    // Found by search, the result shows the same text, and nothing runs there either.
    await page.goto(`${pathToFileURL(dir).href}/index.html`);
    const results = await search(page, 'securityLevel');
    expect(results[0]?.product).toBe('logistics/fulfillment-kpis');
    expect(results[0]?.text).toContain(`<script>window.__pwned = 'script'</script>`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.locator('#results img, #results script').count()).toBe(0);
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    await page.close();
  });

  it('a doc string with triple quotes stays data in the Python snippet (the snippet parses, and holds the doc as a string)', async () => {
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(dir).href}/products/logistics/fulfillment-kpis.html`);
    const snippet = path.join(mesh, 'read_fulfillment_kpis_daily.py');
    fs.writeFileSync(snippet, await page.locator('pre.snippet').first().innerText());
    await page.close();
    // The snippet parses as Python; its one JSON constant is the schema, with the doc as written.
    const check = [
      'import ast, json, sys',
      'tree = ast.parse(open(sys.argv[1]).read())',
      'schemas = [json.loads(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.lstrip().startswith("{")]',
      'print(len(schemas), [f.get("doc") for f in schemas[0]["fields"] if f["name"] == "carrier"][0] == sys.argv[2])',
    ].join('\n');
    const out = execFileSync('python3', ['-c', check, snippet, DOC_PAYLOAD], { encoding: 'utf8' });
    expect(out.trim()).toBe('1 True');
  });

  it(`a product of 2,000 fields and a fan-out of 500 consumers stay usable`, async () => {
    expect(buildMs).toBeLessThan(60_000);
    const page = await browser.newPage();
    const complaints = watch(page);
    const wide = `${pathToFileURL(dir).href}/products/logistics/wide-metrics.html`;
    let started = Date.now();
    await page.goto(wide);
    const wideMs = Date.now() - started;
    expect(await page.locator('table.schema tbody tr').count()).toBe(2000);
    expect(await page.locator('table.schema caption').innerText()).toContain('2000 fields');
    expect(await page.locator('pre.snippet').innerText()).toContain('{"name":"measure_1999"');
    started = Date.now();
    await page.goto(`${pathToFileURL(dir).href}/products/logistics/shipment-events-v2.html`);
    const fanMs = Date.now() - started;
    const consumers = 500 + loadMesh(REPO_ROOT).consumersOf('logistics/shipment-events-v2').length;
    expect(await page.locator('#consumers tbody tr').count()).toBe(consumers);
    expect(await page.locator('figure.lineage svg rect.down').count()).toBe(25);
    expect(await page.locator('figure.lineage').innerText()).toContain(`… and ${consumers - 25} more downstream: see the tables below`);
    const svgHeight = await page.evaluate(() => document.querySelector('figure.lineage svg')!.getBoundingClientRect().height);
    expect(svgHeight).toBeLessThan(1400);
    await page.goto(`${pathToFileURL(dir).href}/index.html`);
    const results = await search(page, 'measure_1999');
    expect(results[0]?.text).toContain('field measure_1999 in port wide_metrics_stream of logistics/wide-metrics');
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    console.log(`hostile/huge: site built in ${buildMs} ms; 2,000-field page loaded in ${wideMs} ms; 500-consumer page in ${fanMs} ms`);
    await page.close();
  });
});
