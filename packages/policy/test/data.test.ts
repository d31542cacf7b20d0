import { buildPolicyData, generatePolicyData, loadPolicyMesh, readErasures, readStandards, type MeshProductLike } from '../src';
import { ROOT, scratchRepo } from './helpers';

jest.setTimeout(30_000);

describe('policy data generated from the mesh', () => {
  const mesh = loadPolicyMesh(ROOT);
  const { data, diagnostics } = buildPolicyData(ROOT, mesh);

  test('no diagnostics on the example governance files', () => {
    expect(diagnostics).toEqual([]);
  });

  test('pii_registry[domain][product] is each spec\'s governance.pii_fields', () => {
    expect(data.pii_registry.customer?.['customer-360']).toEqual(['email_hash', 'phone_hash', 'full_name']);
    expect(data.pii_registry.payments?.['transaction-events-v1']).toEqual([]);
    // every product of the mesh is there, and nothing else
    const ids = Object.entries(data.pii_registry).flatMap(([d, ps]) => Object.keys(ps).map((p) => `${d}/${p}`));
    expect(ids.sort()).toEqual([...mesh.products instanceof Map ? mesh.products.keys() : []].sort());
  });

  test('classification, retention, access policy and ports per product', () => {
    expect(data.products.customer?.['customer-360']).toEqual({
      classification: 'restricted',
      retention_days: 730,
      gdpr_subject_to_erasure: true,
      access_policy: 'opa://customer-domain/customer-360-access',
      access_package: ['customer_domain', 'customer_360_access'],
      ports: ['customer_profile_stream', 'customer_snapshot_daily'],
      tags: ['pii', 'gdpr-scoped', 'tier-1'],
    });
    expect(data.products.logistics?.['fulfillment-kpis']).not.toHaveProperty('access_policy');
  });

  test('erased subjects come from governance/erasures/*.yaml', () => {
    expect(data.erased_subjects['cust-000123']).toEqual({ file: 'governance/erasures/2026-q4.yaml', requested_at: '2026-10-02', ticket: 'DPO-4411' });
    expect(Object.keys(data.erased_subjects).length).toBeGreaterThanOrEqual(3);
  });

  test('standards come from governance/standards.yaml', () => {
    expect(data.standards?.classifications.restricted?.max_retention_days).toBe(730);
    expect(data.standards?.tiers['tier-1']?.min_uptime_percent).toBe(99.9);
  });

  test('a spec change changes the data (nothing is written by hand)', () => {
    const product: MeshProductLike = {
      domain: 'sales',
      name: 'orders',
      file: 'domains/sales/orders/data-product.yaml',
      spec: { spec: { outputPorts: [{ name: 'orders_stream' }], governance: { pii_fields: ['email', 'email'], data_classification: 'confidential', retention_days: 30, access_policy: 'not a ref' } } },
    };
    const generated = generatePolicyData({ products: [product] });
    expect(generated.pii_registry).toEqual({ sales: { orders: ['email'] } });
    // an unparsable reference still points at a package nobody declares: fail closed
    expect(generated.products.sales?.orders?.access_package).toEqual(['invalid_reference', '_']);
    expect(generatePolicyData({ products: [product], invalidProducts: new Set(['sales/orders']) }).products).toEqual({});
  });

  describe('malformed governance files', () => {
    let repo: ReturnType<typeof scratchRepo>;
    beforeEach(() => (repo = scratchRepo()));
    afterEach(() => repo.dispose());

    test('erasure files: bad entries, unknown keys and duplicates are reported at their line', () => {
      repo.write('governance/erasures/2027-q1.yaml', 'erasures:\n  - subject_id: cust-000123\n  - ticket: X-1\n  - subject_id: cust-9\n    reason: typo\n');
      repo.write('governance/erasures/bad.yaml', 'erasures: [\n');
      repo.write('governance/erasures/flat.yaml', 'subjects: []\n');
      const { erasures, diagnostics } = readErasures(repo.root);
      expect(erasures['cust-9']).toBeDefined();
      expect(diagnostics).toEqual([
        expect.objectContaining({ code: 'MESH322', severity: 'warning', file: 'governance/erasures/2027-q1.yaml', line: 2, message: expect.stringContaining('already erased') }),
        expect.objectContaining({ code: 'MESH322', severity: 'error', file: 'governance/erasures/2027-q1.yaml', line: 3 }),
        expect.objectContaining({ code: 'MESH322', file: 'governance/erasures/2027-q1.yaml', line: 4, message: expect.stringContaining('reason') }),
        expect.objectContaining({ code: 'MESH322', file: 'governance/erasures/bad.yaml' }),
        expect.objectContaining({ code: 'MESH322', file: 'governance/erasures/flat.yaml', hint: 'see governance/erasures/README.md' }),
      ]);
    });

    test('erasure files: a malformed id (it would reach the erasure jobs\' SQL) and a duplicate in one file', () => {
      repo.write('governance/erasures/2027-q2.yaml', 'erasures:\n  - subject_id: "cust 1"\n  - subject_id: "x\'); DROP TABLE t; --"\n  - subject_id: cust-7\n  - subject_id: cust-7\n');
      const { erasures, diagnostics } = readErasures(repo.root);
      expect(Object.keys(erasures)).toContain('cust-7');
      expect(Object.keys(erasures).filter((id) => !/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/.test(id))).toEqual([]);
      expect(diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
        ['error', 2, expect.stringContaining('each erasure needs a subject_id (letters, digits, . _ : @ -)')],
        ['error', 3, expect.stringContaining('each erasure needs a subject_id')],
        ['warning', 5, 'governance/erasures/2027-q2.yaml: subject cust-7 is already erased in governance/erasures/2027-q2.yaml'],
      ]);
    });

    test('standards.yaml: gdpr.max_stream_erasure_days must be a positive integer', () => {
      repo.edit('governance/standards.yaml', /max_stream_erasure_days: 30/, 'max_stream_erasure_days: thirty');
      const { standards, diagnostics } = readStandards(repo.root);
      expect(standards).toBeUndefined();
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['MESH323', 'governance/standards.yaml: gdpr.max_stream_erasure_days must be a positive integer']]);
    });

    test('standards.yaml: missing limits are MESH323', () => {
      repo.write('governance/standards.yaml', 'classifications:\n  public: {}\n');
      const { standards, diagnostics } = readStandards(repo.root);
      expect(standards).toBeUndefined();
      expect(diagnostics.map((d) => d.code)).toEqual(['MESH323', 'MESH323', 'MESH323', 'MESH323']);
    });
  });
});

