import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildPolicyData, checkStandards, generatePolicyData, loadPolicyMesh, readPiiAccess, runPolicyChecks, type Diagnostic } from '../src';
import { meshCopy, requireOpa, ROOT } from './helpers';

jest.setTimeout(60_000);

const CONSUMER = 'domains/customer/customer-360/data-product.yaml';
const CONFIG = 'infra/config.yaml';

/** The example infra config with `piiAccess` set to the given YAML list (indented by two). */
function configWith(piiAccess: string): string {
  const example = fs.readFileSync(path.join(ROOT, 'infra/config.example.yaml'), 'utf8');
  return `${example.replace(/^piiAccess:.*(\n(#.*|\s+.*)?)*$/m, '')}\npiiAccess:\n${piiAccess}\n`;
}

/** What this rule and its config report, and any error (other standards may warn on the examples). */
const piiFindings = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error' || ['MESH318', 'MESH324', 'MESH325'].includes(d.code));

const lineOf = (text: string, needle: string, from = 0) => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle)) + 1;

describe('the PII field map in the policy data', () => {
  test('each port of a product with PII, and the references that read it, resolved against the schema', () => {
    const { data } = buildPolicyData(ROOT, loadPolicyMesh(ROOT));
    expect(data.pii_access?.ports['customer/customer-events-v1']).toEqual({
      customer_events_stream: { type: 'stream', pii: ['ip_address'], reads: { ip_address: ['ip_address'] } },
    });
    expect(Object.keys(data.pii_access?.ports ?? {}).sort()).toEqual(['customer/customer-360', 'customer/customer-events-v1', 'customer/customer-profile-snapshot']);
    expect(data.pii_access?.authorizations).toEqual({});
  });

  test('nested PII: the record above it, the field inside it and its bare name all read it', () => {
    const repo = meshCopy();
    try {
      const schema = path.join(repo.root, 'domains/customer/schemas/customer_events_v1.avsc');
      const json = JSON.parse(fs.readFileSync(schema, 'utf8'));
      json.fields.push({ name: 'device', type: ['null', { type: 'record', name: 'Device', fields: [{ name: 'model', type: 'string' }, { name: 'serial', type: 'string' }] }], default: null });
      fs.writeFileSync(schema, JSON.stringify(json));
      repo.edit('domains/customer/customer-events-v1/data-product.yaml', 'pii_fields: [ip_address]', 'pii_fields: [ip_address, device.serial]');
      const { data } = buildPolicyData(repo.root, loadPolicyMesh(repo.root));
      expect(data.pii_access?.ports['customer/customer-events-v1']?.customer_events_stream?.reads).toEqual({
        ip_address: ['ip_address'], device: ['device.serial'], 'device.serial': ['device.serial'], serial: ['device.serial'],
      });
    } finally {
      repo.dispose();
    }
  });

  test('without loaded schemas the names alone decide', () => {
    const data = generatePolicyData({
      products: [{ domain: 'sales', name: 'leads', file: 'x.yaml', spec: { spec: { outputPorts: [{ name: 'leads_daily', type: 'batch' }], governance: { pii_fields: ['contact.email'] } } } }],
    });
    expect(data.pii_access?.ports['sales/leads']).toEqual({
      leads_daily: { type: 'batch', pii: ['contact.email'], reads: { contact: ['contact.email'], 'contact.email': ['contact.email'], email: ['contact.email'] } },
    });
  });
});

describe('a consumer reading PII of another product (MESH318, data_mesh.standards through the wasm)', () => {
  beforeAll(requireOpa);

  test('fails at the field in inputPorts without an authorization, and passes with one', async () => {
    const repo = meshCopy();
    try {
      repo.edit(CONSUMER, 'fields: [customer_id, event_type, occurred_at, metadata]', 'fields: [customer_id, event_type, occurred_at, metadata, ip_address]');
      const text = fs.readFileSync(path.join(repo.root, CONSUMER), 'utf8');
      const denied = await checkStandards(repo.root, loadPolicyMesh(repo.root));
      expect(piiFindings(denied.diagnostics)).toEqual([{
        severity: 'error',
        code: 'MESH318',
        message: 'customer/customer-360: the input field "ip_address" reads PII of customer/customer-events-v1 (ip_address) and customer/customer-360 has no authorization from the platform to read it',
        file: CONSUMER,
        line: lineOf(text, 'ip_address]'),
        column: text.split('\n')[lineOf(text, 'ip_address]') - 1]!.indexOf('ip_address]') + 1,
        endLine: lineOf(text, 'ip_address]'),
        endColumn: text.split('\n')[lineOf(text, 'ip_address]') - 1]!.indexOf('ip_address]') + 1 + 'ip_address'.length,
        hint: expect.stringContaining('piiAccess in infra/config.yaml'),
      }]);

      repo.write(CONFIG, configWith('  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    fields: [ip_address]\n    reason: "fraud scoring, DPO-4100"'));
      const allowed = await runPolicyChecks(repo.root, { tests: false });
      expect(piiFindings(allowed.diagnostics)).toEqual([]);
    } finally {
      repo.dispose();
    }
  });

  test('the older consumer-wide list still authorizes', async () => {
    const repo = meshCopy();
    try {
      repo.edit(CONSUMER, 'fields: [customer_id, event_type, occurred_at, metadata]', 'fields: [customer_id, ip_address]');
      repo.write(CONFIG, configWith('  []').replace('# piiAuthorizedConsumers: []', 'piiAuthorizedConsumers: [customer/customer-360]'));
      const report = await runPolicyChecks(repo.root, { tests: false });
      expect(piiFindings(report.diagnostics)).toEqual([]);
    } finally {
      repo.dispose();
    }
  });
});

describe('bad authorizations: a finding at the config line', () => {
  const cases: { name: string; yaml: string; code: string; severity: string; at: string; below?: number; message: RegExp }[] = [
    { name: 'a product that does not exist', yaml: '  - consumer: customer/no-such-product\n    source: customer/customer-events-v1\n    reason: r', code: 'MESH324', severity: 'error', at: 'no-such-product', message: /no product customer\/no-such-product in the mesh/ },
    { name: 'a field that is not PII of the source', yaml: '  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    fields: [ip_address, user_agent]\n    reason: r', code: 'MESH324', severity: 'error', at: 'user_agent', message: /user_agent is not a PII field of customer\/customer-events-v1 \(its governance.pii_fields: ip_address\)/ },
    { name: 'a missing reason', yaml: '  - consumer: customer/customer-360\n    source: customer/customer-events-v1', code: 'MESH324', severity: 'error', at: 'consumer: customer/customer-360', message: /needs a reason: who approved it and why/ },
    { name: 'an empty reason', yaml: '  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    reason: "  "', code: 'MESH324', severity: 'error', at: 'reason:', message: /needs a reason/ },
    { name: 'a duplicate pair', yaml: '  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    reason: a\n  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    reason: b', code: 'MESH324', severity: 'error', at: 'reason: a', below: 1, message: /already authorized for customer\/customer-events-v1 at line/ },
    { name: 'an unknown key', yaml: '  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    feilds: [ip_address]\n    reason: r', code: 'MESH324', severity: 'error', at: 'feilds', message: /unknown key "feilds"/ },
    { name: 'a malformed id', yaml: '  - consumer: customer-360\n    source: customer/customer-events-v1\n    reason: r', code: 'MESH324', severity: 'error', at: 'consumer: customer-360', message: /consumer must be a product id/ },
    { name: 'not a list', yaml: '  consumer: customer/customer-360', code: 'MESH324', severity: 'error', at: 'piiAccess:', message: /must be a list/ },
    { name: 'a consumer that does not consume the source', yaml: '  - consumer: payments/revenue-daily-summary\n    source: customer/customer-events-v1\n    reason: r', code: 'MESH325', severity: 'warning', at: 'consumer: payments/revenue-daily-summary', message: /does not consume customer\/customer-events-v1 .*stale/ },
    { name: 'a source without PII', yaml: '  - consumer: customer/customer-360\n    source: payments/transaction-events-v1\n    reason: r', code: 'MESH325', severity: 'warning', at: 'consumer: customer/customer-360', message: /declares no PII fields/ },
  ];

  test.each(cases)('$name', ({ yaml, code, severity, at, below = 0, message }) => {
    const repo = meshCopy();
    try {
      const text = configWith(yaml);
      repo.write(CONFIG, text);
      const { diagnostics } = buildPolicyData(repo.root, loadPolicyMesh(repo.root));
      const line = lineOf(text, at, lineOf(text, 'piiAccess:') - 1) + below;
      const found = diagnostics.filter((d: Diagnostic) => d.code === code);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ severity, file: CONFIG, line });
      expect(found[0]!.message).toMatch(message);
    } finally {
      repo.dispose();
    }
  });

  test('the example config reads without findings, and a YAML error is one finding at its line', () => {
    expect(readPiiAccess(ROOT).diagnostics).toEqual([]);
    const repo = meshCopy();
    try {
      repo.write(CONFIG, 'piiAccess:\n  - consumer: [\n');
      const { diagnostics } = readPiiAccess(repo.root);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ code: 'MESH324', file: CONFIG, line: 3 });
    } finally {
      repo.dispose();
    }
  });
});
