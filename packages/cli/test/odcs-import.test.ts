import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '@data-mesh/spec';
import * as jsYaml from 'js-yaml';
import { mesh, REPO_ROOT } from './helpers';

/** `mesh export odcs` and `mesh import odcs` through the CLI: the round trip, and bad input at its line. */

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'odcs-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const original = loadMesh(REPO_ROOT);

async function exported(id: string): Promise<string> {
  const out = path.join(dir, `${id.replace('/', '__')}.odcs.yaml`);
  const run = await mesh(['export', 'odcs', id, '--out', out]);
  expect(run.code).toBe(0);
  return out;
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the text: the test would prove nothing`);
  return index + 1;
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const noStack = (text: string) => {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(text).not.toContain('internal error');
};

describe('round trip through the CLI', () => {
  test('customer-360 exported and imported into an empty folder gives back its spec and both schemas', async () => {
    const file = await exported('customer/customer-360');
    const out = path.join(dir, 'mesh');
    const run = await mesh(['import', 'odcs', file, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('imported customer/customer-360');
    const product = original.products.get('customer/customer-360')!;
    expect(jsYaml.load(fs.readFileSync(path.join(out, product.file), 'utf8'))).toEqual(JSON.parse(JSON.stringify(product.spec)));
    for (const port of product.outputPorts) {
      expect(JSON.parse(fs.readFileSync(path.join(out, port.schemaFile!.file), 'utf8'))).toEqual(JSON.parse(port.schemaFile!.text!));
    }
  });

  test('an import does not overwrite existing files unless --force', async () => {
    const file = await exported('payments/refund-events-v1');
    const out = path.join(dir, 'mesh');
    expect((await mesh(['import', 'odcs', file, '--out', out])).code).toBe(0);
    const spec = path.join(out, 'domains/payments/refund-events-v1/data-product.yaml');
    fs.writeFileSync(spec, '# edited by hand\n');
    const again = await mesh(['import', 'odcs', file, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exist');
    expect(again.stderr).toContain('--force');
    expect(fs.readFileSync(spec, 'utf8')).toBe('# edited by hand\n');
    const forced = await mesh(['import', 'odcs', file, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(spec, 'utf8')).toContain('name: refund-events-v1');
  });

  test('--domain puts the product in another domain', async () => {
    const file = await exported('payments/refund-events-v1');
    const run = await mesh(['import', 'odcs', file, '--out', dir, '--domain', 'finance', '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { product: string; written: string[] };
    expect(result.product).toBe('finance/refund-events-v1');
    const spec = jsYaml.load(fs.readFileSync(path.join(dir, 'domains/finance/refund-events-v1/data-product.yaml'), 'utf8')) as { metadata: { domain: string } };
    expect(spec.metadata.domain).toBe('finance');
  });

  test('an ODCS contract another tool wrote imports from its own fields', async () => {
    const file = write(
      'orders.odcs.yaml',
      `apiVersion: v3.1.0
kind: DataContract
id: 6f1c0b6e-orders
name: order-events-v1
version: 1.0.0
status: active
domain: orders
description:
  purpose: Order lifecycle events.
team:
  name: orders-team
schema:
  - name: order_events
    physicalType: topic
    physicalName: orders-domain.order-events-v1
    properties:
      - name: order_id
        logicalType: string
        required: true
        classification: confidential
      - name: amount
        logicalType: number
      - name: placed_at
        logicalType: timestamp
        required: true
    quality:
      - type: library
        metric: nullValues
        mustBe: 0
slaProperties:
  - property: latency
    value: 5
    unit: m
    element: order_events
  - property: availability
    value: 99.9
    element: order_events
  - property: retention
    value: 1
    unit: y
`,
    );
    const run = await mesh(['import', 'odcs', file, '--out', dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${lineOf(fs.readFileSync(file, 'utf8'), 'type: library')}:9  warning  MESH133`);
    const spec = jsYaml.load(fs.readFileSync(path.join(dir, 'domains/orders/order-events-v1/data-product.yaml'), 'utf8'));
    expect(spec).toEqual({
      apiVersion: 'data-mesh/v1',
      kind: 'DataProduct',
      metadata: { name: 'order-events-v1', version: '1.0.0', owner: 'orders-team', domain: 'orders' },
      spec: {
        description: 'Order lifecycle events.',
        outputPorts: [{ name: 'order_events', type: 'stream', format: 'avro', schema: 'schema-registry://orders/order_events', topic: 'orders-domain.order-events-v1', sla: { freshness: '< 5 minutes', uptime: '99.9%' } }],
        governance: { data_classification: 'confidential', retention_days: 365 },
      },
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'domains/orders/schemas/order_events.avsc'), 'utf8'))).toEqual({
      type: 'record',
      name: 'OrderEvents',
      fields: [
        { name: 'order_id', type: 'string' },
        { name: 'amount', type: ['null', 'double'], default: null },
        { name: 'placed_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    });
  });
});

test('a contract another tool wrote, imported into a mesh and listed in its domain map, passes mesh validate', async () => {
  const root = path.join(dir, 'mesh');
  fs.cpSync(path.join(REPO_ROOT, 'packages', 'spec', 'test', 'fixtures', 'base'), root, { recursive: true });
  const file = write(
    'audit.odcs.yaml',
    `apiVersion: v3.1.0
kind: DataContract
id: order-audit
name: order-audit-v1
version: 1.0.0
status: active
domain: orders
description:
  purpose: Audit trail of order changes.
team:
  name: orders-team
schema:
  - name: order_audit
    physicalType: topic
    physicalName: orders-domain.order-audit-v1
    properties:
      - name: order_id
        logicalType: string
        required: true
        classification: internal
      - name: changed_at
        logicalType: timestamp
        required: true
      - name: lines
        logicalType: array
        items:
          logicalType: object
          properties:
            - name: sku
              logicalType: string
              required: true
slaProperties:
  - { property: latency, value: 1, unit: minutes, element: order_audit }
  - { property: availability, value: 99.9, element: order_audit }
  - { property: retention, value: 90, unit: d }
`,
  );
  const run = await mesh(['import', 'odcs', file, '--root', root]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const map = path.join(root, 'domains', 'domain-map.yaml');
  fs.writeFileSync(map, fs.readFileSync(map, 'utf8').replace('source_products: [order-events-v1]', 'source_products: [order-events-v1, order-audit-v1]'));
  const validate = await mesh(['validate', '--root', root, '--no-policy', '--format', 'json']);
  expect(JSON.parse(validate.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  expect(validate.code).toBe(0);
});

describe('bad input: a finding at its file and line, nothing written, no stack trace', () => {
  async function rejected(name: string, text: string): Promise<{ stderr: string; file: string }> {
    const file = write(name, text);
    const out = path.join(dir, 'out');
    const run = await mesh(['import', 'odcs', file, '--out', out]);
    expect(run.code).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
    noStack(run.stderr);
    expect(run.stderr).toContain(`${path.relative(REPO_ROOT, file)}: not imported`);
    return { stderr: run.stderr, file: path.relative(REPO_ROOT, file) };
  }

  test('an ODCS v2 contract', async () => {
    const text = `version: 1.0.0
kind: DataContract
apiVersion: v2.2.2
uuid: 53581432-6c55-4ba2-a65f-72344a91553a
datasetName: my_table
dataset:
  - table: tab1
    columns:
      - column: txn_ref_dt
        logicalType: date
`;
    const { stderr, file } = await rejected('v2.odcs.yaml', text);
    expect(stderr).toContain(file);
    expect(stderr).toContain(`${lineOf(text, 'apiVersion')}:13  error  MESH130  apiVersion "v2.2.2": mesh reads ODCS v3`);
    expect(stderr).toContain('convert the contract to ODCS v3.1.0 first');
    // One finding: v2's keys are not listed one by one as unknown.
    expect(stderr.match(/error {2}MESH13/g)).toHaveLength(1);
  });

  test('unknown properties, with the one meant', async () => {
    const exportedText = fs.readFileSync(await exported('payments/refund-events-v1'), 'utf8');
    const text = exportedText.replace('slaProperties:', 'slaProperty:').replace(/^team:\n/m, 'team:\n  lead: jane\n');
    const { stderr } = await rejected('unknown.odcs.yaml', text);
    expect(stderr).toContain(`${lineOf(text, 'slaProperty:')}:1  error  MESH131  unknown property "slaProperty" in the contract: ODCS v3.1 does not define it (did you mean "slaProperties"?)`);
    expect(stderr).toContain(`${lineOf(text, 'lead: jane')}:3  error  MESH131  unknown property "lead" in team`);
  });

  test('a schema type Avro cannot express', async () => {
    const exportedText = fs.readFileSync(await exported('payments/refund-events-v1'), 'utf8');
    // The first property becomes a free-form object, the second a geography.
    const lines = exportedText.split('\n');
    const first = lines.findIndex((l) => l.includes('- name: event_id'));
    expect(first).toBeGreaterThan(0);
    const replaced = exportedText
      .replace(/(- name: event_id\n(\s+))logicalType: string\n\s+logicalTypeOptions:\n\s+format: uuid\n\s+physicalType: uuid/, '$1logicalType: object\n$2physicalType: json')
      .replace(/(- name: transaction_id\n(\s+))logicalType: string\n\s+physicalType: string/, '$1logicalType: geography');
    expect(replaced).not.toBe(exportedText);
    const { stderr } = await rejected('types.odcs.yaml', replaced);
    expect(stderr).toContain(`${lineOf(replaced, 'physicalType: json') - 1}:22  error  MESH132`);
    expect(stderr).toMatch(/MESH132 {2}schema object refund_events_stream, property event_id: an object without properties has no Avro type/);
    expect(stderr).toContain(`${lineOf(replaced, 'logicalType: geography')}:22  error  MESH132  schema object refund_events_stream, property transaction_id: logicalType "geography" has no Avro type`);
  });

  test('missing required ODCS fields', async () => {
    const exportedText = fs.readFileSync(await exported('payments/refund-events-v1'), 'utf8');
    const text = exportedText.replace(/^status: active\n/m, '').replace(/^version: .*\n/m, '').replace('  - property: latency\n', '  - driver: operational\n');
    const { stderr } = await rejected('missing.odcs.yaml', text);
    expect(stderr).toContain('error  MESH131  the contract misses the required ODCS property "version"');
    expect(stderr).toContain('error  MESH131  the contract misses the required ODCS property "status"');
    expect(stderr).toMatch(new RegExp(`${lineOf(text, '- driver: operational')}:5 {2}error {2}MESH131 {2}slaProperties\\[0\\] misses the required ODCS property "property"`));
  });

  test('malformed YAML', async () => {
    const text = 'apiVersion: v3.1.0\nkind: DataContract\nschema: [\n  - name: x\n';
    const { stderr } = await rejected('broken.odcs.yaml', text);
    expect(stderr).toMatch(/\d+:\d+ {2}error {2}MESH131/);
  });

  test('a mesh needs what the contract lacks: status draft, no SLA, no team', async () => {
    const text = `apiVersion: v3.1.0
kind: DataContract
id: x
name: thing
version: 1.0.0
status: draft
domain: orders
description:
  purpose: A thing.
schema:
  - name: things
    physicalType: table
    properties:
      - name: id
        logicalType: string
`;
    const { stderr } = await rejected('gaps.odcs.yaml', text);
    expect(stderr).toContain(`${lineOf(text, 'status: draft')}:9  error  MESH133  status "draft" has no mesh lifecycle equivalent`);
    expect(stderr).toContain('MESH133  the contract names no owning team (team.name)');
  });

  test('a file that does not exist is a usage error', async () => {
    const run = await mesh(['import', 'odcs', path.join(dir, 'nope.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no such file');
  });
});

describe('export: bad input', () => {
  test('a product id that does not exist names the products there are', async () => {
    const run = await mesh(['export', 'odcs', 'customer/customer-999']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no data product customer/customer-999');
    expect(run.stderr).toContain('customer/customer-360');
    noStack(run.stderr);
    const malformed = await mesh(['export', 'odcs', 'customer-360']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('customer-360 is not <domain>/<product>');
  });

  test('--out that exists is refused unless --force, and the file is left as it was', async () => {
    const out = write('taken.yaml', 'mine\n');
    const run = await mesh(['export', 'odcs', 'customer/customer-360', '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already exists: not overwritten');
    expect(fs.readFileSync(out, 'utf8')).toBe('mine\n');
    const forced = await mesh(['export', 'odcs', 'customer/customer-360', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('apiVersion: v3.1.0');
  });

  test('without --out the contract goes to stdout and the report to stderr', async () => {
    const run = await mesh(['export', 'odcs', 'logistics/shipment-events-v2']);
    expect(run.code).toBe(0);
    expect(jsYaml.load(run.stdout)).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', name: 'shipment-events-v2' });
    expect(run.stderr).toContain('kept in customProperties');
    expect(run.stderr).toContain('not carried: 3');
    expect(run.stderr).toContain("the domain map's entry (shipment-events-v2 under logistics.source_products)");
    expect(run.stderr).toContain('a Kafka server for stream port shipment_events_stream');
  });
});
