import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  test('the example specs meet every standard; their GDPR-scoped stream ports get the erasure-bound warning', async () => {
    const report = await checkStandards(ROOT, loadPolicyMesh(ROOT));
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const bound = report.diagnostics.filter((d) => d.code === 'MESH317');
    expect(bound.map((d) => [d.file, d.severity, d.message])).toEqual([
      ['domains/customer/customer-360/data-product.yaml', 'warning', expect.stringMatching(/^customer\/customer-360: erased subjects' records stay in topic customer-domain\.customer-360\.v2 up to 730 days .*bounds this at 30 days$/)],
      ['domains/customer/customer-events-v1/data-product.yaml', 'warning', expect.stringMatching(/^customer\/customer-events-v1: erased subjects' records stay in topic customer-domain\.customer-events-v1 up to 90 days /)],
    ]);
    for (const d of bound) expect(readFileSync(join(ROOT, d.file), 'utf8').split('\n')[d.line - 1]).toMatch(/^ {4}retention_days: \d+/);
    expect(report.diagnostics.filter((d) => d.code !== 'MESH317' && d.severity === 'warning')).toEqual([]);
  }, 60_000);

  test('MESH317: within gdpr.max_stream_erasure_days, or without it, no warning', async () => {
    const repo = scratchRepo();
    try {
      repo.edit('governance/standards.yaml', /max_stream_erasure_days: 30/, 'max_stream_erasure_days: 90');
      const within = await checkStandards(repo.root, loadPolicyMesh(ROOT));
      expect(within.diagnostics.filter((d) => d.code === 'MESH317').map((d) => d.file)).toEqual(['domains/customer/customer-360/data-product.yaml']);
      repo.edit('governance/standards.yaml', /\n {2}max_stream_erasure_days: 90/, '');
      const unbounded = await checkStandards(repo.root, loadPolicyMesh(ROOT));
      expect(unbounded.diagnostics.filter((d) => d.code === 'MESH317')).toEqual([]);
    } finally {
      repo.dispose();
    }
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
