import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lf from 'aws-cdk-lib/aws-lakeformation';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { IAthenaWorkgroup } from '../athena-workgroup/athena-workgroup';
import { IcebergTable } from '../iceberg-table/iceberg-table';

/** Daily at 03:00 UTC, the default of the retention and erasure jobs. */
export const DEFAULT_JOB_SCHEDULE = 'cron(0 3 * * ? *)';

/** What {@link AthenaJobRunner} needs. */
export interface AthenaJobRunnerProps {
  /** The workgroup the statements run in (the domain's). */
  readonly workgroup: IAthenaWorkgroup;
  /** Tables the statements read and change: IAM and Lake Formation grants (SELECT, INSERT, DELETE, DESCRIBE, ALTER). */
  readonly tables: readonly IcebergTable[];
  /** Notified when an execution fails or times out. */
  readonly alertTopic?: sns.ITopic;
  /** What the role and schedules are for, in their descriptions. */
  readonly purpose: string;
}

/** Options of one job. */
export interface AthenaJobOptions {
  readonly description: string;
  readonly definition: sfn.IChainable;
  /** EventBridge Scheduler expression, UTC. */
  readonly scheduleExpression: string;
  readonly timeout: Duration;
}

/** A job made by {@link AthenaJobRunner.addJob}. */
export interface AthenaJob {
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.CfnSchedule;
  /** ExecutionsFailed + ExecutionsTimedOut >= 1 in 5 minutes. */
  readonly alarm: cloudwatch.Alarm;
}

/**
 * Runs Athena statements on Iceberg tables as scheduled Step Functions state machines (the
 * Athena service integration, `startQueryExecution.sync`: no Lambda). One execution role for
 * every job of the runner, scoped to its workgroup and tables: the state machines get it
 * without policy updates, because the Athena task's own policies grant Glue and S3 on `*`.
 * Executions log every event to a log group shared by the stack, without execution data (no
 * state input or output, so no statement text or subject id, reaches CloudWatch Logs).
 */
export class AthenaJobRunner extends Construct {
  readonly role: iam.Role;
  readonly schedulerRole: iam.Role;
  private readonly workgroupName: string;
  private readonly alertTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: AthenaJobRunnerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    this.workgroupName = props.workgroup.workgroupName;
    this.alertTopic = props.alertTopic;

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: sourceAccount }),
      description: `Runs ${props.purpose} (Athena statements) on its tables`,
    });
    props.workgroup.grantRunQueries(this.role);
    this.role.addToPolicy(new iam.PolicyStatement({
      // log delivery (Step Functions' vended logs), X-Ray tracing and Lake Formation's credential
      // vending take no resource-level permissions
      actions: [
        'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
        'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
        'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
        'lakeformation:GetDataAccess',
      ],
      resources: ['*'],
    }));
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Step Functions log delivery, X-Ray tracing and lakeformation:GetDataAccess have no resource-level permissions; table access is granted per table by Lake Formation',
    });
    for (const [i, table] of props.tables.entries()) {
      // VACUUM deletes files directly: without s3:DeleteObject it succeeds and deletes nothing
      table.grantWrite(this.role);
      const grant = new lf.CfnPrincipalPermissions(this, `TableAccess${i}`, {
        catalog: stack.account,
        principal: { dataLakePrincipalIdentifier: this.role.roleArn },
        resource: { table: { catalogId: stack.account, databaseName: table.databaseName, name: table.tableName } },
        permissions: ['SELECT', 'INSERT', 'DELETE', 'DESCRIBE', 'ALTER'],
        permissionsWithGrantOption: [],
      });
      grant.node.addDependency(table);
    }

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: sourceAccount }),
      description: `EventBridge Scheduler starting ${props.purpose}`,
    });
  }

  /** `startQueryExecution.sync` in the workgroup; the query id goes to the variable `assignId` when given. */
  query(scope: Construct, id: string, sql: string, assignId?: string): tasks.AthenaStartQueryExecution {
    const task = tasks.AthenaStartQueryExecution.jsonata(scope, id, {
      queryString: sql,
      workGroup: this.workgroupName,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      ...(assignId ? { assign: { [assignId]: '{% $states.result.QueryExecution.QueryExecutionId %}' } } : {}),
      // the result echoes the statement: keep it out of the state
      outputs: {},
    });
    // Throttling, and a failed statement (an Iceberg commit conflict with a pipeline's commit
    // fails the query): every statement is safe to run again.
    task.addRetry({ errors: ['Athena.TooManyRequestsException', 'States.TaskFailed'], interval: Duration.minutes(1), maxAttempts: 3, backoffRate: 2 });
    return task;
  }

  /** A scheduled state machine (JSONata) with its failure alarm. */
  addJob(id: string, options: AthenaJobOptions): AthenaJob {
    const stateMachine = new sfn.StateMachine(this, id, {
      comment: options.description,
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(options.definition),
      role: this.role.withoutPolicyUpdates(),
      timeout: options.timeout,
      tracingEnabled: true,
      logs: { destination: jobLogGroup(this), level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    stateMachine.node.addDependency(this.role);
    this.schedulerRole.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }));
    const schedule = new scheduler.CfnSchedule(this, `${id}Schedule`, {
      description: options.description.slice(0, 512),
      scheduleExpression: options.scheduleExpression,
      scheduleExpressionTimezone: 'UTC',
      // spreads a stack's daily jobs over an hour (Athena limits concurrent DML per account)
      flexibleTimeWindow: { mode: 'FLEXIBLE', maximumWindowInMinutes: 60 },
      state: 'ENABLED',
      target: {
        arn: stateMachine.stateMachineArn,
        roleArn: this.schedulerRole.roleArn,
        input: '{}',
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      },
    });
    schedule.node.addDependency(this.schedulerRole);
    const period = Duration.minutes(5);
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      alarmDescription: `Failed or timed out: ${options.description}`.slice(0, 1024),
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: { failed: stateMachine.metricFailed({ period, statistic: 'Sum' }), timedOut: stateMachine.metricTimedOut({ period, statistic: 'Sum' }) },
        period,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // executions are daily: no datapoint is no failure
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // no OK action: the page stays open until someone looks, not until the next quiet period
    if (this.alertTopic) alarm.addAlarmAction(new cwActions.SnsAction(this.alertTopic));
    return { stateMachine, schedule, alarm };
  }
}

/** One log group per stack for every job's executions (the vendedlogs prefix keeps Logs' resource policy small). */
function jobLogGroup(scope: Construct): logs.ILogGroup {
  const stack = Stack.of(scope);
  const id = 'DataMeshJobLogs';
  const existing = stack.node.tryFindChild(id) as logs.LogGroup | undefined;
  if (existing) return existing;
  return new logs.LogGroup(stack, id, {
    logGroupName: `/aws/vendedlogs/states/${stack.stackName}-data-mesh-jobs`,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
