import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as avro from 'avsc';
import type { Browser, Page } from 'playwright-core';
import { launch, search, watch, withBrowser } from './browser';
import { REPO_ROOT, writeSite } from './helpers';

/**
 * The consumer's walk (issue 13, item 3): a new engineer starts at the index, searches for
 * shipment carrier performance, opens the product that carries it, copies the consumer snippet
 * from the page and runs it on sample records encoded with the port's Avro schema. The
 * records are the product's committed samples/, encoded here with avsc (the Avro library the
 * repository uses) and decoded by the snippet with fastavro, from the SDK's venv
 * (scripts/setup-sdk.sh: the versions the snippet names).
 */

/** The python of the SDK's venv, at the path scripts/setup-sdk.sh derives from the lock. */
function sdkPython(): string | undefined {
  const sdk = path.join(REPO_ROOT, 'sdk', 'python');
  const line = (file: string) => `${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}  ${file}\n`;
  const lock = path.join(sdk, 'requirements.lock');
  const hash = createHash('sha256').update(line(lock) + line(path.join(sdk, 'pyproject.toml'))).digest('hex').slice(0, 12);
  const python = path.join(REPO_ROOT, '.tools', `sdk-venv-${hash}`, 'bin', 'python');
  return fs.existsSync(python) ? python : undefined;
}

const PYTHON = sdkPython();
if (!PYTHON) {
  const message = "the Python SDK's venv is not installed: run scripts/setup-sdk.sh (the catalog's consumer snippets are NOT run)";
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}
const withPython = PYTHON ? withBrowser : describe.skip;

type Row = Record<string, unknown>;
type AvroField = { name: string; type: unknown };

const logicalOf = (type: unknown): string | undefined => {
  const branch = Array.isArray(type) ? type.find((b) => b !== 'null') : type;
  return typeof branch === 'object' && branch !== null ? (branch as { logicalType?: string }).logicalType : undefined;
};

/** A sample row (JSON: dates and timestamps as ISO text) as the Avro values its schema stores. */
function toAvro(schema: { fields: AvroField[] }, row: Row): Row {
  const out: Row = {};
  for (const f of schema.fields) {
    const value = row[f.name];
    const logical = logicalOf(f.type);
    if (value === null || value === undefined) out[f.name] = null;
    else if (logical === 'date' && typeof value === 'string') out[f.name] = Math.round(Date.parse(`${value}T00:00:00Z`) / 86_400_000);
    else if (logical === 'timestamp-millis' && typeof value === 'string') out[f.name] = Date.parse(value);
    else out[f.name] = value;
  }
  return out;
}

function samples(product: string, file: string): { schema: { fields: AvroField[] }; rows: Row[] } {
  const [domain] = product.split('/') as [string];
  const rows = fs.readFileSync(path.join(REPO_ROOT, 'domains', product, 'samples', file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  const spec = fs.readFileSync(path.join(REPO_ROOT, 'domains', product, 'data-product.yaml'), 'utf8');
  const subject = /schema: "schema-registry:\/\/[a-z-]+\/([a-z0-9_]+)"/.exec(spec)![1] as string;
  return { schema: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'domains', domain, 'schemas', `${subject}.avsc`), 'utf8')), rows };
}

/**
 * avsc keeps a logical type in the schema it writes (a data file's header) only when one is
 * registered: these pass the numbers through (toAvro makes them), so the header is the port's schema.
 */
class PassThrough extends avro.types.LogicalType {
  _fromValue(value: unknown): unknown {
    return value;
  }
  _toValue(value: unknown): unknown {
    return value;
  }
}
const LOGICAL_TYPES = { date: PassThrough, 'timestamp-millis': PassThrough, uuid: PassThrough };
const avroType = (schema: { fields: AvroField[] }) => avro.Type.forSchema(schema as avro.Schema, { logicalTypes: LOGICAL_TYPES });

/** What the snippet printed, one JSON record a line. */
function run(snippet: string, args: string[]): Row[] {
  const out = execFileSync(PYTHON as string, [snippet, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
}

withPython("the consumer's walk", () => {
  let browser: Browser;
  let site: string;
  let work: string;

  beforeAll(async () => {
    site = writeSite(REPO_ROOT).dir;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-walk-'));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(site, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** The snippet as the page shows it (what a reader selects and copies), saved to a file. */
  async function copySnippet(page: Page, file: string): Promise<string> {
    const text = await page.locator('pre.snippet').first().innerText();
    const target = path.join(work, file);
    fs.writeFileSync(target, text);
    return target;
  }

  it('from the index: search "shipment carrier performance", open the product with carrier KPIs, run its snippet on Avro-encoded samples', async () => {
    const page = await browser.newPage();
    const complaints = watch(page);
    await page.goto(`${pathToFileURL(site).href}/index.html`);
    const results = await search(page, 'shipment carrier performance');
    // The reader picks the result whose summary is about carrier performance (on-time rate per carrier).
    const pick = results.find((r) => /carrier/i.test(r.text) && /on-time rate/i.test(r.text));
    expect(pick?.product).toBe('logistics/fulfillment-kpis');
    expect(results.indexOf(pick!)).toBeLessThan(3);
    await page.click(`#results a[href="${pick!.href}"]`);
    await page.waitForSelector('#consume');
    expect(await page.locator('h1').innerText()).toContain('logistics/fulfillment-kpis');
    const consume = await page.locator('#consume').innerText();
    expect(consume).toContain('logistics_domain.fulfillment_kpis_fulfillment_kpis_daily');
    const snippet = await copySnippet(page, 'read_fulfillment_kpis_daily.py');
    expect(complaints).toEqual({ console: [], errors: [], dialogs: [] });
    await page.close();

    // Sample records, encoded with the port's Avro schema into an Avro data file.
    const { schema, rows } = samples('logistics/fulfillment-kpis', 'fulfillment_kpis_daily.jsonl');
    const type = avroType(schema);
    const data = path.join(work, 'fulfillment_kpis_daily.avro');
    await new Promise<void>((resolve, reject) => {
      const encoder = avro.createFileEncoder(data, type);
      encoder.on('error', reject);
      (encoder as unknown as { on(e: string, f: () => void): void }).on('finish', () => setTimeout(resolve, 50));
      for (const row of rows) encoder.write(toAvro(schema, row));
      encoder.end();
    });
    const decoded = run(snippet, ['--file', data]);
    expect(decoded).toHaveLength(rows.length);
    decoded.forEach((record, i) => {
      const row = rows[i]!;
      expect(record).toMatchObject({ kpi_date: row.kpi_date, warehouse_id: row.warehouse_id, carrier: row.carrier, on_time_rate: row.on_time_rate, shipments_delivered: row.shipments_delivered });
      expect(Date.parse(String(record.computed_at).replace(' ', 'T'))).toBe(Date.parse(String(row.computed_at)));
    });
  });

  it('a stream port: the Kafka consumer snippet decodes message values (AWS Glue and Confluent headers) with the same decode()', async () => {
    const page = await browser.newPage();
    await page.goto(`${pathToFileURL(site).href}/products/logistics/shipment-events-v2.html`);
    const snippet = await copySnippet(page, 'consume_shipment_events_stream.py');
    await page.close();
    const { schema, rows } = samples('logistics/shipment-events-v2', 'shipment_events_stream.jsonl');
    const type = avroType(schema);
    const glue = Buffer.concat([Buffer.from([3, 0]), Buffer.alloc(16, 7)]);
    const confluent = Buffer.from([0, 0, 0, 0, 42]);
    const frames = rows.map((row, i) => {
      const value = Buffer.concat([i % 2 === 0 ? glue : confluent, type.toBuffer(toAvro(schema, row))]);
      const size = Buffer.alloc(4);
      size.writeUInt32BE(value.length);
      return Buffer.concat([size, value]);
    });
    const file = path.join(work, 'messages.bin');
    fs.writeFileSync(file, Buffer.concat(frames));
    const decoded = run(snippet, ['--file', file]);
    expect(decoded).toHaveLength(rows.length);
    decoded.forEach((record, i) => {
      const row = rows[i]!;
      expect(record).toMatchObject({ event_id: row.event_id, shipment_status: row.shipment_status, carrier: row.carrier, package_count: row.package_count, damage_reported: row.damage_reported, tracking_number: row.tracking_number ?? null });
      expect(Date.parse(String(record.occurred_at).replace(' ', 'T'))).toBe(Date.parse(String(row.occurred_at)));
    });
  });
});
