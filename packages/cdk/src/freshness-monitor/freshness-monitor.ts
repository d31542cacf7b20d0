import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { acknowledgeWildcard } from '../common/nag';
import { parseS3Location } from '../iceberg-table/iceberg-table';
import { BurnRateWindow, FRESHNESS_NAMESPACE, MIN_MEASUREMENT_INTERVAL_SECONDS, SRE_WORKBOOK_BURN_RATES } from './freshness-monitor-config';
import { FreshnessMonitorProps } from './freshness-monitor-props';

/**
 * The measuring interval for an SLA: at most half the promised staleness (so a breach is seen
 * within the SLA), in whole minutes (EventBridge Scheduler's rate unit), at least one minute,
 * at most `maxIntervalMinutes`.
 */
export function measurementIntervalMinutes(maxStalenessSeconds: number, maxIntervalMinutes = 360): number {
  if (!(maxStalenessSeconds > 0)) throw new Error('maxStalenessSeconds must be positive');
  return Math.max(1, Math.min(maxIntervalMinutes, Math.floor(maxStalenessSeconds / 2 / 60)));
}

/**
 * The measuring interval for an SLA, in seconds: at most half the promised staleness. From two
 * minutes of SLA up, whole minutes (see {@link measurementIntervalMinutes}); below, whole seconds,
 * at least {@link MIN_MEASUREMENT_INTERVAL_SECONDS}.
 */
export function measurementIntervalSeconds(maxStalenessSeconds: number, maxIntervalMinutes = 360): number {
  if (!(maxStalenessSeconds > 0)) throw new Error('maxStalenessSeconds must be positive');
  if (maxStalenessSeconds >= 120) return measurementIntervalMinutes(maxStalenessSeconds, maxIntervalMinutes) * 60;
  return Math.max(MIN_MEASUREMENT_INTERVAL_SECONDS, Math.floor(maxStalenessSeconds / 2));
}

/** Seconds after the start of each minute at which a sub-minute interval measures: 0, i, 2i, ... below 60. */
export function measurementOffsets(intervalSeconds: number): number[] {
  const offsets: number[] = [];
  for (let t = 0; t < 60; t += intervalSeconds) offsets.push(t);
  return offsets;
}

/** The `AgeSeconds` metric of a port (what the freshness function publishes). */
export function freshnessAgeMetric(domain: string, product: string, port: string, options: { period?: Duration; namespace?: string } = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: options.namespace ?? FRESHNESS_NAMESPACE,
    metricName: 'AgeSeconds',
    dimensionsMap: { Domain: domain, Product: product, Port: port },
    statistic: 'Maximum',
    period: options.period ?? Duration.minutes(5),
  });
}

/**
 * A port's availability SLI: the percentage of freshness measurements within the SLA in each
 * period (CloudWatch's percentile rank `PR(:sla)` over the raw `AgeSeconds` values).
 */
export function availabilityMetric(domain: string, product: string, port: string, maxStalenessSeconds: number, options: { period?: Duration; namespace?: string } = {}): cloudwatch.Metric {
  return freshnessAgeMetric(domain, product, port, options).with({ statistic: cloudwatch.Stats.percentileRank(maxStalenessSeconds), label: 'checks within the SLA (%)' });
}

/** A burn-rate window as deployed: the windows widened to the measurement interval, the threshold bounded by a total outage. */
export interface DeployedBurnRate {
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
  /** The burn rate asked for. */
  readonly burnRate: number;
  /** The alarm threshold on the burn rate (`burnRate`, or `1 / budget` when that is lower). */
  readonly threshold: number;
  readonly longAlarm: cloudwatch.Alarm;
  readonly shortAlarm: cloudwatch.Alarm;
  /** Both windows burning: notifies the alert topic. */
  readonly alarm: cloudwatch.CompositeAlarm;
}

/** A window widened to two measurement intervals, in whole minutes, at most a day (CloudWatch's longest alarm period). */
export function burnRateWindowSeconds(window: Duration, intervalSeconds: number): number {
  const seconds = Math.max(window.toSeconds(), 2 * intervalSeconds);
  return Math.min(86_400, Math.ceil(seconds / 60) * 60);
}

/** The consumer group the freshness function reads a topic with (never a pipeline's group: it commits no offsets). */
export function freshnessConsumerGroup(topicName: string): string {
  return `data-mesh-freshness.${topicName}`;
}

/** `rate(5 minutes)`, `rate(2 hours)`, `rate(1 minute)`. */
export function rateExpression(minutes: number): string {
  if (minutes % 60 === 0) return `rate(${minutes / 60} ${minutes === 60 ? 'hour' : 'hours'})`;
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

function schedulerRole(scope: Construct, fn: lambda.IFunction): iam.Role {
  const stack = Stack.of(scope);
  const id = 'DataMeshFreshnessSchedulerRole';
  let role = stack.node.tryFindChild(id) as iam.Role | undefined;
  if (!role) {
    role = new iam.Role(stack, id, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: 'EventBridge Scheduler invoking the data-mesh freshness function',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  }
  return role;
}

/**
 * Measures how old a port's data really is and pages when it is older than promised:
 * an EventBridge Scheduler schedule (flexible time window OFF, rate at most half the SLA)
 * invokes a shared function that reads the newest record time (topic) or the current
 * snapshot's commit time (Iceberg table) and publishes `AgeSeconds`; an alarm on the maximum
 * age above the SLA, treating missing data as breaching (a dead probe pages too), notifies the
 * domain's encrypted alert topic, which pages its on-call.
 *
 * SLAs under 2 minutes need more than one measurement a minute, which no schedule gives: the
 * schedule starts an Express Step Functions workflow every minute that measures at fixed
 * offsets (every `floor(SLA / 2)` s). A workflow rather than a loop inside the function keeps
 * the measurement times exact whatever one measurement takes, and reuses the function as it is.
 *
 * With `uptime`, the availability SLI (the share of measurements within the SLA) and
 * multi-window burn-rate alarms of its error budget page the same topic.
 */
export class FreshnessMonitor extends Construct {
  /** Minutes between two starts of the schedule (1 for a sub-minute interval). */
  readonly intervalMinutes: number;
  /** Seconds between two measurements. */
  readonly intervalSeconds: number;
  readonly scheduleExpression: string;
  readonly schedule: scheduler.CfnSchedule;
  /**
   * With an interval under a minute: the Express workflow the schedule starts every minute, measuring at
   * {@link measurementOffsets} seconds.
   * @default - none (the schedule invokes the function directly)
   */
  readonly subMinuteWorkflow?: sfn.StateMachine;
  readonly metric: cloudwatch.Metric;
  readonly alarm: cloudwatch.Alarm;
  /** The availability SLI (with `uptime`). */
  readonly availability?: cloudwatch.Metric;
  /** The burn-rate alarms (with `uptime`), one per window pair. */
  readonly burnRateAlarms: DeployedBurnRate[] = [];

  constructor(scope: Construct, id: string, props: FreshnessMonitorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.intervalSeconds = measurementIntervalSeconds(props.maxStalenessSeconds, props.maxIntervalMinutes ?? 360);
    this.intervalMinutes = Math.max(1, this.intervalSeconds / 60);
    this.scheduleExpression = rateExpression(this.intervalMinutes);
    if (this.intervalSeconds > props.maxStalenessSeconds / 2) {
      Annotations.of(this).addError(`${props.domain}/${props.product}/${props.port}: an SLA of ${props.maxStalenessSeconds}s cannot be measured twice per window (every ${props.maxStalenessSeconds / 2}s): the shortest measurement interval is ${MIN_MEASUREMENT_INTERVAL_SECONDS}s; promise at least ${2 * MIN_MEASUREMENT_INTERVAL_SECONDS} seconds`);
    }
    const namespace = props.metricNamespace ?? FRESHNESS_NAMESPACE;

    const fn = stackSingletonFunction(this, {
      handler: 'freshness',
      description: 'Measures the age of data-mesh ports (newest Kafka record, current Iceberg snapshot) and publishes it',
      bundledModules: ['kafkajs', 'aws-msk-iam-sasl-signer-js'],
      network: props.network,
      timeout: Duration.seconds(60),
    });
    if (!stack.node.tryFindChild('DataMeshFreshnessMetricPolicy')) {
      const policy = new iam.Policy(stack, 'DataMeshFreshnessMetricPolicy', {
        statements: [new iam.PolicyStatement({
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
        })],
      });
      policy.attachToRole(fn.role!);
      Validations.of(policy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]', reason: 'cloudwatch:PutMetricData has no resource-level permissions; it is limited to one namespace by condition',
      });
    }

    const input: Record<string, unknown> = { domain: props.domain, product: props.product, port: props.port, namespace };
    const t = props.target;
    if (t.kind === 'table') {
      const { bucket, prefix } = parseS3Location(t.location);
      Object.assign(input, { kind: 'table', databaseName: t.databaseName, tableName: t.tableName });
      fn.addToRolePolicy(new iam.PolicyStatement({
        actions: ['glue:GetTable'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: t.databaseName }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${t.databaseName}/${t.tableName}` }),
        ],
      }));
      const metadataObjects = `arn:${stack.partition}:s3:::${bucket}/${prefix}metadata/*`;
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [metadataObjects] }));
      acknowledgeWildcard(fn.role!, metadataObjects, 'the current metadata.json has a generated name; reads are limited to the table\'s metadata/ prefix');
      t.encryptionKey?.grantDecrypt(fn);
    } else {
      const group = freshnessConsumerGroup(t.topic.topicName);
      Object.assign(input, { kind: 'topic', topicName: t.topic.topicName, bootstrapBrokers: t.bootstrapBrokers, consumerGroup: group });
      // Sub-minute measurements may overlap: each offset has a group of its own (`<group>.at<offset>s`), so none rebalances another.
      t.topic.grantConsume(fn, this.intervalSeconds < 60 ? `${group}.at*` : group);
    }

    const role = schedulerRole(stack, fn);
    let targetArn = fn.functionArn;
    if (this.intervalSeconds < 60) {
      this.subMinuteWorkflow = this.subMinuteMeasurements(fn, this.intervalSeconds, input);
      this.subMinuteWorkflow.grantStartExecution(role);
      targetArn = this.subMinuteWorkflow.stateMachineArn;
    }
    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: `Freshness of ${props.domain}/${props.product}/${props.port}: every ${this.intervalSeconds < 60 ? `${this.intervalSeconds} s` : `${this.intervalMinutes} min`} (SLA ${props.maxStalenessSeconds}s)`,
      scheduleExpression: this.scheduleExpression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      kmsKeyArn: props.scheduleKey?.keyArn,
      target: {
        arn: targetArn,
        roleArn: role.roleArn,
        input: JSON.stringify(input),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: Math.max(60, this.intervalMinutes * 60) },
      },
    });
    if (props.scheduleKey) props.scheduleKey.grantDecrypt(new iam.ServicePrincipal('scheduler.amazonaws.com'));

    // Each period holds at least one measurement (the schedule is exact), so a missing datapoint
    // means the probe is down, which must page like a stale port.
    // (The metric has standard resolution: a period is at least a minute, which holds every
    // sub-minute measurement of that minute.)
    const periodSeconds = Math.min(Math.max(60, 2 * this.intervalSeconds), 86_400);
    this.metric = freshnessAgeMetric(props.domain, props.product, props.port, { namespace, period: Duration.seconds(periodSeconds) });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `${props.domain}/${props.product} port ${props.port} is older than its freshness SLA (${props.maxStalenessSeconds}s)`,
      metric: this.metric,
      threshold: props.maxStalenessSeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new cwActions.SnsAction(props.alertTopic));
    this.alarm.addOkAction(new cwActions.SnsAction(props.alertTopic));

    if (props.uptime !== undefined) {
      if (!(props.uptime > 0 && props.uptime <= 1)) throw new Error(`FreshnessMonitor ${this.node.path}: uptime must be a fraction in (0, 1], got ${props.uptime}`);
      this.availability = availabilityMetric(props.domain, props.product, props.port, props.maxStalenessSeconds, { namespace, period: Duration.seconds(periodSeconds) });
      (props.burnRateWindows ?? SRE_WORKBOOK_BURN_RATES).forEach((w, i) => this.burnRateAlarms.push(this.burnRateAlarm(props, namespace, w, i)));
    }
  }

  /**
   * Two alarms on the burn rate `(100 - availability%) / (100 x budget)` over the long and the
   * short window, and a composite alarm (both in alarm) that pages. Missing measurements breach
   * (no measurement proves no uptime), as in the freshness alarm.
   */
  private burnRateAlarm(props: FreshnessMonitorProps, namespace: string, w: BurnRateWindow, index: number): DeployedBurnRate {
    if (!(w.burnRate > 0)) throw new Error(`FreshnessMonitor ${this.node.path}: burnRate must be positive`);
    const budget = 1 - props.uptime!;
    const key = `${props.domain}/${props.product} port ${props.port}`;
    // A 100% promise has no budget: any missed measurement is a breach (error ratio > 0).
    // (rounded: 1 - 0.999 is 0.0010000000000000009 in floating point)
    const denominator = budget > 0 ? Number((100 * budget).toPrecision(12)) : 1;
    const threshold = budget > 0 ? Number(Math.min(w.burnRate, 1 / budget).toPrecision(12)) : 0;
    const comparison = budget > 0 && w.burnRate >= 1 / budget
      ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
      : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const windowAlarm = (name: string, seconds: number) => new cloudwatch.Alarm(this, `BurnRate${index + 1}${name}`, {
      alarmDescription: `${key}: error-budget burn rate over ${seconds / 60} min (uptime ${props.uptime! * 100}%, threshold ${threshold}x)`,
      metric: new cloudwatch.MathExpression({
        expression: `(100 - availability) / ${denominator}`,
        usingMetrics: { availability: availabilityMetric(props.domain, props.product, props.port, props.maxStalenessSeconds, { namespace, period: Duration.seconds(seconds) }) },
        period: Duration.seconds(seconds),
        label: `burn rate (${seconds / 60} min)`,
      }),
      threshold,
      comparisonOperator: comparison,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    const longWindowSeconds = burnRateWindowSeconds(w.longWindow, this.intervalSeconds);
    const shortWindowSeconds = burnRateWindowSeconds(w.shortWindow, this.intervalSeconds);
    const longAlarm = windowAlarm('Long', longWindowSeconds);
    const shortAlarm = windowAlarm('Short', shortWindowSeconds);
    const alarm = new cloudwatch.CompositeAlarm(this, `BurnRate${index + 1}`, {
      alarmDescription: `${key} spends its error budget ${threshold}x too fast (over ${longWindowSeconds / 60} and ${shortWindowSeconds / 60} min): uptime ${props.uptime! * 100}% is at risk`,
      alarmRule: cloudwatch.AlarmRule.allOf(cloudwatch.AlarmRule.fromAlarm(longAlarm, cloudwatch.AlarmState.ALARM), cloudwatch.AlarmRule.fromAlarm(shortAlarm, cloudwatch.AlarmState.ALARM)),
    });
    alarm.addAlarmAction(new cwActions.SnsAction(props.alertTopic));
    alarm.addOkAction(new cwActions.SnsAction(props.alertTopic));
    return { longWindowSeconds, shortWindowSeconds, burnRate: w.burnRate, threshold, longAlarm, shortAlarm, alarm };
  }

  /**
   * EventBridge Scheduler starts at most once a minute: an Express workflow started every minute
   * runs one branch per offset (Wait offset s, then invoke the function with the port's input, a
   * topic's consumer group suffixed by the offset), so measurements start at fixed times whatever
   * each one takes. A failed measurement is caught in its branch (it leaves no datapoint, which
   * the alarms count against the port).
   */
  private subMinuteMeasurements(fn: lambda.IFunction, intervalSeconds: number, input: Record<string, unknown>): sfn.StateMachine {
    const measureAll = new sfn.Parallel(this, 'MeasureWithinTheMinute', { resultPath: sfn.JsonPath.DISCARD });
    for (const offset of measurementOffsets(intervalSeconds)) {
      const payload = typeof input.consumerGroup === 'string' ? { ...input, consumerGroup: `${input.consumerGroup}.at${offset}s` } : input;
      const measure = new tasks.LambdaInvoke(this, `MeasureAt${offset}s`, { lambdaFunction: fn, payload: sfn.TaskInput.fromObject(payload), resultPath: sfn.JsonPath.DISCARD, retryOnServiceExceptions: false });
      measure.addCatch(new sfn.Pass(this, `Missed${offset}s`), { resultPath: sfn.JsonPath.DISCARD });
      measureAll.branch(offset === 0 ? measure : new sfn.Wait(this, `Wait${offset}s`, { time: sfn.WaitTime.duration(Duration.seconds(offset)) }).next(measure));
    }
    const logGroup = new logs.LogGroup(this, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
    const workflow = new sfn.StateMachine(this, 'SubMinute', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(measureAll),
      timeout: Duration.minutes(2),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Freshness measured every ${intervalSeconds} s`,
    });
    Validations.of(workflow.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'CloudWatch Logs delivery and X-Ray actions of Step Functions have no resource-level permissions' });
    acknowledgeWildcard(workflow.role, `${fn.functionArn}:*`, 'Step Functions invokes the freshness function by any of its versions; the grant is limited to that function');
    return workflow;
  }
}
