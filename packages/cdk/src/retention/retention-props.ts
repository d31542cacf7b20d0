import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IcebergTable } from '../iceberg-table/iceberg-table';

/** A plain (non-table) prefix whose objects simply expire. */
export interface PlainPrefixRetention {
  /** A bucket defined in this app (lifecycle rules are part of the bucket resource). */
  readonly bucket: s3.Bucket;
  /** Key prefix, e.g. `raw/landing/`. Must not overlap an Iceberg table's location. */
  readonly prefix: string;
}

export interface RetentionProps {
  /** How long records are kept, in days (`governance.retention_days`). */
  readonly retentionDays: number;
  /**
   * Iceberg tables whose snapshots expire. Records older than `retentionDays` are deleted by a
   * row-level DELETE only when the table has a `rowTimeColumn`; snapshot expiration then removes
   * the files no snapshot references.
   * @default - none
   */
  readonly tables?: readonly IcebergTableRetention[];
  /**
   * Plain prefixes (landing zones, exports): S3 lifecycle expiration after `retentionDays`.
   * @default - none
   */
  readonly plainPrefixes?: readonly PlainPrefixRetention[];
  /**
   * The role Glue assumes to run the optimizers; it is granted each table.
   * @default - one role per stack, shared by every Retention in it (IAM role quotas are per account)
   */
  readonly optimizerRole?: iam.IRole;
}

export interface IcebergTableRetention {
  readonly table: IcebergTable;
  /**
   * Days of snapshots kept for time travel and rollback before they expire.
   * @default 7 (capped at retentionDays)
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Snapshots always kept, whatever their age.
   * @default 1
   */
  readonly snapshotsToRetain?: number;
}
