import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AthenaWorkgroup, CatalogRegistration, FreshnessMonitor, IcebergTable, KafkaTopic, QualityRuleset } from '../src';
import { check, CLUSTER_ARN, ENV } from './fixtures';

const stack = () => new Stack(new App(), 'S', { env: ENV });

describe('documented defaults', () => {
  it('AthenaWorkgroup: 1 TiB cutoff, engine version 3, results under <name>/, SSE-KMS, enforced, retained', () => {
    const s = stack();
    new AthenaWorkgroup(s, 'W', { workgroupName: 'sales-domain', resultsBucket: new s3.Bucket(s, 'B', { bucketName: 'results-b' }), encryptionKey: new kms.Key(s, 'K') });
    Template.fromStack(s).hasResource('AWS::Athena::WorkGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        Name: 'sales-domain',
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: 1_099_511_627_776,
          EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
          ResultConfiguration: Match.objectLike({ OutputLocation: 's3://results-b/sales-domain/', EncryptionConfiguration: Match.objectLike({ EncryptionOption: 'SSE_KMS' }) }),
        }),
      },
    });
  });

  it('IcebergTable: format v2, parquet/zstd, unpartitioned, retained, Glue table kept on delete', () => {
    const s = stack();
    new IcebergTable(s, 'T', { database: { databaseName: 'd' }, tableName: 't', location: 's3://bkt/p', columns: [{ name: 'id', type: 'bigint' }] });
    Template.fromStack(s).hasResource('Custom::IcebergTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        Location: 's3://bkt/p/',
        PartitionSpec: JSON.stringify({ 'spec-id': 0, fields: [] }),
        TableProperties: JSON.stringify({ 'format-version': '2', 'write.format.default': 'parquet', 'write.parquet.compression-codec': 'zstd' }),
        DeleteTableOnDelete: 'false',
      }),
    });
  });

  it('FreshnessMonitor: DataMesh/Freshness namespace, 6-hour cap, alarm and OK actions on the topic', () => {
    const s = stack();
    const topic = new KafkaTopic(s, 'K', { clusterArn: CLUSTER_ARN, topicName: 'a.v1' });
    const m = new FreshnessMonitor(s, 'F', { domain: 'd', product: 'p', port: 'o', target: { kind: 'topic', topic, bootstrapBrokers: 'b:9098' }, maxStalenessSeconds: 7 * 86_400, alertTopic: new sns.Topic(s, 'A') });
    expect(m.scheduleExpression).toBe('rate(6 hours)');
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'DataMesh/Freshness', Period: 43_200, OKActions: Match.anyValue(), AlarmActions: Match.anyValue() });
  });

  it('QualityRuleset: pipeline events come from data-mesh.pipeline; severity defaults to error', () => {
    const s = stack();
    const q = new QualityRuleset(s, 'Q', { rulesetName: 'r', databaseName: 'd', tableName: 't', checks: [{ ...check('a IS NOT NULL'), severity: undefined }] });
    expect(q.rulesetNames).toEqual(['r']);
    Template.fromStack(s).hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['data-mesh.pipeline', 'aws.glue'] }) });
  });

  it('CatalogRegistration: PROD environment, https only', () => {
    const s = stack();
    const c = new CatalogRegistration(s, 'C', { serverUrl: 'https://gms', domain: 'd', product: 'p', version: '1.0.0', ownerTeam: 'team', classification: 'internal', tags: ['tier-1'], description: 'x', ports: [{ name: 'o', platform: 'kafka', datasetName: 'a.v1', freshness: '< 5 minutes', uptime: '99.9%', schemaName: 's', fields: [{ path: 'id', nativeType: 'string' }] }] });
    expect(c.proposals.filter((p) => p.entityType === 'dataset').map((p) => p.aspectName)).toEqual(['datasetProperties', 'ownership', 'domains', 'glossaryTerms', 'schemaMetadata', 'deprecation', 'status', 'upstreamLineage']);
    expect(c.proposals[0].entityUrn).toBe('urn:li:dataset:(urn:li:dataPlatform:kafka,a.v1,PROD)');
    expect(() => new CatalogRegistration(s, 'D', { serverUrl: 'http://gms', domain: 'd', product: 'p', version: '1', ownerTeam: 't', classification: 'c', tags: [], description: '', ports: [] })).toThrow(/https/);
  });
});
