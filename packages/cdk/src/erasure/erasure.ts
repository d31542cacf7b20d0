import { createHash } from 'node:crypto';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeWildcard } from '../common/nag';
import { IcebergTable } from '../iceberg-table/iceberg-table';
import { AthenaJob, AthenaJobRunner, DEFAULT_JOB_SCHEDULE } from '../retention/athena-job';
import { erasureCountSql, erasureDeleteSql, optimizeSql, subjectIdsFor, SubjectIdKind, vacuumSql } from '../retention/retention-sql';
import { ErasureProps } from './erasure-props';

/**
 * The count query's rows as `[{subject_id, rows}]`, always an array (JSONata would unwrap a
 * one-row result). Exported for the test that evaluates it on an Athena result.
 */
export const auditCountsExpression = "{% [$states.result.ResultSet.Rows[[1..100000]].{ 'subject_id': Data[0].VarCharValue, 'rows': $number(Data[1].VarCharValue) }] %}";

/** The statements of one batch of ids on one table, in the order the job runs them. */
export interface ErasureStatements {
  readonly table: string;
  readonly subjectIds: readonly string[];
  readonly count: string;
  readonly delete: string;
}

/** How a table's subject-id column compares with the ids, or why it cannot. */
export function subjectIdKind(table: IcebergTable, column: string): SubjectIdKind {
  const field = table.schema.fields.find((f) => f.name === column);
  if (!field) throw new Error(`table ${table.tableName} has no column "${column}" (the subject-id column)`);
  if (field.type === 'string') return 'string';
  if (field.type === 'int' || field.type === 'long') return 'integer';
  throw new Error(`column "${column}" of table ${table.tableName} is ${JSON.stringify(field.type)}; a subject-id column must be a string, int or long`);
}

/** SHA-256 of the sorted, de-duplicated ids: names the erasure list an audit record applied. */
export function erasureListHash(ids: readonly string[]): string {
  return createHash('sha256').update([...new Set(ids)].sort().join('\n')).digest('hex');
}

/**
 * GDPR erasure executed on a product's tables: one Step Functions state machine per product,
 * started daily by EventBridge Scheduler (the same Athena job mechanism as {@link Retention}).
 * For each table, and each batch of `idsPerStatement` ids:
 * 1. `SELECT <subject column>, count(*) ... WHERE <subject column> IN (<ids>) GROUP BY 1`: the rows
 *    each subject has in the table;
 * 2. `DELETE FROM <db>.<table> WHERE <subject column> IN (<ids>)` (one atomic Iceberg commit);
 * 3. an audit record, `s3:PutObject` (SDK integration) of
 *    `{table, subjectIdColumn, subjects, rowsMatched, rowsBySubject, erasureListSha256, executionArn, at}`
 *    to `s3://<auditBucket>/<auditPrefix><db>/<table>/<execution name>-<batch>.json`;
 * then `OPTIMIZE ... REWRITE DATA` (the data files without the deleted rows) and `VACUUM` of the
 * table. Tables run one after the other; a failure stops the execution and
 * alarms, and running it again is safe (a subject already erased matches no row).
 *
 * Daily rather than once per change of the list: a pipeline's backfill or an upstream replay
 * can bring an erased subject's rows back, and the next run deletes them again (and says so in
 * its audit record). Every run writes records, also with `rowsMatched: 0`.
 *
 * Where the ids appear: the state machine definition and the CloudFormation template (they are
 * in git already, in governance/erasures/), Athena's query history of the workgroup, Step
 * Functions' execution history (task parameters), and the audit records. Not in CloudWatch
 * Logs: executions log without execution data.
 */
export class Erasure extends Construct {
  readonly job?: AthenaJob;
  readonly runner?: AthenaJobRunner;
  readonly statements: ErasureStatements[] = [];
  /** {@link erasureListHash} of the ids this job applies. */
  readonly listHash: string;

  constructor(scope: Construct, id: string, props: ErasureProps) {
    super(scope, id);
    const perStatement = props.idsPerStatement ?? 500;
    if (!Number.isInteger(perStatement) || perStatement < 1) throw new Error(`Erasure ${this.node.path}: idsPerStatement must be a positive integer`);
    const prefix = props.auditPrefix ?? 'erasure/';
    if (!/^([A-Za-z0-9!_.*'()-]+\/)*$/.test(prefix)) throw new Error(`Erasure ${this.node.path}: auditPrefix "${prefix}" must be empty or end with "/"`);
    this.listHash = erasureListHash(props.subjectIds);

    const work: { table: IcebergTable; batches: string[][]; kind: SubjectIdKind }[] = [];
    for (const table of props.tables) {
      let kind: SubjectIdKind;
      try {
        kind = subjectIdKind(table, props.subjectIdColumn);
      } catch (e) {
        throw new Error(`Erasure ${this.node.path}: ${(e as Error).message}`);
      }
      const ids = subjectIdsFor(props.subjectIds, kind).sort();
      if (ids.length === 0) continue;
      const batches: string[][] = [];
      for (let i = 0; i < ids.length; i += perStatement) batches.push(ids.slice(i, i + perStatement));
      work.push({ table, batches, kind });
    }
    if (work.length === 0) return;

    const runner = new AthenaJobRunner(this, 'Job', {
      workgroup: props.workgroup, tables: work.map((w) => w.table), alertTopic: props.alertTopic, purpose: 'the erasure job',
    });
    this.runner = runner;
    const stack = Stack.of(this);
    const auditObjects = `arn:${stack.partition}:s3:::${props.auditBucketName}/${prefix}*`;
    runner.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [auditObjects] }));
    acknowledgeWildcard(runner.role, auditObjects, 'audit records are named by table and execution; writes are limited to the audit prefix');
    props.auditKey?.grant(runner.role, 'kms:GenerateDataKey', 'kms:Encrypt');

    let chain: sfn.Chain | undefined;
    const append = (next: sfn.IChainable) => { chain = chain ? chain.next(next) : sfn.Chain.start(next); };
    for (const [t, { table, batches, kind }] of work.entries()) {
      const target = { database: table.databaseName, table: table.tableName, subjectColumn: props.subjectIdColumn, idKind: kind };
      const name = `${target.database}.${target.table}`;
      for (const [b, subjectIds] of batches.entries()) {
        const sql = { count: erasureCountSql({ ...target, subjectIds }), delete: erasureDeleteSql({ ...target, subjectIds }) };
        this.statements.push({ table: name, subjectIds, ...sql });
        const scope = new Construct(this, `Table${t}Batch${b}`);
        const step = (verb: string) => `${verb} ${t + 1}.${b + 1} ${target.table}`.slice(0, 80);
        append(runner.query(scope, step('Count'), sql.count, 'countQuery'));
        append(tasks.AthenaGetQueryResults.jsonata(scope, step('Counts'), {
          queryExecutionId: '{% $countQuery %}',
          // one row per subject found (at most one per id of the batch), after the header row
          maxResults: perStatement + 1,
          assign: { counts: auditCountsExpression },
          outputs: {},
        }));
        append(runner.query(scope, step('Delete'), sql.delete));
        const audit = tasks.CallAwsService.jsonata(scope, step('Audit'), {
          service: 's3',
          action: 'putObject',
          iamResources: [auditObjects],
          parameters: {
            Bucket: props.auditBucketName,
            Key: `{% '${prefix}${target.database}/${target.table}/' & $states.context.Execution.Name & '-${b + 1}.json' %}`,
            ContentType: 'application/json',
            Body: `{% $string({
              'table': '${name}',
              'subjectIdColumn': '${props.subjectIdColumn}',
              'subjects': ${JSON.stringify(subjectIds)},
              'rowsMatched': $sum([$counts.rows]),
              'rowsBySubject': $counts,
              'erasureListSha256': '${this.listHash}',
              'executionArn': $states.context.Execution.Id,
              'at': $now()
            }) %}`.replace(/\s*\n\s*/g, ' '),
          },
          outputs: {},
        });
        audit.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(30), maxAttempts: 5, backoffRate: 2 });
        append(audit);
      }
      // the deleted rows' bytes leave the current data files here, and S3 once VACUUM expires the older snapshots
      append(runner.query(new Construct(this, `Table${t}Optimize`), `Rewrite files ${t + 1} ${target.table}`.slice(0, 80), optimizeSql(target)));
      append(runner.query(new Construct(this, `Table${t}Vacuum`), `Vacuum ${t + 1} ${target.table}`.slice(0, 80), vacuumSql(target)));
    }
    this.job = runner.addJob('Erasure', {
      description: `GDPR erasure of ${props.subjectIds.length} subject(s) (list ${this.listHash.slice(0, 12)}) from ${work.map((w) => `${w.table.databaseName}.${w.table.tableName}`).join(', ')}${props.description ? ` (${props.description})` : ''}`,
      definition: chain!.next(sfn.Succeed.jsonata(this, 'Erased')),
      scheduleExpression: props.scheduleExpression ?? DEFAULT_JOB_SCHEDULE,
      timeout: Duration.hours(12),
    });
  }
}

