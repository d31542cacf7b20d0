import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DataProduct, IcebergTable, LakeFormationGrants, measurementIntervalMinutes, rateExpression, Retention } from '../src';
import { CLUSTER_ARN, ENV, platformAndDomain, product } from './fixtures';

describe('LakeFormationGrants', () => {
  const columns = [
    { name: 'customer_id', type: 'string' },
    { name: 'email_hash', type: 'string' },
    { name: 'contact', type: 'struct<city:string,phone_hash:string>' },
    { name: 'payload', type: 'struct<amount:double,currency:string>' },
  ];
  const grant = (fields: string[], piiAuthorized?: boolean | string[]) => {
    const s = new Stack(new App(), 'S', { env: ENV });
    const g = new LakeFormationGrants(s, 'G', {
      databaseName: 'customer_domain', tableName: 't', columns, piiFields: ['email_hash', 'phone_hash'],
      consumers: [{ consumer: 'payments/x', principalArn: 'arn:aws:iam::111111111111:role/x', fields, piiAuthorized }],
    });
    return { g, t: Template.fromStack(s) };
  };

  it('grants SELECT on the declared columns and withholds PII, also PII nested in a struct', () => {
    const { g, t } = grant(['customer_id', 'email_hash', 'contact.city', 'amount']);
    expect(g.grants[0]).toEqual({ consumer: 'payments/x', principalArn: 'arn:aws:iam::111111111111:role/x', columns: ['customer_id', 'payload'], excludedPiiColumns: ['email_hash', 'contact'] });
    t.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Permissions: ['SELECT'], PermissionsWithGrantOption: [],
      Resource: { TableWithColumns: { DatabaseName: 'customer_domain', Name: 't', ColumnNames: ['customer_id', 'payload'] } },
    });
  });

  it('grants PII columns to an authorized consumer', () => {
    const { g } = grant(['customer_id', 'email_hash'], true);
    expect(g.grants[0].columns).toEqual(['customer_id', 'email_hash']);
  });

  it('grants only the PII columns an authorization lists (a column holding another PII field stays withheld)', () => {
    const { g } = grant(['customer_id', 'email_hash', 'contact.city'], ['email_hash']);
    expect(g.grants[0]).toMatchObject({ columns: ['customer_id', 'email_hash'], excludedPiiColumns: ['contact'] });
    expect(grant(['customer_id', 'email_hash', 'contact.city'], ['phone_hash']).g.grants[0]).toMatchObject({ columns: ['customer_id', 'contact'], excludedPiiColumns: ['email_hash'] });
  });

  it('creates no grant when every declared column is PII', () => {
    const { t } = grant(['email_hash']);
    t.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  });
});

describe('FreshnessMonitor interval', () => {
  it.each([
    [300, 2, 'rate(2 minutes)'], [60, 1, 'rate(1 minute)'], [30, 1, 'rate(1 minute)'],
    [7200, 60, 'rate(1 hour)'], [93_600, 360, 'rate(6 hours)'], [1800, 15, 'rate(15 minutes)'],
  ])('SLA %ss -> every %s min (%s), at most half the SLA', (sla, minutes, rate) => {
    expect(measurementIntervalMinutes(sla)).toBe(minutes);
    expect(rateExpression(minutes)).toBe(rate);
    if (sla >= 120) expect(minutes * 60).toBeLessThanOrEqual(sla / 2);
  });
});

describe('Retention', () => {
  it('refuses S3 lifecycle expiry under a table, and allows it on a plain prefix', () => {
    const s = new Stack(new App(), 'S', { env: ENV });
    const table = new IcebergTable(s, 'T', { database: { databaseName: 'd' }, tableName: 't', location: 's3://data-mesh-prod/x/t/v1/', columns: [{ name: 'id', type: 'bigint' }, { name: 'at', type: 'timestamp' }] });
    const bucket = new s3.Bucket(s, 'B', { bucketName: 'data-mesh-prod' });
    expect(() => new Retention(s, 'Bad', { retentionDays: 30, tables: [{ table, timeColumn: 'at' }], plainPrefixes: [{ bucket, prefix: 'x/' }] })).toThrow(/overlaps Iceberg table t/);
    new Retention(s, 'Ok', { retentionDays: 30, plainPrefixes: [{ bucket, prefix: 'landing/' }] });
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Id: 'retention-landing-', Prefix: 'landing/', ExpirationInDays: 30, Status: 'Enabled' }] } });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in a platform, a domain and a product', () => {
    const app = new App();
    const { platform, domain } = platformAndDomain(app);
    const stack = new Stack(app, 'Customer', { env: ENV });
    new DataProduct(stack, 'P', { product: product(), domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' }, catalogServerUrl: 'https://datahub.internal' });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synth on an unacknowledged finding (the check is live)', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad', { env: ENV });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
