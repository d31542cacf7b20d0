import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { acknowledgeWildcard } from '../common/nag';
import { parseS3Location } from '../iceberg-table/iceberg-table';
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
 */
export class FreshnessMonitor extends Construct {
  readonly intervalMinutes: number;
  readonly scheduleExpression: string;
  readonly schedule: scheduler.CfnSchedule;
  readonly metric: cloudwatch.Metric;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FreshnessMonitorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.intervalMinutes = measurementIntervalMinutes(props.maxStalenessSeconds, props.maxIntervalMinutes ?? 360);
    this.scheduleExpression = rateExpression(this.intervalMinutes);
    if (this.intervalMinutes * 60 > props.maxStalenessSeconds / 2) {
      Annotations.of(this).addWarningV2('@data-mesh/cdk:freshnessUnderSampled', `${props.domain}/${props.product}/${props.port}: an SLA of ${props.maxStalenessSeconds}s needs a measurement every ${props.maxStalenessSeconds / 2}s; EventBridge Scheduler's shortest rate is 1 minute`);
    }
    const namespace = props.metricNamespace ?? 'DataMesh/Freshness';

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
      Object.assign(input, { kind: 'topic', topicName: t.topic.topicName, bootstrapBrokers: t.bootstrapBrokers, consumerGroup: `data-mesh-freshness.${t.topic.topicName}` });
      t.topic.grantConsume(fn, `data-mesh-freshness.${t.topic.topicName}`);
    }

    const role = schedulerRole(stack, fn);
    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: `Freshness of ${props.domain}/${props.product}/${props.port}: every ${this.intervalMinutes} min (SLA ${props.maxStalenessSeconds}s)`,
      scheduleExpression: this.scheduleExpression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      kmsKeyArn: props.scheduleKey?.keyArn,
      target: {
        arn: fn.functionArn,
        roleArn: role.roleArn,
        input: JSON.stringify(input),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: Math.max(60, this.intervalMinutes * 60) },
      },
    });
    if (props.scheduleKey) props.scheduleKey.grantDecrypt(new iam.ServicePrincipal('scheduler.amazonaws.com'));

    // Each period holds at least one measurement (the schedule is exact), so a missing datapoint
    // means the probe is down, which must page like a stale port.
    const periodSeconds = Math.min(2 * this.intervalMinutes * 60, 86_400);
    this.metric = new cloudwatch.Metric({
      namespace,
      metricName: 'AgeSeconds',
      dimensionsMap: { Domain: props.domain, Product: props.product, Port: props.port },
      statistic: 'Maximum',
      period: Duration.seconds(periodSeconds),
    });
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
  }
}
