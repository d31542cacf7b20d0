import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

export interface AthenaWorkgroupProps {
  /** Workgroup name (the domain). Changing it replaces the workgroup. */
  readonly workgroupName: string;
  /** Bucket receiving query results. */
  readonly resultsBucket: s3.IBucket;
  /**
   * The bucket's name as a literal, when it has a fixed one: grants then carry no cross-stack import.
   * @default - the bucket's fixed name when it is defined in this app with one, else resultsBucket.bucketName
   */
  readonly resultsBucketName?: string;
  /** @default - `<workgroupName>/` */
  readonly resultsPrefix?: string;
  /** Key encrypting the results (SSE-KMS). */
  readonly encryptionKey: kms.IKey;
  /**
   * Per-query cutoff on bytes scanned.
   * @default 1 TiB (1_099_511_627_776)
   */
  readonly bytesScannedCutoffPerQuery?: number;
  /**
   * Pinned engine version.
   * @default 'Athena engine version 3'
   */
  readonly engineVersion?: string;
  /** @default - none */
  readonly description?: string;
  /**
   * DESTROY only with the `@data-mesh/cdk:allowDestroy` context flag.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
