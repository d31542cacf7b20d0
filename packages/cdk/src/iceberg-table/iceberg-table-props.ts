import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FunctionNetwork } from '../common/lambda';
import { TableColumn } from './iceberg-schema';

/** A Glue database, as the construct needs it. */
export interface GlueDatabaseRef {
  readonly databaseName: string;
  /** @default - the stack's account */
  readonly catalogId?: string;
}

export interface IcebergTableProps {
  readonly database: GlueDatabaseRef;
  /** Glue table name: lower case, digits, underscores. */
  readonly tableName: string;
  /** Table location, `s3://bucket/prefix/`. */
  readonly location: string;
  /** The current columns (usually `avroToIceberg(schema)` from `@data-mesh/schema-compat`). */
  readonly columns: readonly TableColumn[];
  /**
   * The columns of every earlier schema version, oldest first, used only to keep field ids
   * stable (a column keeps its id; a dropped column's id is never reused).
   * @default - no earlier version
   */
  readonly previousColumns?: readonly (readonly TableColumn[])[];
  /**
   * The port's `partitioning`: `year/month/day` or Iceberg transforms (`day(ts), bucket(16, id)`).
   * @default - unpartitioned
   */
  readonly partitioning?: string;
  /**
   * The time column `year/month/day` partitions on.
   * @default - `defaultTimeColumn`: a required date/timestamp column named as a partition or business date, else the first required one
   */
  readonly timeColumn?: string;
  /** The bucket holding `location` (for grants). @default - grants are scoped by ARN built from the location */
  readonly bucket?: s3.IBucket;
  /** The key the bucket is encrypted with (for grants). @default - no KMS grant */
  readonly encryptionKey?: kms.IKey;
  /** Extra Iceberg table properties. @default - none beyond format-version 2 and parquet/zstd */
  readonly properties?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly description?: string;
  /** Where the custom-resource function runs. @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /**
   * RETAIN keeps the table (and its data) when the resource is deleted; DESTROY (only with the
   * `@data-mesh/cdk:allowDestroy` context flag) drops the Glue table, never the S3 data.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
