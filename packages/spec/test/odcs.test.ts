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
