import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jsYaml from 'js-yaml';
import { EXAMPLES_NOW, exportOdcs, fieldToProperty, importOdcs, jsonEqual, loadMesh, propertyToField, validateMesh, type Json, type MappingNote } from '../src';

/**
 * contract -> ODCS v3.1 -> contract on every example product: the imported spec equals the loaded
 * one, every port's Avro schema equals its file, and a mesh made of the imported files validates
 * as the original does. (Official JSON Schema and datacontract lint: packages/cli/test/odcs-validate.test.ts.)
 */

const REPO = path.resolve(__dirname, '..', '..', '..');
const mesh = loadMesh(REPO);
const ids = [...mesh.products.keys()].sort();
const plain = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

test('the examples are the nine products the issue names, or more', () => {
  expect(ids.length).toBeGreaterThanOrEqual(9);
});

describe.each(ids)('%s', (id) => {
  const product = mesh.products.get(id)!;
  const exported = exportOdcs(mesh, id);
  if (!exported.ok) throw new Error(exported.message);
  const { document, yaml, report } = exported.value;

  test('exports ODCS v3.1.0 with each port as a schema object', () => {
    expect(document).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', name: product.name, version: product.spec.metadata.version, status: product.spec.metadata.status ?? 'active', team: { name: product.spec.metadata.owner } });
    expect((document.schema as { name: string }[]).map((o) => o.name)).toEqual(product.outputPorts.map((p) => p.name));
    // Every rule verbatim, with its severity when the spec gives one.
    const quality = (document.schema as { quality?: { implementation: string; severity?: string }[] }[]).flatMap((o) => o.quality ?? []);
    expect(quality.map((q) => q.implementation).sort()).toEqual((product.spec.spec.qualityChecks ?? []).map((c) => c.rule).sort());
    // Freshness and uptime of every port, retention of the product.
    const sla = document.slaProperties as { property: string; element?: string; valueExt?: string }[];
    for (const port of product.outputPorts) {
      expect(sla.filter((s) => s.element === port.name).map((s) => s.valueExt)).toEqual([port.spec.sla.freshness, port.spec.sla.uptime]);
    }
    expect(sla.find((s) => s.property === 'retention')).toMatchObject({ value: product.spec.spec.governance?.retention_days, unit: 'd' });
    expect(report.notCarried.map((n) => n.what)).toContain('YAML comments of the spec');
    expect(report.customProperties.length).toBeGreaterThan(0);
  });

  test('PII fields are marked on their properties with the classification', () => {
    const pii = product.spec.spec.governance?.pii_fields ?? [];
    const marked: string[] = [];
    const walk = (props: { name: string; classification?: string; customProperties?: { property: string; value: Json }[]; properties?: unknown[] }[], prefix: string) => {
      for (const p of props) {
        const name = prefix ? `${prefix}.${p.name}` : p.name;
        if (p.customProperties?.some((c) => c.property === 'pii' && c.value === true)) {
          expect(p.classification).toBe(product.spec.spec.governance?.data_classification);
          marked.push(p.name);
        }
        walk((p.properties ?? []) as typeof props, name);
      }
    };
    for (const o of document.schema as { properties: Parameters<typeof walk>[0] }[]) walk(o.properties, '');
    for (const field of pii) expect(marked).toContain(field.split('.').pop());
  });

  test('a batch port\'s partition column is partitioned, at position 1', () => {
    product.outputPorts.forEach((port, i) => {
      const partitioned = (document.schema as { properties: { name: string; partitioned?: boolean; partitionKeyPosition?: number }[] }[])[i]!.properties.filter((p) => p.partitioned);
      if (port.spec.type === 'batch' && port.spec.partitioning) expect(partitioned.map((p) => p.partitionKeyPosition)).toEqual([1]);
      else expect(partitioned).toEqual([]);
    });
  });

  test('imports back to the same spec and the same Avro schemas', () => {
    const back = importOdcs(`${product.name}.odcs.yaml`, yaml);
    expect(back.diagnostics).toEqual([]);
    expect(back.value?.spec).toEqual(plain(product.spec));
    expect(back.value?.file).toBe(product.file);
    for (const port of product.outputPorts) {
      const schema = back.value?.schemas.find((s) => s.file === port.schemaFile?.file);
      expect(schema).toBeDefined();
      expect(jsonEqual(schema?.schema, JSON.parse(port.schemaFile?.text ?? 'null') as Json)).toBe(true);
    }
    // The YAML it writes is the same spec.
    expect(jsYaml.load(back.value?.yaml ?? '')).toEqual(plain(product.spec));
  });
});

test('a mesh made of the imported files loads the same models and validates as the original', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'odcs-roundtrip-'));
  fs.cpSync(path.join(REPO, 'domains'), path.join(root, 'domains'), { recursive: true });
  for (const extra of ['governance', 'platform.yaml', 'infra', '.github/CODEOWNERS']) if (fs.existsSync(path.join(REPO, extra))) fs.cpSync(path.join(REPO, extra), path.join(root, extra), { recursive: true });
  // Every spec and schema file is replaced by what the import writes.
  for (const id of ids) {
    const product = mesh.products.get(id)!;
    fs.rmSync(path.join(root, product.file));
    for (const port of product.outputPorts) fs.rmSync(path.join(root, port.schemaFile!.file), { force: true });
  }
  for (const id of ids) {
    const exported = exportOdcs(mesh, id);
    if (!exported.ok) throw new Error(exported.message);
    const back = importOdcs(`${id}.odcs.yaml`, exported.value.yaml).value!;
    fs.writeFileSync(path.join(root, back.file), back.yaml);
    for (const s of back.schemas) fs.writeFileSync(path.join(root, s.file), s.text);
  }
  const again = loadMesh(root);
  for (const id of ids) {
    expect(plain(again.products.get(id)?.spec)).toEqual(plain(mesh.products.get(id)!.spec));
    for (const port of again.products.get(id)!.outputPorts) {
      const original = mesh.products.get(id)!.outputPorts.find((p) => p.name === port.name)!;
      expect(port.schemaFile?.status).toBe('ok');
      expect(port.schemaFile?.fields).toEqual(original.schemaFile?.fields);
    }
  }
  const codes = (r: string) => validateMesh(r, { now: EXAMPLES_NOW }).diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}:${d.message}`).sort();
  expect(codes(root)).toEqual(codes(REPO));
  fs.rmSync(root, { recursive: true, force: true });
});

describe('Avro types ODCS cannot say are kept exactly', () => {
  const cases: [string, Json][] = [
    ['a union of two types', { name: 'u', type: ['null', 'string', 'long'], default: null }],
    ['null last', { name: 'n', type: ['string', 'null'], default: 'x' }],
    ['a named type referenced again', { name: 'r', type: 'com.example.Address' }],
    ['a decimal on fixed', { name: 'd', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale: 2 } }],
    ['aliases and order', { name: 'a', type: 'int', aliases: ['old_a'], order: 'descending' }],
    ['a nullable field without a default', { name: 'nd', type: ['null', 'int'] }],
    ['an array of nullable maps', { name: 'am', type: { type: 'array', items: ['null', { type: 'map', values: 'long' }] } }],
  ];
  test.each(cases)('%s', (_what, field) => {
    const notes: MappingNote[] = [];
    expect(propertyToField(fieldToProperty(field, 'schema[0].properties[0]', notes))).toEqual(field);
  });

  test('a union is reported, a plain nullable string is not', () => {
    const notes: MappingNote[] = [];
    fieldToProperty({ name: 'u', type: ['null', 'string', 'long'], default: null }, 'p', notes);
    expect(notes).toEqual([expect.objectContaining({ path: 'p', reason: expect.stringContaining('customProperties.avroType') })]);
    const none: MappingNote[] = [];
    const property = fieldToProperty({ name: 's', type: ['null', 'string'], default: null }, 'p', none);
    expect(none).toEqual([]);
    expect(property).toEqual({ name: 's', logicalType: 'string', physicalType: 'string', required: false });
  });
});

test('an unknown product is an error naming the products there are', () => {
  const result = exportOdcs(mesh, 'customer/no-such-product');
  expect(result).toEqual({ ok: false, message: expect.stringContaining('no data product customer/no-such-product'), hint: expect.stringContaining('customer/customer-360') });
});

describe('every key of the contract survives the round trip', () => {
  const spec = `apiVersion: data-mesh/v1
kind: DataProduct
metadata:
  name: order-events-v1
  version: "1.2.0"
  owner: orders-team
  domain: orders
  status: deprecated
  sunset: "2027-03-31"
  replaces: [{ product: legacy/orders-feed, port: orders }]
  replacedBy: { product: orders/order-events-v2 }
  migration: { cutover: "2027-01-10", windowDays: 30 }
spec:
  description: Every order placed, paid, shipped or cancelled.
  outputPorts:
    - name: order_events
      description: The order event stream.
      type: stream
      format: avro
      schema: "schema-registry://orders/order_event_v1"
      topic: "orders-domain.order-events-v1"
      compatibility: FULL_TRANSITIVE
      deprecated: true
      sunset: "2027-03-31"
      replacedBy: { product: orders/order-events-v2, port: order_events }
      sla:
        freshness: "< 1 minute"
        uptime: "99.99%"
    - name: orders_daily
      type: batch
      format: iceberg
      schema: "schema-registry://orders/order_event_v1"
      location: "s3://data-mesh-prod/orders-domain/order-events-v1/v1/"
      partitioning: "bucket(16, order_id)"
      recordTimeField: placed_at
      sla:
        freshness: "< 30 minutes after 04:30 UTC"
        uptime: "99.5%"
  qualityChecks: []
  governance:
    pii_fields: [customer_email, lines.sku]
    data_classification: confidential
    retention_days: 365
    gdpr_subject_to_erasure: true
    subject_id_field: order_id
`;
  const schema = {
    type: 'record',
    name: 'OrderEvent',
    namespace: 'com.example.orders',
    doc: 'One order event.',
    aliases: ['OrderEventV0'],
    fields: [
      { name: 'order_id', type: { type: 'string', logicalType: 'uuid' } },
      { name: 'placed_at', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['PLACED', 'PAID'], default: 'PLACED' }, default: 'PLACED' },
      { name: 'previous_status', type: ['null', 'Status'], default: null },
      { name: 'customer_email', type: ['null', 'string'], default: null, doc: 'Contact.' },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
      { name: 'fingerprint', type: { type: 'fixed', name: 'Md5', size: 16 } },
      { name: 'attributes', type: { type: 'map', values: ['null', 'string'] }, default: {} },
      { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'sku', type: 'string' }, { name: 'quantity', type: 'int', default: 1 }] } } },
      { name: 'weight', type: ['float', 'null'], default: 0 },
      { name: 'gift', type: 'boolean', order: 'ignore' },
    ],
  };

  test('lifecycle, deprecated ports, two ports on one schema, empty rule list, governance and Avro named types', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'odcs-every-key-'));
    fs.cpSync(path.join(__dirname, 'fixtures', 'base'), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'domains/orders/order-events-v1/data-product.yaml'), spec);
    fs.writeFileSync(path.join(root, 'domains/orders/schemas/order_event_v1.avsc'), JSON.stringify(schema, null, 2));
    const m = loadMesh(root);
    expect(m.invalidProducts.has('orders/order-events-v1')).toBe(false);
    const result = exportOdcs(m, 'orders/order-events-v1');
    if (!result.ok) throw new Error(result.message);
    const doc = result.value.document as { status: string; slaProperties: { property: string; value: Json; element?: string }[] };
    expect(doc.status).toBe('deprecated');
    expect(doc.slaProperties.find((s) => s.element === 'orders_daily' && s.property === 'timeOfAvailability')?.value).toBe('05:00Z');
    // bucket(16, order_id): the partition column, in ODCS's terms too.
    const daily = (result.value.document.schema as { name: string; properties: { name: string; partitioned?: boolean; partitionKeyPosition?: number }[] }[])[1]!;
    expect(daily.properties.filter((p) => p.partitioned)).toEqual([expect.objectContaining({ name: 'order_id', partitionKeyPosition: 1 })]);
    // The Avro types ODCS has no form for are listed, not dropped.
    const kept = result.value.report.customProperties.map((n) => n.what).join('\n');
    expect(kept).toContain('field previous_status');
    expect(kept).toContain('field weight');
    expect(kept).toContain('the Avro schema, verbatim');
    const back = importOdcs('orders.odcs.yaml', result.value.yaml);
    expect(back.diagnostics).toEqual([]);
    expect(back.value?.spec).toEqual(jsYaml.load(spec));
    expect(back.value?.schemas).toHaveLength(1);
    expect(back.value?.schemas[0]?.schema).toEqual(schema);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

test("another tool's partition columns become identity partitions in their order", () => {
  const text = `apiVersion: v3.1.0
kind: DataContract
id: sales
name: sales-daily
version: 1.0.0
status: active
domain: sales
description: { purpose: Sales per day and region. }
team: { name: sales-team }
servers:
  - { server: sales, type: s3, location: "s3://bucket/sales/v1/", format: parquet }
schema:
  - name: sales
    physicalType: table
    properties:
      - { name: region, logicalType: string, required: true, partitioned: true, partitionKeyPosition: 2 }
      - { name: day, logicalType: date, required: true, partitioned: true, partitionKeyPosition: 1 }
      - { name: amount, logicalType: number }
slaProperties:
  - { property: timeOfAvailability, value: "06:30", element: sales }
  - { property: availability, value: 99.5, element: sales }
`;
  const result = importOdcs('sales.odcs.yaml', text);
  expect(result.diagnostics).toEqual([]);
  expect((result.value?.spec.spec as { outputPorts: unknown[] }).outputPorts[0]).toEqual({
    name: 'sales',
    type: 'batch',
    format: 'parquet',
    schema: 'schema-registry://sales/sales',
    location: 's3://bucket/sales/v1/',
    partitioning: 'day, region',
    sla: { freshness: '< 390 minutes after midnight UTC', uptime: '99.5%' },
  });
});
