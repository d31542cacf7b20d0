import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateProbes, loadPolicyMesh, runPolicyTests, runProbes, buildPolicyData } from '../src';
import { requireOpa, ROOT, scratchRepo } from './helpers';

beforeAll(requireOpa);

const mesh = loadPolicyMesh(ROOT);

describe('generated PII probes', () => {
  test('one set of probes per PII field of every product', () => {
    const { data } = buildPolicyData(ROOT, mesh);
    const probes = generateProbes(data);
    const fields = Object.entries(data.pii_registry).flatMap(([d, ps]) => Object.entries(ps).flatMap(([p, fs]) => fs.map((f) => `${d}/${p}#${f}`)));
    expect(fields.length).toBeGreaterThanOrEqual(9);
    for (const field of fields) {
      const kinds = probes.filter((p) => `${p.domain}/${p.product}#${p.field}` === field).map((p) => p.kind);
      expect(kinds).toEqual(expect.arrayContaining(['no-role-denied', 'role-allowed', 'erased-subject-denied']));
    }
    // restricted products also get the retention probe
    expect(probes.filter((p) => p.product === 'customer-360' && p.kind === 'old-record-denied')).toHaveLength(3);
    expect(probes.filter((p) => p.product === 'customer-events-v1' && p.kind === 'old-record-denied')).toHaveLength(0);
    expect(probes.some((p) => p.domain === 'payments')).toBe(false);
  });

  test('the example mesh passes every probe', async () => {
    const report = await runProbes(ROOT, mesh);
    expect(report.diagnostics).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(35);
  }, 60_000);

  describe('a policy edit that drops the PII role check', () => {
    let repo: ReturnType<typeof scratchRepo>;
    beforeAll(() => {
      repo = scratchRepo();
      // over-grant: the pii denial no longer looks at the caller's roles
      repo.edit('governance/policies/access.rego', /reasons contains reason if \{\n\tnot has_pii_role\n/, 'reasons contains reason if {\n\tfalse\n');
    });
    afterAll(() => repo.dispose());

    test('makes probes fail, each naming the product and the field, at the field in the spec', async () => {
      const report = await runProbes(repo.root, mesh);
      expect(report.failed).toBeGreaterThanOrEqual(9);
      const c360 = report.diagnostics.find((d) => d.message.includes("'email_hash' of customer/customer-360"));
      expect(c360).toMatchObject({
        severity: 'error',
        code: 'MESH330',
        file: 'domains/customer/customer-360/data-product.yaml',
        message: "probe no-role-denied failed for PII field 'email_hash' of customer/customer-360: a read without role pii_authorized must be denied, but it was allowed",
      });
      const specText = fs.readFileSync(path.join(ROOT, 'domains/customer/customer-360/data-product.yaml'), 'utf8').split('\n');
      expect(specText[(c360?.line ?? 0) - 1]).toContain('pii_fields');
      expect(specText[(c360?.line ?? 0) - 1]?.slice((c360?.column ?? 1) - 1)).toMatch(/^email_hash/);
      expect(report.diagnostics.every((d) => d.message.includes('no-role-denied'))).toBe(true);
    }, 60_000);

    test('makes a Rego test fail, naming the product and the field', async () => {
      const report = await runPolicyTests(repo.root, { mesh, coverage: false });
      const failed = report.diagnostics.filter((d) => d.code === 'MESH301');
      expect(failed.length).toBeGreaterThanOrEqual(1);
      const meshTest = failed.find((d) => d.message.includes('test_no_pii_field_is_served_without_the_role'));
      expect(meshTest?.file).toBe('governance/policies/mesh_test.rego');
      expect(meshTest?.message).toContain('PII over-grant: field email_hash of product customer/customer-360 is served without role pii_authorized');
      expect(meshTest?.message).toContain('field ip_address of product customer/customer-events-v1');
      // and the unit test of the rule fails too
      expect(failed.map((d) => d.message).join('\n')).toContain('test_pii_field_is_denied_without_role');
    }, 60_000);
  });

  test('a policy edit that refuses legitimate reads fails the role-allowed probes', async () => {
    const repo = scratchRepo();
    try {
      repo.edit('domains/customer/policies/customer_360_access.rego', 'export_purpose_declared if input.subject.purpose in export_purposes', 'export_purpose_declared if input.subject.purpose in export_purposes\n\ndeny contains {"code": "closed", "message": "closed"} if input.action == "read"');
      const report = await runProbes(repo.root, mesh);
      const failed = report.outcomes.filter((o) => !o.passed);
      expect(new Set(failed.map((o) => `${o.probe.kind} ${o.probe.product}`))).toEqual(new Set(['role-allowed customer-360']));
      expect(report.diagnostics[0]?.message).toMatch(/role-allowed failed for PII field '\w+' of customer\/customer-360: .* but it was denied \(closed\)/);
    } finally {
      repo.dispose();
    }
  }, 60_000);
});

describe('runPolicyChecks (the policy side of mesh check)', () => {
  test('clean on the example mesh; the over-grant edit fails it with probe and Rego test diagnostics', async () => {
    const clean = await (await import('../src')).runPolicyChecks(ROOT, { mesh, lint: true });
    // only the examples' known warnings: two GDPR-scoped streams retained beyond the erasure bound
    expect(clean.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}`)).toEqual([
      'warning MESH317 domains/customer/customer-360/data-product.yaml',
      'warning MESH317 domains/customer/customer-events-v1/data-product.yaml',
    ]);
    expect(clean.tests?.coverage).toBeGreaterThanOrEqual(90);
    expect(clean.probes.passed).toBeGreaterThan(0);
    const repo = scratchRepo();
    try {
      repo.edit('governance/policies/access.rego', /reasons contains reason if \{\n\tnot has_pii_role\n/, 'reasons contains reason if {\n\tfalse\n');
      const broken = await (await import('../src')).runPolicyChecks(repo.root, { mesh });
      const codes = new Set(broken.diagnostics.map((d) => d.code));
      expect(codes).toEqual(new Set(['MESH301', 'MESH317', 'MESH330']));
      // without the Rego tests (mesh check when no policy changed), the probes still catch it
      const probesOnly = await (await import('../src')).runPolicyChecks(repo.root, { mesh, tests: false });
      expect(probesOnly.tests).toBeUndefined();
      expect(new Set(probesOnly.diagnostics.map((d) => d.code))).toEqual(new Set(['MESH317', 'MESH330']));
    } finally {
      repo.dispose();
    }
  }, 120_000);
});
