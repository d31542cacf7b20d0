import { Duration, FeatureFlags, Stack, Token, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lf from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { dataRemovalPolicy } from '../common/removal-policy';
import { pascal } from '../common/names';
import { DataPlatformProps } from './data-platform-props';

/**
 * The platform's shared storage: a KMS key (rotated), the data buckets (SSE-KMS with bucket
 * keys, versioned, TLS-only, public access blocked, access-logged), an Athena results bucket,
 * an audit bucket (erasure records: no lifecycle rule, nothing expires), a server-access-log
 * bucket, and optionally Lake Formation settings. Everything is retained.
 */
export class DataPlatform extends Construct {
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  readonly queryResultsBucket: s3.Bucket;
  /** The results bucket's name as a literal, when it has a fixed one. */
  readonly queryResultsBucketName?: string;
  /** Audit records (the erasure jobs write under `erasure/`), encrypted with the platform key. */
  readonly auditBucket: s3.Bucket;
  /** The audit bucket's name as a literal, when it has a fixed one. */
  readonly auditBucketName?: string;
  readonly dataBuckets = new Map<string, s3.Bucket>();

  constructor(scope: Construct, id: string, props: DataPlatformProps) {
    super(scope, id);
    const removalPolicy = dataRemovalPolicy(this, props.removalPolicy);
    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'data-mesh platform data at rest', removalPolicy });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logs can only be delivered to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // With bucket-policy log delivery (the feature flag) the bucket needs no ACLs at all.
      objectOwnership: FeatureFlags.of(this).isEnabled('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy') ? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED : undefined,
      versioned: true,
      removalPolicy,
    });
    Validations.of(this.accessLogsBucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the server-access-log target; logging it into itself would loop' });

    const bucketProps = (prefix: string): s3.BucketProps => ({
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: prefix,
      removalPolicy,
    });

    this.queryResultsBucketName = props.queryResultsBucketName ?? defaultBucketName(this, 'query-results');
    this.queryResultsBucket = new s3.Bucket(this, 'QueryResults', {
      ...bucketProps('query-results/'),
      // A concrete name keeps grants on it free of cross-stack tokens.
      bucketName: this.queryResultsBucketName,
      // Athena results are a plain prefix (no table metadata points at them): expiry is safe.
      lifecycleRules: [{ id: 'expire-query-results', expiration: Duration.days(props.queryResultsRetentionDays ?? 30), noncurrentVersionExpiration: Duration.days(1) }],
    });

    this.auditBucketName = props.auditBucketName ?? defaultBucketName(this, 'audit');
    this.auditBucket = new s3.Bucket(this, 'Audit', { ...bucketProps('audit/'), bucketName: this.auditBucketName });

    for (const name of [...new Set(props.dataBucketNames)].sort()) {
      // Versioned data buckets keep Iceberg files safe from overwrite; noncurrent versions of
      // files Iceberg itself deleted (snapshot expiry) are removed after a grace period.
      const bucket = new s3.Bucket(this, `Data${pascal(name)}`, {
        ...bucketProps(`${name}/`),
        bucketName: name,
        lifecycleRules: [{ id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      });
      this.dataBuckets.set(name, bucket);
      if (props.registerLocations ?? true) {
        new lf.CfnResource(this, `Location${pascal(name)}`, { resourceArn: bucket.bucketArn, useServiceLinkedRole: true });
      }
    }

    if (props.lakeFormationAdmins && props.lakeFormationAdmins.length > 0) {
      new lf.CfnDataLakeSettings(this, 'LakeFormationSettings', {
        admins: props.lakeFormationAdmins.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
        // New tables get no IAMAllowedPrincipals grant: Lake Formation decides who reads.
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
      });
    }
  }
}

function defaultBucketName(scope: Construct, purpose: string): string | undefined {
  const { account, region } = Stack.of(scope);
  if (Token.isUnresolved(account) || Token.isUnresolved(region)) return undefined;
  return `data-mesh-${purpose}-${account}-${region}`;
}
