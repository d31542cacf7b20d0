import { withoutFields } from '@data-mesh/schema-compat';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ManagedKafkaEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { acknowledgeManagedPolicy } from '../common/nag';
import { KafkaTopic } from '../kafka-topic/kafka-topic';
import { CleanupPolicy } from '../kafka-topic/kafka-topic-props';
import type { PortDefinition } from '../data-product/data-product-props';
import { SchemaSubject } from '../schema-subject/schema-subject';
import { PiiProjectionProps } from './pii-projection-props';

/** What a projection's topic and subject add to the source's names. */
export const PII_FREE_SUFFIX = '.pii-free';

/** The topic of a stream's PII-free projection: `<topic>.pii-free`. */
export function piiFreeTopicName(topic: string): string {
  return `${topic}${PII_FREE_SUFFIX}`;
}

/**
 * A schema version without the PII fields (resolved as field references are: a dotted path,
 * or a bare name matching one leaf; nested ones are removed from the record that declares
 * them). `removed` lists the paths taken out: empty when the version carries none of them.
 */
export function piiFreeSchema(version: string, piiFields: readonly string[]): { readonly definition: string; readonly removed: readonly string[] } {
  let json: unknown;
  try {
    json = JSON.parse(version);
  } catch (e) {
    throw new Error(`the schema is not JSON: ${(e as Error).message}`);
  }
  const result = withoutFields(json, piiFields);
  if (!result.schema) throw new Error(`the schema is not valid Avro: ${result.errors[0]?.message ?? 'unknown error'}`);
  return { definition: JSON.stringify(result.schema), removed: result.removed };
}

/** Whether a port gets a PII-free projection: a stream port whose current schema holds one of the PII fields. */
export function needsPiiProjection(port: Pick<PortDefinition, 'type' | 'schemaVersions'>, piiFields: readonly string[]): boolean {
  const current = port.schemaVersions[port.schemaVersions.length - 1];
  return port.type === 'stream' && piiFields.length > 0 && current !== undefined && piiFreeSchema(current, piiFields).removed.length > 0;
}

const MS_PER_DAY = 86_400_000;

/**
 * The safe path to a stream with PII for consumers the platform has not authorized to read it:
 * a second topic, `<topic>.pii-free` (same partitions, replication and retention), whose
 * records are the source's without the PII fields, with its own schema subject
 * (`<subject>.pii-free`: every version of the port's schema with those fields removed, under
 * the port's compatibility mode), kept up to date by a projector function that an MSK event
 * source mapping feeds from the source topic (from its oldest retained record).
 *
 * Records are read and written in the AWS Glue Schema Registry wire format (see
 * `lambda/pii-projection/projection.js`); partition, key and timestamp are kept, headers are
 * not copied. A record the projector cannot decode fails its batch, which is retried: the
 * projection waits, and the Errors alarm notifies `alertTopic`. The topic and subject are
 * retained.
 *
 * @example
 * const projection = new PiiProjection(this, 'EventsPiiFree', {
 *   sourceTopic: topic, sourceSubject: subject, schemaVersions, piiFields: ['ip_address'],
 *   registry: domain.registry, bootstrapBrokers,
 * });
 * projection.topic.grantConsume(consumerRole);
 */
export class PiiProjection extends Construct {
  readonly topic: KafkaTopic;
  readonly subject: SchemaSubject;
  readonly projector: lambda.Function;
  /** Dotted paths of the fields the current schema version loses. */
  readonly removedFields: readonly string[];
  readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PiiProjectionProps) {
    super(scope, id);
    const source = props.sourceTopic;
    if (props.schemaVersions.length === 0) throw new Error(`PiiProjection ${this.node.path}: at least one schema version is required`);
    const versions = props.schemaVersions.map((v, i) => {
      try {
        return piiFreeSchema(v, props.piiFields);
      } catch (e) {
        throw new Error(`PiiProjection ${this.node.path}: schema version ${i + 1}: ${(e as Error).message}`);
      }
    });
    this.removedFields = versions[versions.length - 1]!.removed;
    if (this.removedFields.length === 0) {
      throw new Error(`PiiProjection ${this.node.path}: none of the PII fields (${props.piiFields.join(', ')}) is in the current schema of ${source.topicName}; there is nothing to project`);
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.topic = new KafkaTopic(this, 'Topic', {
      clusterArn: source.clusterArn,
      topicName: piiFreeTopicName(source.topicName),
      partitions: source.partitions,
      replicationFactor: source.replicationFactor,
      retentionDays: Number(source.configs['retention.ms']) / MS_PER_DAY,
      cleanupPolicy: source.configs['cleanup.policy'] as CleanupPolicy,
      manifest: props.topicManifest,
      manifestKey: props.manifestKey,
      removalPolicy,
    });

    const subjects = props.subjects ?? new Map<string, SchemaSubject>();
    const subjectName = `${props.sourceSubject.schemaName}${PII_FREE_SUFFIX}`;
    let subject = subjects.get(subjectName);
    if (!subject) {
      subject = new SchemaSubject(this, 'Schema', {
        registry: props.registry,
        schemaName: subjectName,
        versions: versions.map((v) => v.definition),
        compatibility: props.compatibility,
        description: `${props.sourceSubject.schemaName} without its PII fields (${this.removedFields.join(', ')})`,
        removalPolicy,
      });
      subjects.set(subjectName, subject);
    }
    this.subject = subject;

    this.projector = stackSingletonFunction(this, {
      handler: 'pii-projection',
      id: 'Projector',
      scope: this,
      description: `Projects ${source.topicName} to ${this.topic.topicName} without its PII fields`,
      bundledModules: ['avsc', 'kafkajs', 'aws-msk-iam-sasl-signer-js'],
      network: props.network,
      timeout: Duration.minutes(5),
      memorySize: 512,
    });
    this.projector.addEnvironment('TARGET_TOPIC', this.topic.topicName);
    this.projector.addEnvironment('BOOTSTRAP_BROKERS', props.bootstrapBrokers);
    this.projector.addEnvironment('PROJECTED_SCHEMA_VERSION_ID', this.subject.currentVersionId);
    props.sourceSubject.grantRead(this.projector);
    this.subject.grantRead(this.projector);
    this.topic.grantProduce(this.projector);
    const consumerGroup = `data-mesh-pii-projection.${source.topicName}`;
    source.grantConsume(this.projector, consumerGroup);
    this.projector.addToRolePolicy(new iam.PolicyStatement({
      // the idempotent producer, and the event source mapping's poller (IAM access control)
      actions: ['kafka-cluster:WriteDataIdempotently', 'kafka-cluster:DescribeClusterDynamicConfiguration'],
      resources: [source.clusterIamArn()],
    }));
    this.projector.addEventSource(new ManagedKafkaEventSource({
      clusterArn: source.clusterArn,
      topic: source.topicName,
      consumerGroupId: consumerGroup,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize ?? 100,
    }));
    acknowledgeManagedPolicy(
      this.projector.role!,
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaMSKExecutionRole').managedPolicyArn,
      'ManagedKafkaEventSource attaches it: the MSK event poller needs kafka:DescribeClusterV2, kafka:GetBootstrapBrokers and the EC2 network-interface actions in the cluster\'s subnets',
    );

    if (props.alertTopic) {
      this.alarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
        alarmDescription: `The PII projection of ${source.topicName} fails: ${this.topic.topicName} is not kept up to date`,
        metric: this.projector.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarm.addAlarmAction(new cwActions.SnsAction(props.alertTopic));
      this.alarm.addOkAction(new cwActions.SnsAction(props.alertTopic));
    }
  }
}
