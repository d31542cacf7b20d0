import { parse } from 'yaml';
import { checkStandards, loadPolicyMesh, type MeshProductLike } from '../src';
import { requireOpa, ROOT, scratchRepo } from './helpers';

beforeAll(requireOpa);

const SPEC = `apiVersion: data-mesh/v1
kind: DataProduct
metadata:
  name: leads
  version: "1.0.0"
  owner: sales-eng
  domain: sales
  tags: [tier-1, gdpr-scoped]
spec:
  description: Sales leads
  outputPorts:
    - name: leads_stream
      type: stream
      format: avro
      schema: "schema-registry://sales/leads_v1"
      topic: "sales-domain.leads.v1"
      sla:
        freshness: "< 5 minutes"
        uptime: "99.9%"
    - name: leads_daily
      type: batch
      format: parquet
      schema: "schema-registry://sales/leads_v1"
      location: "s3://data-mesh-prod/sales-domain/leads/v1/"
      sla:
        freshness: "< 2 hours after midnight UTC"
        uptime: "99.5%"
  governance:
    pii_fields: [email]
    data_classification: internal
    retention_days: 4000
    gdpr_subject_to_erasure: false
`;

describe('publish-time standards (data_mesh.standards through the wasm)', () => {
  test('the example specs meet every standard', async () => {
    const report = await checkStandards(ROOT, loadPolicyMesh(ROOT));
    expect(report.diagnostics).toEqual([]);
  }, 60_000);

  test('each finding is a diagnostic at the YAML node it is about', async () => {
    const repo = scratchRepo();
    try {
      const file = 'domains/sales/leads/data-product.yaml';
      repo.write(file, SPEC);
      const product: MeshProductLike = { domain: 'sales', name: 'leads', file, spec: parse(SPEC) };
      const report = await checkStandards(repo.root, { products: [product] });
      const at = (code: string) => report.diagnostics.filter((d) => d.code === code).map((d) => [d.line, d.column]);
      expect(report.diagnostics.map((d) => d.code).sort()).toEqual(['MESH310', 'MESH311', 'MESH313', 'MESH315', 'MESH316']);
      expect(at('MESH310')).toEqual([[8, 9]]); // metadata.tags
      expect(at('MESH311')).toEqual([[30, 26]]); // data_classification value
      expect(at('MESH313')).toEqual([[29, 5]]); // spec.governance (its first entry)
      expect(at('MESH315')).toEqual([[31, 21]]); // retention_days value
      expect(at('MESH316')).toEqual([[27, 17]]); // the second port's uptime
      const retention = report.diagnostics.find((d) => d.code === 'MESH315');
      expect(retention).toMatchObject({
        severity: 'error',
        file,
        message: "sales/leads: retention_days 4000 exceeds the 1825-day limit for 'internal' data",
      });
      expect(retention?.hint).toContain('governance/standards.yaml');
    } finally {
      repo.dispose();
    }
  }, 60_000);

  test('limits come from governance/standards.yaml', async () => {
    const repo = scratchRepo();
    try {
      repo.edit('governance/standards.yaml', /restricted:\n {4}max_retention_days: 730/, 'restricted:\n    max_retention_days: 365');
      const report = await checkStandards(repo.root, loadPolicyMesh(ROOT));
      const products = report.diagnostics.filter((d) => d.code === 'MESH315').map((d) => d.file).sort();
      expect(products).toEqual(['domains/customer/customer-360/data-product.yaml', 'domains/customer/customer-profile-snapshot/data-product.yaml']);
    } finally {
      repo.dispose();
    }
  }, 60_000);
});
