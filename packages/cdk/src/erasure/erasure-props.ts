import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IAthenaWorkgroup } from '../athena-workgroup/athena-workgroup';
import { IcebergTable } from '../iceberg-table/iceberg-table';

export interface ErasureProps {
  /** The product's tables (its batch ports). */
  readonly tables: readonly IcebergTable[];
  /**
   * The column holding the data subject's id in every table (`governance.subject_id_field`):
   * a `string` column is compared with the ids as text, an `int`/`long` one with the ids that
   * are integers.
   */
  readonly subjectIdColumn: string;
  /** The erased subjects' ids (every `governance/erasures/*.yaml`, `readErasures` of `@data-mesh/policy`). */
  readonly subjectIds: readonly string[];
  /** The workgroup the statements run in (the domain's). */
  readonly workgroup: IAthenaWorkgroup;
  /** Bucket receiving the audit records (`DataPlatform.auditBucketName`). */
  readonly auditBucketName: string;
  /** Key prefix of the audit records. @default 'erasure/' */
  readonly auditPrefix?: string;
  /** Key the audit bucket encrypts with by default (SSE-KMS). @default - no KMS grant */
  readonly auditKey?: kms.IKey;
  /** Notified when the job fails or times out (the domain's alert topic). @default - the alarm notifies no one */
  readonly alertTopic?: sns.ITopic;
  /** When the job runs (EventBridge Scheduler, UTC, within a one-hour flexible window). @default 'cron(0 3 * * ? *)' (daily) */
  readonly scheduleExpression?: string;
  /** Ids per DELETE statement (Athena takes statements up to 256 KB). @default 500 */
  readonly idsPerStatement?: number;
  /** Names the product in descriptions. @default - the construct path */
  readonly description?: string;
}
