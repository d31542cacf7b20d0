import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCatalog, consumeInfo, esc, parseSchemaJson, pythonJson, schemaFieldRows, versionHistory } from '../src';
import { loadMesh } from '@data-mesh/spec';
import { copyMesh, REPO_ROOT } from './helpers';

describe('the catalog of the example mesh', () => {
  const mesh = loadMesh(REPO_ROOT);
  const site = buildCatalog(mesh, { history: versionHistory(REPO_ROOT), baseUrl: 'https://example.org/catalog/' });
  const files = new Map(site.files);
  const text = (file: string) => {
    const content = files.get(file);
    if (content === undefined) throw new Error(`no ${file} in the site`);
    return content.toString();
  };

  it('has an index, a page per domain and per product, the search index and the assets', () => {
    expect(site.products).toBe(mesh.validProducts().length);
    for (const p of mesh.validProducts()) expect(files.has(`products/${p.id}.html`)).toBe(true);
    for (const d of mesh.domains.keys()) expect(files.has(`domains/${d}.html`)).toBe(true);
    for (const f of ['index.html', 'assets/search-index.js', 'assets/minisearch.js', 'assets/search.js', 'assets/catalog.css']) expect(files.has(f)).toBe(true);
  });

  it('links relatively and uses --base-url only for the canonical link', () => {
    const html = text('products/logistics/fulfillment-kpis.html');
    expect(html).toContain('<link rel="canonical" href="https://example.org/catalog/products/logistics/fulfillment-kpis.html">');
    const hrefs = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1] as string);
    expect(hrefs.filter((h) => /^[a-z]+:/i.test(h) || h.startsWith('/'))).toEqual(['https://example.org/catalog/products/logistics/fulfillment-kpis.html', 'data:,']);
    expect(hrefs).toContain('../../domains/logistics.html');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  it('a product page carries the port, SLA, schema in words, quality rules, lineage, history and how to consume it', () => {
    const html = text('products/logistics/fulfillment-kpis.html');
    for (const needle of ['logistics-data-oncall', 's3://data-mesh-prod/logistics-domain/fulfillment-kpis/v1/', 'year/month/day', '&lt; 4 hours after midnight UTC', '99.5%', 'BACKWARD_TRANSITIVE', 'date (days since 1970-01-01)', 'avg(on_time_rate) &gt;= 0.9', 'logistics/shipment-events-v2', 'logistics_domain.fulfillment_kpis_fulfillment_kpis_daily', 'fastavro.parse_schema', '1.1.0', 'Versions, newest first']) {
      expect(html).toContain(needle);
    }
  });

  it("the version history has every product's versions from git, each with its date", () => {
    const history = versionHistory(REPO_ROOT);
    expect(history.notes).toEqual([]);
    for (const p of mesh.validProducts()) {
      const entries = history.byProduct.get(p.id) ?? [];
      expect(entries[0]).toMatchObject({ change: 'added' });
      for (const e of entries) expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('the version history names the breaking changes mesh diff found in a commit', () => {
    const dir = copyMesh();
    const run = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { stdio: 'pipe' });
    try {
      run('init', '-q', '-b', 'main');
      run('add', '.');
      run('commit', '-q', '-m', 'the example mesh');
      const schema = path.join(dir, 'domains/logistics/schemas/shipment_events_v2.avsc');
      const json = JSON.parse(fs.readFileSync(schema, 'utf8')) as { fields: { name: string }[] };
      json.fields = json.fields.filter((f) => f.name !== 'carrier');
      fs.writeFileSync(schema, JSON.stringify(json, null, 2));
      run('commit', '-q', '-am', 'drop carrier');
      const entries = versionHistory(dir).byProduct.get('logistics/shipment-events-v2')!;
      expect(entries.map((e) => e.change)).toEqual(['added', 'modified']);
      expect(entries[1]).toMatchObject({ subject: 'drop carrier', required: 'major' });
      expect(entries[1]!.breaking.join('\n')).toMatch(/fulfillment-kpis, which reads carrier/);
      const page = new Map(buildCatalog(loadMesh(dir), { history: versionHistory(dir) }).files).get('products/logistics/shipment-events-v2.html')!.toString();
      expect(page).toContain('drop carrier');
      expect(page).toContain('major / none');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says where the history is missing: outside a git work tree', () => {
    const dir = copyMesh();
    try {
      const history = versionHistory(dir);
      expect(history.byProduct.size).toBe(0);
      expect(history.notes[0]).toMatch(/is not a git work tree/);
      const page = new Map(buildCatalog(loadMesh(dir), { history }).files).get('products/logistics/fulfillment-kpis.html')!.toString();
      expect(page).toContain('No commit in the history read changed this product');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pieces', () => {
  it('esc turns markup into text', () => {
    expect(esc('<img src=x onerror="alert(1)">`')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#96;');
  });

  it('pythonJson keeps a schema data: the JSON in a raw triple-quoted string, which no valid JSON can end', () => {
    const text = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string', doc: `"""; import os #\\` }] }, null, 2);
    expect(text).not.toContain('"""');
    expect(pythonJson(text)).toBe(`json.loads(r"""\n${text}\n""")`);
    const out = execFileSync('python3', ['-c', `import json, sys\nprint(${pythonJson(text)}["fields"][0]["doc"], end="")`], { encoding: 'utf8' });
    expect(out).toBe(`"""; import os #\\`);
  });

  it('schema rows: types in words, nested records walked, optional marked, a recursive type not expanded twice', () => {
    const rows = schemaFieldRows({
      type: 'record', name: 'R', fields: [
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'amount', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }], default: null },
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
        { name: 'node', type: { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }, { name: 'tags', type: { type: 'array', items: 'string' } }] } },
      ],
    })!;
    expect(rows.map((r) => [r.path, r.type, r.optional])).toEqual([
      ['at', 'timestamp (UTC, milliseconds)', false],
      ['amount', 'exact decimal (precision 12, scale 2)', true],
      ['kind', 'one of A, B', false],
      ['node', 'record Node', false],
      ['node.next', 'record Node', true],
      ['node.tags', 'list of text', false],
    ]);
    expect(schemaFieldRows(parseSchemaJson('not json'))).toBeUndefined();
    expect(schemaFieldRows(parseSchemaJson('"string"'))).toBeUndefined();
  });

  it('a stream port gets its topic and a Kafka consumer; a batch port its table and an Athena query', () => {
    const mesh = loadMesh(REPO_ROOT);
    const stream = mesh.products.get('logistics/shipment-events-v2')!.outputPorts[0]!;
    const streamSchema = parseSchemaJson(stream.schemaFile?.text);
    const s = consumeInfo(stream, stream.schemaFile?.text, schemaFieldRows(streamSchema) ?? [], [])!;
    expect(s.address).toEqual({ kind: 'topic', topic: 'logistics-domain.shipment-events-v2' });
    expect(s.snippet).toContain('from confluent_kafka import Consumer');
    const batch = mesh.products.get('logistics/fulfillment-kpis')!.outputPorts[0]!;
    const batchSchema = parseSchemaJson(batch.schemaFile?.text);
    const b = consumeInfo(batch, batch.schemaFile?.text, schemaFieldRows(batchSchema) ?? [], [])!;
    expect(b.athena).toContain('FROM "logistics_domain"."fulfillment_kpis_fulfillment_kpis_daily"');
    expect(b.athena).toContain(`WHERE "kpi_date" >= current_date - INTERVAL '7' DAY`);
  });
});
