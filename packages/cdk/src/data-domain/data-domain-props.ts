import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

export interface DataDomainProps {
  /** Domain name (kebab-case, from the domain map). */
  readonly domain: string;
  readonly ownerTeam: string;
  /** The domain's `oncall_pagerduty` service. */
  readonly oncall: string;
  /**
   * HTTPS endpoint that pages the on-call (PagerDuty's Amazon SNS integration URL of the service).
   * @default - no subscription (alerts stay on the topic)
   */
  readonly pagerDutyUrl?: string;
  /** Bucket for the workgroup's query results. */
  readonly queryResultsBucket: s3.IBucket;
  /** Its name as a literal (`DataPlatform.queryResultsBucketName`). @default - queryResultsBucket.bucketName */
  readonly queryResultsBucketName?: string;
  /**
   * Athena per-query cutoff on bytes scanned.
   * @default 1 TiB
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /** @default - `<domain>_domain` (`glueDatabaseName` of `@data-mesh/spec`) */
  readonly databaseName?: string;
  /** @default - `<domain>-domain` */
  readonly registryName?: string;
  /** @default - `<domain>-domain` */
  readonly workgroupName?: string;
  /**
   * DESTROY only with the `@data-mesh/cdk:allowDestroy` context flag.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
