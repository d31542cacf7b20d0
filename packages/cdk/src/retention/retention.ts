import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { literalBucketName } from '../common/names';
import { IcebergTable, parseS3Location } from '../iceberg-table/iceberg-table';
import { AthenaJob, AthenaJobRunner, DEFAULT_JOB_SCHEDULE } from './athena-job';
import { RetentionProps } from './retention-props';
import { optimizeSql, retentionDeleteSql, retentionGuardSql, TimeColumnKind, vacuumSql } from './retention-sql';

/**
 * Iceberg table properties VACUUM reads: snapshots (time travel, rollback) are kept `days` days
 * and at least `keep` of them, whatever their age.
 */
export function snapshotRetentionProperties(days: number, keep = 1): Record<string, string> {
  if (!Number.isInteger(days) || days < 1) throw new Error(`snapshot retention must be a positive number of days, got ${days}`);
  return { vacuum_max_snapshot_age_seconds: String(days * 86_400), vacuum_min_snapshots_to_keep: String(keep) };
}

/** How a table's column compares with a retention cutoff, or why it cannot. */
export function timeColumnKind(table: IcebergTable, column: string): TimeColumnKind {
  const field = table.schema.fields.find((f) => f.name === column);
  if (!field) throw new Error(`table ${table.tableName} has no column "${column}" (the record-time column)`);
  if (field.type === 'date') return 'date';
  if (field.type === 'timestamp' || field.type === 'timestamptz') return 'timestamp';
  throw new Error(`column "${column}" of table ${table.tableName} is ${JSON.stringify(field.type)}; the record-time column must be a date or a timestamp`);
}

/**
 * Retention by the mechanism that is safe for each kind of storage.
 *
 * Iceberg tables: one Step Functions state machine per table, started daily by EventBridge
 * Scheduler, running Athena statements in the domain's workgroup (no Lambda):
 * 1. a guard query counts the rows whose record-time column is NULL (they would never expire)
 *    or more than a day in the future (a broken column); if any, the execution fails at a Fail
 *    state (`RetentionGuardFailed`, the counts in the cause) before anything is deleted;
 * 2. `DELETE FROM <db>.<table> WHERE <time column> < current_date|current_timestamp - INTERVAL '<retentionDays>' DAY`;
 * 3. `OPTIMIZE <db>.<table> REWRITE DATA USING BIN_PACK`: the data files with delete files are
 *    rewritten without the deleted rows;
 * 4. `VACUUM <db>.<table>`: snapshot expiration (snapshot age and count from the table
 *    properties {@link snapshotRetentionProperties}, Athena's default 5 days without them) and
 *    orphan-file removal.
 * An alarm on ExecutionsFailed + ExecutionsTimedOut notifies `alertTopic`. A failed execution
 * leaves the table as it was: an Athena DML statement on Iceberg is one atomic commit.
 *
 * VACUUM replaces the Glue table optimizers this construct used to create: one maintenance
 * mechanism per table, whose snapshot expiry cannot conflict (Iceberg commit conflicts) with a
 * second service maintaining the same table, and whose settings live with the table.
 *
 * Never an S3 lifecycle expiration under a table location: Iceberg metadata would still
 * reference the expired data files and every read would fail with NoSuchKey. Plain prefixes get
 * an S3 lifecycle expiration rule; a prefix that overlaps a table location is rejected at synth.
 */
export class Retention extends Construct {
  /** The jobs, by table name. */
  readonly jobs = new Map<string, AthenaJob>();
  /** The statements each table's job runs, in order, by table name. */
  readonly statements = new Map<string, { readonly guard: string; readonly delete: string; readonly optimize: string; readonly vacuum: string }>();
  readonly runner?: AthenaJobRunner;

  constructor(scope: Construct, id: string, props: RetentionProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) throw new Error(`Retention ${this.node.path}: retentionDays must be a positive integer`);
    const tables = props.tables ?? [];

    for (const p of props.plainPrefixes ?? []) {
      for (const t of tables) {
        const loc = parseS3Location(t.table.location);
        const name = literalBucketName(p.bucket);
        // an unnamed bucket might be the table's: judge by the prefixes alone
        if ((name === undefined || name === loc.bucket) && (loc.prefix.startsWith(p.prefix) || p.prefix.startsWith(loc.prefix))) {
          throw new Error(`Retention ${this.node.path}: lifecycle prefix "${p.prefix}" overlaps Iceberg table ${t.table.tableName} at ${t.table.location}; S3 expiration would delete files the table metadata still references`);
        }
      }
      p.bucket.addLifecycleRule({ id: `retention-${p.prefix.replace(/[^A-Za-z0-9]/g, '-')}`, prefix: p.prefix, expiration: Duration.days(props.retentionDays) });
    }

    if (tables.length === 0) return;
    if (!props.workgroup) throw new Error(`Retention ${this.node.path}: tables need a workgroup to run their retention jobs in`);
    const runner = new AthenaJobRunner(this, 'Jobs', {
      workgroup: props.workgroup, tables: tables.map((t) => t.table), alertTopic: props.alertTopic, purpose: 'the retention jobs',
    });
    this.runner = runner;
    for (const [i, t] of tables.entries()) {
      const target = { database: t.table.databaseName, table: t.table.tableName, timeColumn: t.timeColumn };
      let kind: TimeColumnKind;
      try {
        kind = timeColumnKind(t.table, t.timeColumn);
      } catch (e) {
        throw new Error(`Retention ${this.node.path}: ${(e as Error).message}`);
      }
      const sql = {
        guard: retentionGuardSql({ ...target, kind }),
        delete: retentionDeleteSql({ ...target, kind, retentionDays: props.retentionDays }),
        optimize: optimizeSql(target),
        vacuum: vacuumSql(target),
      };
      this.statements.set(t.table.tableName, sql);
      const scope = new Construct(this, `Table${i}`);
      const name = `${target.database}.${target.table}`;
      const guardResult = tasks.AthenaGetQueryResults.jsonata(scope, 'Guard result', {
        queryExecutionId: '{% $guardQuery %}',
        assign: {
          nullRows: '{% $number($states.result.ResultSet.Rows[1].Data[0].VarCharValue) %}',
          futureRows: '{% $number($states.result.ResultSet.Rows[1].Data[1].VarCharValue) %}',
        },
        outputs: {},
      });
      const fail = sfn.Fail.jsonata(scope, 'Time column broken', {
        error: 'RetentionGuardFailed',
        cause: `{% '${name}: ' & $string($nullRows) & ' row(s) with a NULL ${t.timeColumn} and ' & $string($futureRows) & ' row(s) more than a day in the future; nothing was deleted (fix the column, then run the job again)' %}`,
      });
      const definition = runner.query(scope, 'Guard', sql.guard, 'guardQuery')
        .next(guardResult)
        .next(sfn.Choice.jsonata(scope, 'Time column sound?')
          .when(sfn.Condition.jsonata('{% $nullRows = 0 and $futureRows = 0 %}'),
            runner.query(scope, 'Delete expired rows', sql.delete)
              .next(runner.query(scope, 'Rewrite files', sql.optimize))
              .next(runner.query(scope, 'Vacuum', sql.vacuum))
              .next(sfn.Succeed.jsonata(scope, 'Done')))
          .otherwise(fail));
      this.jobs.set(t.table.tableName, runner.addJob(`Table${i}Job`, {
        description: `Retention of ${name}: deletes rows whose ${t.timeColumn} is older than ${props.retentionDays} days, then OPTIMIZE and VACUUM`,
        definition,
        scheduleExpression: props.scheduleExpression ?? DEFAULT_JOB_SCHEDULE,
        timeout: Duration.hours(6),
      }));
    }
  }
}
