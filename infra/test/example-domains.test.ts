import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '@data-mesh/spec';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthesize, type SynthesizeResult } from '../src';

// One synthesis of the real example domains (domains/), with cdk-nag's AwsSolutions pack on
// every stack; every test below reads its templates.
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

let result: SynthesizeResult;
const templates = new Map<string, Template>();
const raw = new Map<string, { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }> }>();

beforeAll(async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-'));
  result = await synthesize(ROOT, out);
  for (const t of result.templates) {
    const json = JSON.parse(fs.readFileSync(t.templatePath, 'utf8'));
    raw.set(t.stackName, json);
    templates.set(t.stackName, Template.fromJSON(json));
  }
});

const stack = (name: string): Template => {
  const t = templates.get(name);
  if (!t) throw new Error(`no template ${name}; have ${[...templates.keys()].join(', ')}`);
  return t;
};
const resourcesOf = (type: string) => [...raw.values()].flatMap((t) => Object.values(t.Resources).filter((r) => r.Type === type));

describe('mesh synth on the example domains', () => {
  it('writes the platform, one stack per domain, the access and the governance stacks, with no error', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.templates.map((t) => t.stackName).sort()).toEqual(['DataMesh-Access', 'DataMesh-Customer', 'DataMesh-Dashboards', 'DataMesh-Governance', 'DataMesh-Logistics', 'DataMesh-Payments', 'DataMesh-Platform']);
    for (const t of result.templates) expect(t.resourceCount).toBeLessThanOrEqual(500);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding on any stack, and every acknowledgement has a reason', () => {
    expect(result.diagnostics.filter((d) => d.code === 'MESH508')).toEqual([]);
    const report = JSON.parse(fs.readFileSync(path.join(result.outDir, 'validation-report.json'), 'utf8'));
    for (const p of report.pluginReports) expect(p.violations).toEqual([]);
    // every acknowledgement (metadata written by Validations.acknowledge) says why
    const acks: [string, string][] = [];
    for (const t of result.templates) {
      const metadata = JSON.parse(fs.readFileSync(t.templatePath.replace(/\.template\.json$/, '.metadata.json'), 'utf8')) as Record<string, { type: string; data: Record<string, string> }[]>;
      for (const entries of Object.values(metadata)) for (const e of entries) if (e.type === 'aws:cdk:acknowledged-rules') acks.push(...Object.entries(e.data));
    }
    expect(acks.length).toBeGreaterThan(0);
    for (const [id, reason] of acks) {
      expect(id).toMatch(/AwsSolutions-/);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it('customer-360: topic, Glue schema compatibility, Iceberg columns and partition spec', () => {
    const t = stack('DataMesh-Customer');
    t.hasResourceProperties('AWS::MSK::Topic', {
      TopicName: 'customer-domain.customer-360.v2',
      PartitionCount: 6,
      ReplicationFactor: 3,
      Configs: Buffer.from(JSON.stringify({ 'cleanup.policy': 'delete', 'retention.ms': String(730 * 86_400_000), 'min.insync.replicas': '2' })).toString('base64'),
    });
    t.hasResourceProperties('AWS::Glue::Schema', { Name: 'customer_profile_v2', Compatibility: 'BACKWARD_ALL', DataFormat: 'AVRO' });
    const table = Object.values(raw.get('DataMesh-Customer')!.Resources).find((r) => r.Type === 'Custom::IcebergTable' && r.Properties?.TableName === 'customer_360_customer_snapshot_daily');
    expect(table).toBeDefined();
    const schema = JSON.parse(table!.Properties!.Schema as string);
    const avsc = JSON.parse(fs.readFileSync(path.join(ROOT, 'domains/customer/schemas/customer_snapshot_v2.avsc'), 'utf8'));
    expect(schema.fields.map((f: { name: string }) => f.name)).toEqual(avsc.fields.map((f: { name: string }) => f.name));
    expect(schema.fields.map((f: { id: number }) => f.id)).toEqual(avsc.fields.map((_: unknown, i: number) => i + 1));
    expect(schema.fields.find((f: { name: string }) => f.name === 'lifetime_value_usd').type).toBe('decimal(18, 2)');
    expect(schema.fields.find((f: { name: string }) => f.name === 'last_seen_at').type).toBe('timestamptz');
    expect(schema.fields.find((f: { name: string }) => f.name === 'email_hash').required).toBe(false);
    expect(JSON.parse(table!.Properties!.PartitionSpec as string)).toEqual({ 'spec-id': 0, fields: [{ 'source-id': 1, 'field-id': 1000, name: 'snapshot_date_day', transform: 'day' }] });
    expect(table!.Properties!.Location).toBe('s3://data-mesh-prod/customer-domain/customer-360/v2/');
  });

  it('customer-360: DQDL translated from the quality checks, warnings in their own ruleset', () => {
    const t = stack('DataMesh-Customer');
    t.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'customer-customer-360-customer_snapshot_daily',
      Ruleset: [
        'Rules = [',
        '    IsComplete "customer_id",',
        '    ColumnValues "lifetime_value_usd" >= 0,',
        '    Completeness "email_domain" >= 0.95,',
        '    ColumnValues "tier" in ["bronze", "silver", "gold", "platinum"],',
        '    ColumnValues "active_subscriptions" >= 0,',
        '    ColumnValues "support_ticket_count_90d" >= 0',
        ']',
      ].join('\n'),
      TargetTable: { DatabaseName: 'customer_domain', TableName: 'customer_360_customer_snapshot_daily' },
    });
    t.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'customer-customer-360-customer_snapshot_daily-warnings',
      Ruleset: 'Rules = [\n    ColumnValues "last_seen_at" > (now() - 30 days)\n]',
    });
    // what runs it: pipeline completion and table commits start an evaluation
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['Pipeline Run Succeeded', 'Glue Data Catalog Table State Change'], detail: { databaseName: ['customer_domain'], tableName: ['customer_360_customer_snapshot_daily'] } }),
    });
  });

  it('customer-360: freshness schedule at most half the SLA with no flexible window, alarm breaching on missing data', () => {
    const t = stack('DataMesh-Customer');
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(2 minutes)', // < 5 minutes
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Input: Match.stringLikeRegexp('"kind":"topic".*"topicName":"customer-domain.customer-360.v2"') }),
    });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)', // < 2 hours after midnight UTC: 26 h worst case, capped at 6 h
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: Match.objectLike({ Input: Match.stringLikeRegexp('"kind":"table".*"tableName":"customer_360_customer_snapshot_daily"') }),
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 300,
      TreatMissingData: 'breaching',
      ComparisonOperator: 'GreaterThanThreshold',
      MetricName: 'AgeSeconds',
      Namespace: 'DataMesh/Freshness',
      Dimensions: Match.arrayWith([{ Name: 'Port', Value: 'customer_profile_stream' }]),
      AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('DomainCustomerAlerts') }],
    });
  });

  it('every domain pages its on-call through a KMS-encrypted, TLS-only topic with an HTTPS subscription', () => {
    const p = stack('DataMesh-Platform');
    p.resourceCountIs('AWS::SNS::Topic', 3);
    for (const r of resourcesOf('AWS::SNS::Topic')) expect(r.Properties!.KmsMasterKeyId).toBeDefined();
    p.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: Match.stringLikeRegexp('^https://events.pagerduty.com/') });
    p.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: Match.objectLike({ Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) }) });
    p.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'customer-domain',
      WorkGroupConfiguration: Match.objectLike({ EnforceWorkGroupConfiguration: true, EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' }, ResultConfiguration: Match.objectLike({ EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }) }),
    });
  });

  it('Lake Formation grants give consumers SELECT on the columns they declared, never a PII column', () => {
    const mesh = loadMesh(ROOT);
    const grants = resourcesOf('AWS::LakeFormation::PrincipalPermissions').filter((r) => JSON.stringify(r.Properties).includes('-pipeline'));
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) {
      const props = g.Properties as { Permissions: string[]; PermissionsWithGrantOption: string[]; Resource: { TableWithColumns: { DatabaseName: string; Name: string; ColumnNames: string[] } } };
      expect(props.Permissions).toEqual(['SELECT']);
      expect(props.PermissionsWithGrantOption).toEqual([]);
      const { Name, ColumnNames } = props.Resource.TableWithColumns;
      const source = mesh.validProducts().find((p) => p.outputPorts.some((o) => `${p.name.replace(/-/g, '_')}_${o.name}` === Name));
      expect(source).toBeDefined();
      const pii = source!.spec.spec.governance?.pii_fields ?? [];
      for (const c of ColumnNames) expect(pii).not.toContain(c);
    }
  });

  it('retains every stateful resource on delete and on replacement', () => {
    const STATEFUL = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::MSK::Topic', 'AWS::Glue::Schema', 'AWS::Glue::SchemaVersion', 'AWS::Glue::Registry', 'AWS::Glue::Database', 'Custom::IcebergTable', 'AWS::Logs::LogGroup', 'AWS::Athena::WorkGroup'];
    const seen = new Set<string>();
    const offenders: string[] = [];
    for (const [name, t] of raw) {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (!STATEFUL.includes(r.Type)) continue;
        seen.add(r.Type);
        if (r.DeletionPolicy !== 'Retain' || r.UpdateReplacePolicy !== 'Retain') offenders.push(`${name}/${id} (${r.Type}): DeletionPolicy ${r.DeletionPolicy}, UpdateReplacePolicy ${r.UpdateReplacePolicy}`);
      }
    }
    expect(offenders).toEqual([]);
    // the check saw the kinds it guards (the example mesh has no second schema version yet)
    expect([...seen].sort()).toEqual(STATEFUL.filter((s) => s !== 'AWS::Glue::SchemaVersion').sort());
  });

  it('records the topics it would deploy, for the next synth to compare against', () => {
    const manifest = JSON.parse(fs.readFileSync(result.topicManifestPath!, 'utf8'));
    expect(manifest['customer/customer-360/customer_profile_stream']).toEqual({
      topicName: 'customer-domain.customer-360.v2', clusterArn: expect.stringMatching(/^arn:aws:kafka:/), partitions: 6, replicationFactor: 3,
    });
  });
});
