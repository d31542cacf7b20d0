import { parseQualityRule } from '@data-mesh/spec';
import { App, Stack } from 'aws-cdk-lib';
import { DataDomain, DataPlatform, ProductDefinition, ProductQualityCheck } from '../src';

export const ENV = { account: '111111111111', region: 'eu-west-1' };
export const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:111111111111:cluster/mesh/abcd-1234';

export function check(rule: string, severity?: 'error' | 'warning'): ProductQualityCheck {
  const parsed = parseQualityRule(rule);
  if (!parsed.ok) throw new Error(parsed.message);
  return { rule, expression: parsed.expression, severity, columns: parsed.columns.map((c) => c.name) };
}

export const PROFILE_V1 = JSON.stringify({ type: 'record', name: 'Profile', fields: [{ name: 'customer_id', type: 'string' }] });
export const PROFILE_V2 = JSON.stringify({ type: 'record', name: 'Profile', fields: [{ name: 'customer_id', type: 'string' }, { name: 'tier', type: ['null', 'string'], default: null }] });

export function product(overrides: Partial<ProductDefinition> = {}): ProductDefinition {
  return {
    domain: 'customer',
    name: 'customer-360',
    version: '2.1.0',
    ownerTeam: 'customer-platform',
    description: 'Unified customer profile',
    tags: ['pii', 'tier-1'],
    classification: 'restricted',
    retentionDays: 730,
    piiFields: ['email_hash', 'full_name'],
    outputPorts: [
      {
        name: 'customer_profile_stream', type: 'stream', subject: 'customer_profile_v2', schemaVersions: [PROFILE_V1, PROFILE_V2],
        columns: [{ name: 'customer_id', type: 'string' }, { name: 'tier', type: 'string' }],
        catalogFields: [{ path: 'customer_id', nativeType: 'string' }, { path: 'tier', nativeType: 'string', nullable: true }],
        topic: 'customer-domain.customer-360.v2', compatibility: 'BACKWARD_TRANSITIVE', freshness: '< 5 minutes', uptime: '99.9%', maxStalenessSeconds: 300,
      },
      {
        name: 'customer_snapshot_daily', type: 'batch', subject: 'customer_snapshot_v2', schemaVersions: [PROFILE_V2],
        columns: [
          { name: 'customer_id', type: 'string', required: true },
          { name: 'email_hash', type: 'string' },
          { name: 'full_name', type: 'string' },
          { name: 'lifetime_value_usd', type: 'double' },
          { name: 'last_seen_at', type: 'timestamp' },
          { name: 'contact', type: 'struct<city:string,phone_hash:string>' },
          { name: 'snapshot_date', type: 'date' },
        ],
        catalogFields: [{ path: 'customer_id', nativeType: 'string' }],
        location: 's3://data-mesh-prod/customer-domain/customer-360/v2/', partitioning: 'year/month/day', timeColumn: 'snapshot_date',
        compatibility: 'BACKWARD_TRANSITIVE', freshness: '< 2 hours after midnight UTC', uptime: '99.9%', maxStalenessSeconds: 93_600,
      },
    ],
    inputs: [{ sourceProduct: 'customer/customer-events-v1', fields: ['customer_id'], topics: ['customer-domain.customer-events.v1'], upstreamUrns: ['urn:li:dataset:(urn:li:dataPlatform:kafka,customer-domain.customer-events.v1,PROD)'] }],
    qualityChecks: [
      check('customer_id IS NOT NULL'),
      check('lifetime_value_usd >= 0'),
      check('last_seen_at > (NOW() - INTERVAL 30 DAY)', 'warning'),
    ],
    ...overrides,
  };
}

export function platformAndDomain(app: App) {
  const platformStack = new Stack(app, 'Platform', { env: ENV });
  const platform = new DataPlatform(platformStack, 'Platform', { dataBucketNames: ['data-mesh-prod'] });
  const domain = new DataDomain(platformStack, 'Customer', {
    domain: 'customer', ownerTeam: 'customer-platform', oncall: 'customer-data-oncall',
    pagerDutyUrl: 'https://events.pagerduty.com/integration/abc/enqueue', queryResultsBucket: platform.queryResultsBucket,
  });
  return { platformStack, platform, domain };
}
