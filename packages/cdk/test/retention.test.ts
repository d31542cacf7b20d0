import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import jsonata from 'jsonata';
import {
  auditCountsExpression, DataProduct, Erasure, erasureCountSql, erasureDeleteSql, erasureListHash, IcebergTable, ProductDefinition,
  optimizeSql, retentionCutoffSql, retentionDeleteSql, retentionGuardSql, sqlIdentifier, sqlString, subjectIdsFor, vacuumSql,
} from '../src';
import { CLUSTER_ARN, ENV, platformAndDomain, product } from './fixtures';

const SNAPSHOT = { database: 'customer_domain', table: 'customer_360_customer_snapshot_daily', timeColumn: 'snapshot_date' };
const ERASED = ['cust-000123', 'cust-004561', 'cust-017002'];

describe('retention and erasure SQL (golden)', () => {
  it('guard: NULL and future rows of a date column, and of a timestamp column', () => {
    expect(retentionGuardSql({ ...SNAPSHOT, kind: 'date' })).toBe(
      'SELECT count(*) FILTER (WHERE "snapshot_date" IS NULL) AS null_rows, count(*) FILTER (WHERE "snapshot_date" > current_date + INTERVAL \'1\' DAY) AS future_rows FROM "customer_domain"."customer_360_customer_snapshot_daily"',
    );
    expect(retentionGuardSql({ database: 'd', table: 't', timeColumn: 'occurred_at', kind: 'timestamp' })).toBe(
      'SELECT count(*) FILTER (WHERE "occurred_at" IS NULL) AS null_rows, count(*) FILTER (WHERE "occurred_at" > current_timestamp + INTERVAL \'1\' DAY) AS future_rows FROM "d"."t"',
    );
  });

  it('delete: rows before the cutoff of retention_days', () => {
    expect(retentionDeleteSql({ ...SNAPSHOT, kind: 'date', retentionDays: 730 })).toBe(
      'DELETE FROM "customer_domain"."customer_360_customer_snapshot_daily" WHERE "snapshot_date" < current_date - INTERVAL \'730\' DAY',
    );
    expect(retentionDeleteSql({ database: 'd', table: 't', timeColumn: 'occurred_at', kind: 'timestamp', retentionDays: 90 })).toBe(
      'DELETE FROM "d"."t" WHERE "occurred_at" < current_timestamp - INTERVAL \'90\' DAY',
    );
    expect(retentionCutoffSql(1, 'date')).toBe("current_date - INTERVAL '1' DAY");
    for (const days of [0, -1, 1.5]) expect(() => retentionCutoffSql(days, 'date')).toThrow(/positive integer/);
  });

  it('VACUUM: unquoted (Athena takes no double quotes there), backticks for a table starting with _', () => {
    expect(vacuumSql(SNAPSHOT)).toBe('VACUUM customer_domain.customer_360_customer_snapshot_daily');
    expect(vacuumSql({ database: 'd', table: '_t' })).toBe('VACUUM d.`_t`');
    expect(optimizeSql(SNAPSHOT)).toBe('OPTIMIZE customer_domain.customer_360_customer_snapshot_daily REWRITE DATA USING BIN_PACK');
    expect(optimizeSql({ database: 'd', table: '_t' })).toBe('OPTIMIZE d.`_t` REWRITE DATA USING BIN_PACK');
    expect(() => optimizeSql({ database: 'd', table: 't; DROP TABLE x' })).toThrow(/table "t; DROP TABLE x" is not a plain lower-case name/);
  });

  it('erasure: count per subject, then delete, ids as string literals or integers', () => {
    const target = { database: 'customer_domain', table: 'customer_360_customer_snapshot_daily', subjectColumn: 'customer_id', subjectIds: ERASED };
    expect(erasureCountSql(target)).toBe(
      'SELECT CAST("customer_id" AS varchar) AS subject_id, count(*) AS row_count FROM "customer_domain"."customer_360_customer_snapshot_daily" WHERE "customer_id" IN (\'cust-000123\', \'cust-004561\', \'cust-017002\') GROUP BY "customer_id" ORDER BY 1',
    );
    expect(erasureDeleteSql(target)).toBe(
      'DELETE FROM "customer_domain"."customer_360_customer_snapshot_daily" WHERE "customer_id" IN (\'cust-000123\', \'cust-004561\', \'cust-017002\')',
    );
    expect(erasureDeleteSql({ database: 'd', table: 't', subjectColumn: 'user_id', subjectIds: ['42', '-7'], idKind: 'integer' })).toBe('DELETE FROM "d"."t" WHERE "user_id" IN (42, -7)');
    expect(subjectIdsFor(['42', 'cust-1', '42', '0x1'], 'integer')).toEqual(['42']);
    expect(subjectIdsFor(['b', 'a', 'b'], 'string')).toEqual(['b', 'a']);
  });

  it('quotes string literals and refuses identifiers that are not plain lower-case names', () => {
    expect(sqlString("o'brien")).toBe("'o''brien'");
    expect(erasureDeleteSql({ database: 'd', table: 't', subjectColumn: 'c', subjectIds: ["x'); DROP TABLE t; --"] })).toBe(`DELETE FROM "d"."t" WHERE "c" IN ('x''); DROP TABLE t; --')`);
    for (const bad of ['Customer', 'a-b', 'x"; DROP TABLE t; --', '', '1abc', 'café']) {
      expect(() => sqlIdentifier(bad, 'time column')).toThrow(`time column "${bad}" is not a plain lower-case name (^[a-z_][a-z0-9_]*$)`);
    }
    expect(() => retentionDeleteSql({ database: 'd', table: 'T', timeColumn: 'c', kind: 'date', retentionDays: 1 })).toThrow(/table "T"/);
    expect(() => erasureDeleteSql({ database: 'd', table: 't', subjectColumn: 'c', subjectIds: [] })).toThrow(/no subject ids/);
    expect(() => erasureDeleteSql({ database: 'd', table: 't', subjectColumn: 'c', subjectIds: ['1', 'x'], idKind: 'integer' })).toThrow(/"x" is not an integer/);
  });
});

describe('the generated SQL on DuckDB, over Parquet data files', () => {
  let dir: string;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  const rows = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();

  /** A table loaded from Parquet files written like an Iceberg table's data/ folder. */
  async function load(table: string, select: string) {
    const data = path.join(dir, table, 'data');
    fs.mkdirSync(data, { recursive: true });
    await db.run(`COPY (${select}) TO '${path.join(data, '00000-0.parquet')}' (FORMAT parquet)`);
    await db.run(`COPY (${select} LIMIT 0) TO '${path.join(data, '00001-0.parquet')}' (FORMAT parquet)`);
    await db.run(`CREATE TABLE customer_domain.${table} AS SELECT * FROM read_parquet('${data}/*.parquet')`);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-sql-'));
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
    await db.run('CREATE SCHEMA customer_domain');
  });
  afterAll(() => {
    db.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('retention on a date column: the guard passes, rows older than 730 days go, the rest stay', async () => {
    await load('snapshots', `SELECT * FROM (VALUES
      ('c-1', current_date - 1000), ('c-2', current_date - 731), ('c-3', current_date - 729), ('c-4', current_date - 1), ('c-5', current_date)
    ) AS v(customer_id, snapshot_date)`);
    const target = { database: 'customer_domain', table: 'snapshots', timeColumn: 'snapshot_date', kind: 'date' as const };
    expect(await rows(retentionGuardSql(target))).toEqual([{ null_rows: '0', future_rows: '0' }]);
    await db.run(retentionDeleteSql({ ...target, retentionDays: 730 }));
    expect((await rows('SELECT customer_id FROM customer_domain.snapshots ORDER BY 1')).map((r) => r.customer_id)).toEqual(['c-3', 'c-4', 'c-5']);
  });

  it('retention on a timestamp with time zone column', async () => {
    await load('events', `SELECT * FROM (VALUES
      ('e-1', current_timestamp - INTERVAL 91 DAY), ('e-2', current_timestamp - INTERVAL 89 DAY), ('e-3', current_timestamp - INTERVAL 1 HOUR)
    ) AS v(event_id, occurred_at)`);
    expect((await rows("SELECT typeof(occurred_at) AS t FROM customer_domain.events LIMIT 1"))[0].t).toBe('TIMESTAMP WITH TIME ZONE');
    const target = { database: 'customer_domain', table: 'events', timeColumn: 'occurred_at', kind: 'timestamp' as const };
    expect(await rows(retentionGuardSql(target))).toEqual([{ null_rows: '0', future_rows: '0' }]);
    await db.run(retentionDeleteSql({ ...target, retentionDays: 90 }));
    expect((await rows('SELECT event_id FROM customer_domain.events ORDER BY 1')).map((r) => r.event_id)).toEqual(['e-2', 'e-3']);
  });

  it('the guard finds NULL and future times (the job then deletes nothing)', async () => {
    await load('broken', `SELECT * FROM (VALUES
      ('b-1', current_date - 1000), ('b-2', NULL), ('b-3', NULL), ('b-4', current_date + 2), ('b-5', current_date + 1)
    ) AS v(customer_id, snapshot_date)`);
    await load('broken_ts', `SELECT * FROM (VALUES ('t-1', current_timestamp + INTERVAL 2 DAY), ('t-2', current_timestamp + INTERVAL 1 HOUR)) AS v(id, seen_at)`);
    expect(await rows(retentionGuardSql({ database: 'customer_domain', table: 'broken', timeColumn: 'snapshot_date', kind: 'date' }))).toEqual([{ null_rows: '2', future_rows: '1' }]);
    expect(await rows(retentionGuardSql({ database: 'customer_domain', table: 'broken_ts', timeColumn: 'seen_at', kind: 'timestamp' }))).toEqual([{ null_rows: '0', future_rows: '1' }]);
  });

  it('erasure: counts per erased subject, then their rows go and everyone else stays', async () => {
    await load('profiles', `SELECT * FROM (VALUES
      ('cust-000123', DATE '2026-01-01'), ('cust-000123', DATE '2026-01-02'), ('cust-017002', DATE '2026-01-01'),
      ('cust-000001', DATE '2026-01-01'), ('o''brien', DATE '2026-01-01'), ('cust-0001234', DATE '2026-01-01')
    ) AS v(customer_id, snapshot_date)`);
    const target = { database: 'customer_domain', table: 'profiles', subjectColumn: 'customer_id', subjectIds: [...ERASED, "o'brien"] };
    expect(await rows(erasureCountSql(target))).toEqual([
      { subject_id: 'cust-000123', row_count: '2' }, { subject_id: 'cust-017002', row_count: '1' }, { subject_id: "o'brien", row_count: '1' },
    ]);
    await db.run(erasureDeleteSql(target));
    expect((await rows('SELECT customer_id FROM customer_domain.profiles ORDER BY 1')).map((r) => r.customer_id)).toEqual(['cust-000001', 'cust-0001234']);
    expect(await rows(erasureCountSql(target))).toEqual([]);
  });

  it('erasure on an integer subject column', async () => {
    await load('accounts', 'SELECT * FROM (VALUES (42::BIGINT, 1), (7::BIGINT, 2), (-7::BIGINT, 3)) AS v(user_id, n)');
    const target = { database: 'customer_domain', table: 'accounts', subjectColumn: 'user_id', subjectIds: subjectIdsFor(['42', 'cust-1', '-7'], 'integer'), idKind: 'integer' as const };
    expect(await rows(erasureCountSql(target))).toEqual([{ subject_id: '-7', row_count: '1' }, { subject_id: '42', row_count: '1' }]);
    await db.run(erasureDeleteSql(target));
    expect(await rows('SELECT user_id FROM customer_domain.accounts')).toEqual([{ user_id: '7' }]);
  });
});

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;

/** The state machine definition with CloudFormation tokens replaced by `<token>`. */
function definitionOf(resource: { Properties: Record<string, unknown> }): { States: Record<string, Record<string, unknown>>; StartAt: string; QueryLanguage?: string } {
  const body = resource.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : '<token>')).join('');
  return JSON.parse(text);
}

/** Evaluates a `{% ... %}` JSONata string of a definition as Step Functions would. */
async function evaluate(expression: string, bindings: Record<string, unknown>): Promise<unknown> {
  const m = /^\{%([\s\S]*)%\}$/.exec(expression);
  if (!m) throw new Error(`not a JSONata expression: ${expression}`);
  return jsonata(m[1]).evaluate({}, bindings);
}

/** An Athena GetQueryResults response: a header row, then the data rows. */
function athenaResult(header: string[], data: string[][]) {
  return { ResultSet: { Rows: [header, ...data].map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })) } };
}

function synthProduct(def: ProductDefinition, erasures?: { subjectIds: string[] }, nag = false) {
  const app = new App();
  const { platform, domain } = platformAndDomain(app);
  const stack = new Stack(app, 'Customer', { env: ENV });
  const dp = new DataProduct(stack, 'Customer360', {
    product: def, domain, dataKey: platform.key, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' },
    erasures: erasures && { ...erasures, auditBucketName: platform.auditBucketName!, auditKey: platform.key },
  });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Resources;
  const machines = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');
  return { app, stack, dp, template, resources, machines, platform };
}

describe('Retention job (synthesized)', () => {
  it('one scheduled state machine per batch port: guard, delete with the cutoff of retention_days, VACUUM', () => {
    const { template, machines, dp, resources } = synthProduct(product());
    expect(machines).toHaveLength(1);
    const [logicalId, machine] = machines[0]!;
    const def = definitionOf(machine);
    expect(def.QueryLanguage).toBe('JSONata');
    expect(def.StartAt).toBe('Guard');
    const query = (state: string) => (def.States[state]!.Arguments as { QueryString: string; WorkGroup: string });
    expect(def.States.Guard!.Resource).toMatch(/:states:::athena:startQueryExecution\.sync$/);
    expect(query('Guard')).toMatchObject({ QueryString: retentionGuardSql({ ...SNAPSHOT, kind: 'date' }), WorkGroup: 'customer-domain' });
    expect(query('Delete expired rows').QueryString).toBe(`DELETE FROM "customer_domain"."customer_360_customer_snapshot_daily" WHERE "snapshot_date" < current_date - INTERVAL '730' DAY`);
    expect(query('Vacuum').QueryString).toBe('VACUUM customer_domain.customer_360_customer_snapshot_daily');
    expect(query('Rewrite files').QueryString).toBe('OPTIMIZE customer_domain.customer_360_customer_snapshot_daily REWRITE DATA USING BIN_PACK');
    expect(def.States['Delete expired rows']!.Next).toBe('Rewrite files');
    expect(def.States['Rewrite files']!.Next).toBe('Vacuum');
    expect(dp.retention!.statements.get('customer_360_customer_snapshot_daily')!.delete).toBe(query('Delete expired rows').QueryString);
    // logs every event but no execution data; traced
    expect(machine.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });

    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)', ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 60 },
      Target: Match.objectLike({ Arn: { Ref: logicalId } }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0)' }),
        Match.objectLike({ Id: 'failed', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' }) }) }),
        Match.objectLike({ Id: 'timedOut', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }) }),
      ]),
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('CustomerAlerts') }],
    });
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
      Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'customer_domain', Name: 'customer_360_customer_snapshot_daily' } },
    });
    // VACUUM replaces the Glue optimizers; its snapshot age comes from the table
    template.resourceCountIs('AWS::Glue::TableOptimizer', 0);
    const table = Object.values(resources).find((r) => r.Type === 'Custom::IcebergTable')!;
    expect(JSON.parse(table.Properties.TableProperties as string)).toMatchObject({ vacuum_max_snapshot_age_seconds: String(7 * 86_400), vacuum_min_snapshots_to_keep: '1' });
    // the role runs queries in its workgroup only: no Glue or S3 wildcard from the Athena task's own policies
    const policies = JSON.stringify(Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('RetentionJobsRole')));
    expect(policies).toContain('athena:StartQueryExecution');
    expect(policies).not.toMatch(/glue:DeleteTable|s3:CreateBucket/);
  });

  it('the guard fails the execution with the counts in the cause; the delete runs only when both are 0', async () => {
    const { machines } = synthProduct(product());
    const def = definitionOf(machines[0]![1]);
    const assign = def.States['Guard result']!.Assign as Record<string, string>;
    const result = athenaResult(['null_rows', 'future_rows'], [['2', '1']]);
    const nullRows = await evaluate(assign.nullRows!, { states: { result } });
    const futureRows = await evaluate(assign.futureRows!, { states: { result } });
    expect([nullRows, futureRows]).toEqual([2, 1]);
    const choice = def.States['Time column sound?'] as { Choices: { Condition: string; Next: string }[]; Default: string };
    expect(choice.Choices[0]!.Next).toBe('Delete expired rows');
    expect(choice.Default).toBe('Time column broken');
    expect(await evaluate(choice.Choices[0]!.Condition, { nullRows, futureRows })).toBe(false);
    expect(await evaluate(choice.Choices[0]!.Condition, { nullRows: 0, futureRows: 0 })).toBe(true);
    const fail = def.States['Time column broken']!;
    expect(fail.Type).toBe('Fail');
    expect(fail.Error).toBe('RetentionGuardFailed');
    expect(await evaluate(fail.Cause as string, { nullRows, futureRows })).toBe(
      'customer_domain.customer_360_customer_snapshot_daily: 2 row(s) with a NULL snapshot_date and 1 row(s) more than a day in the future; nothing was deleted (fix the column, then run the job again)',
    );
  });

  it('rejects a batch port without a record-time column, or with one that is not a date or timestamp', () => {
    const p = product();
    const withPort = (patch: object) => ({ ...p, outputPorts: p.outputPorts.map((o) => (o.type === 'batch' ? { ...o, ...patch } : o)) });
    expect(() => synthProduct(withPort({ timeColumn: undefined }))).toThrow(/batch port customer_snapshot_daily has no record-time column; its rows could never expire after 730 days/);
    expect(() => synthProduct(withPort({ timeColumn: 'customer_id' }))).toThrow(/column "customer_id" of table customer_360_customer_snapshot_daily is "string"; the record-time column must be a date or a timestamp/);
    expect(() => synthProduct(withPort({ timeColumn: 'nope' }))).toThrow(/has no column "nope"/);
  });
});

describe('Erasure job (synthesized)', () => {
  const gdpr = (overrides: Partial<ProductDefinition> = {}) => product({ subjectIdColumn: 'customer_id', ...overrides });

  it('counts, deletes and audits each erased subject per table, then VACUUM', () => {
    const { machines, template, dp, platform } = synthProduct(gdpr(), { subjectIds: ERASED });
    expect(machines).toHaveLength(2);
    const erasure = machines.find(([id]) => id.includes('Erasure'))!;
    const def = definitionOf(erasure[1]);
    const t = 'customer_360_customer_snapshot_daily';
    expect(Object.keys(def.States)).toEqual([`Count 1.1 ${t}`, `Counts 1.1 ${t}`, `Delete 1.1 ${t}`, `Audit 1.1 ${t}`, `Rewrite files 1 ${t}`, `Vacuum 1 ${t}`, 'Erased']);
    const target = { database: 'customer_domain', table: t, subjectColumn: 'customer_id', subjectIds: ERASED };
    expect((def.States[`Count 1.1 ${t}`]!.Arguments as { QueryString: string }).QueryString).toBe(erasureCountSql(target));
    expect((def.States[`Delete 1.1 ${t}`]!.Arguments as { QueryString: string }).QueryString).toBe(erasureDeleteSql(target));
    expect(dp.erasure!.statements).toEqual([{ table: `customer_domain.${t}`, subjectIds: ERASED, count: erasureCountSql(target), delete: erasureDeleteSql(target) }]);
    const audit = def.States[`Audit 1.1 ${t}`]!;
    expect(audit.Resource).toMatch(/:states:::aws-sdk:s3:putObject$/);
    const args = audit.Arguments as { Bucket: string; Key: string; Body: string };
    expect(args.Bucket).toBe(platform.auditBucketName);
    expect(erasure[1].Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    const role = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('Customer360ErasureJobRoleDefaultPolicy'))![1];
    const put = (role.Properties.PolicyDocument.Statement as { Action: string; Resource: unknown }[]).find((st) => st.Action === 's3:PutObject')!;
    expect(JSON.stringify(put.Resource)).toMatch(new RegExp(`:s3:::${platform.auditBucketName}/erasure/\\*"`));
    template.resourceCountIs('AWS::Scheduler::Schedule', 4); // freshness of both ports, retention, erasure
  });

  it('the audit record: table, subjects, rows matched per subject and in all, execution, time', async () => {
    const { machines } = synthProduct(gdpr(), { subjectIds: ERASED });
    const def = definitionOf(machines.find(([id]) => id.includes('Erasure'))![1]);
    const t = 'customer_360_customer_snapshot_daily';
    expect((def.States[`Counts 1.1 ${t}`]!.Assign as { counts: string }).counts).toBe(auditCountsExpression);
    const counts = async (rows: string[][]) => evaluate(auditCountsExpression, { states: { result: athenaResult(['subject_id', 'row_count'], rows) } });
    expect(await counts([])).toEqual([]);
    expect(await counts([['cust-000123', '2']])).toEqual([{ subject_id: 'cust-000123', rows: 2 }]);
    const matched = await counts([['cust-000123', '2'], ['cust-017002', '1']]);
    const args = def.States[`Audit 1.1 ${t}`]!.Arguments as { Key: string; Body: string };
    const context = { Execution: { Id: 'arn:aws:states:eu-west-1:111111111111:execution:m:run-1', Name: 'run-1' } };
    expect(await evaluate(args.Key, { states: { context } })).toBe(`erasure/customer_domain/${t}/run-1-1.json`);
    const record = JSON.parse(await evaluate(args.Body, { states: { context }, counts: matched }) as string);
    expect(record).toEqual({
      table: `customer_domain.${t}`, subjectIdColumn: 'customer_id', subjects: ERASED, rowsMatched: 3, rowsBySubject: matched,
      erasureListSha256: erasureListHash(ERASED), executionArn: context.Execution.Id, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(JSON.parse(await evaluate(args.Body, { states: { context }, counts: [] }) as string)).toMatchObject({ rowsMatched: 0, rowsBySubject: [] });
  });

  it('batches the ids, keeps integer columns to integer ids, and runs nowhere without ids or without GDPR scope', () => {
    const many = Array.from({ length: 5 }, (_, i) => `cust-${i}`);
    const { dp } = synthProduct(gdpr(), { subjectIds: many });
    expect(dp.erasure!.statements).toHaveLength(1);

    const app = new App();
    const { platform, domain } = platformAndDomain(app);
    const stack = new Stack(app, 'S', { env: ENV });
    const table = new IcebergTable(stack, 'T', { database: { databaseName: 'd' }, tableName: 'accounts', location: 's3://data-mesh-prod/x/', columns: [{ name: 'user_id', type: 'bigint' }] });
    const e = new Erasure(stack, 'E', { tables: [table], subjectIdColumn: 'user_id', subjectIds: ['3', 'cust-1', '1', '2'], idsPerStatement: 2, workgroup: domain.workgroup, auditBucketName: platform.auditBucketName! });
    expect(e.statements.map((s) => s.delete)).toEqual(['DELETE FROM "d"."accounts" WHERE "user_id" IN (1, 2)', 'DELETE FROM "d"."accounts" WHERE "user_id" IN (3)']);
    const none = new Erasure(stack, 'None', { tables: [table], subjectIdColumn: 'user_id', subjectIds: ['cust-1'], workgroup: domain.workgroup, auditBucketName: 'b' });
    expect(none.job).toBeUndefined();
    expect(() => new Erasure(stack, 'Bad', { tables: [table], subjectIdColumn: 'email', subjectIds: ['a'], workgroup: domain.workgroup, auditBucketName: 'b' })).toThrow(/table accounts has no column "email" \(the subject-id column\)/);

    expect(synthProduct(gdpr(), { subjectIds: [] }).dp.erasure).toBeUndefined();
    expect(synthProduct(product(), { subjectIds: ERASED }).dp.erasure).toBeUndefined();
    const warned = synthProduct(gdpr());
    expect(warned.dp.erasure).toBeUndefined();
    Annotations.fromStack(warned.stack).hasWarning('*', Match.stringLikeRegexp('subject to erasure but no erasure list was given'));
  });

  it('passes cdk-nag with both jobs', () => {
    const { app } = synthProduct(gdpr(), { subjectIds: ERASED }, true);
    expect(() => app.synth()).not.toThrow();
  });
});
