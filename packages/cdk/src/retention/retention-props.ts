import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IAthenaWorkgroup } from '../athena-workgroup/athena-workgroup';
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
   * Iceberg tables whose rows older than `retentionDays` are deleted by a daily job (see
   * {@link Retention}).
   * @default - none
   */
  readonly tables?: readonly IcebergTableRetention[];
  /**
   * Plain prefixes (landing zones, exports): S3 lifecycle expiration after `retentionDays`.
   * @default - none
   */
  readonly plainPrefixes?: readonly PlainPrefixRetention[];
  /** The workgroup the jobs' statements run in (the domain's). Required with `tables`. @default - none */
  readonly workgroup?: IAthenaWorkgroup;
  /** Notified when a job fails or times out (the domain's alert topic). @default - the alarm notifies no one */
  readonly alertTopic?: sns.ITopic;
  /** When the jobs run (EventBridge Scheduler, UTC, within a one-hour flexible window). @default 'cron(0 3 * * ? *)' (daily) */
  readonly scheduleExpression?: string;
}

export interface IcebergTableRetention {
  readonly table: IcebergTable;
  /**
   * The record-time column compared with the cutoff: a top-level `date`, `timestamp` or
   * `timestamptz` column of the table (the port's `recordTimeField`).
   */
  readonly timeColumn: string;
}
