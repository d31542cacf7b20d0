import { Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as msk from 'aws-cdk-lib/aws-msk';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeWildcard } from '../common/nag';
import { dataRemovalPolicy } from '../common/removal-policy';
import { CleanupPolicy, KafkaTopicProps, TopicManifestEntry } from './kafka-topic-props';

/** The topic as other constructs see it. */
export interface IKafkaTopic {
  readonly topicName: string;
  readonly clusterArn: string;
  /** The IAM resource ARN of the topic (`arn:aws:kafka:<region>:<account>:topic/<cluster>/<uuid>/<topic>`). */
  readonly topicIamArn: string;
  grantProduce(grantee: iam.IGrantable): iam.Grant;
  grantConsume(grantee: iam.IGrantable, consumerGroup?: string): iam.Grant;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const MS_PER_DAY = 86_400_000;

/** Thrown at synth when a topic change would replace (and so empty) the deployed topic. */
export class TopicReplacementError extends Error {
  constructor(readonly key: string, readonly changes: string[]) {
    super(
      `Kafka topic ${key}: ${changes.join('; ')}. CloudFormation would replace the topic (its records would be lost to consumers) ` +
      'or Kafka cannot apply it. Add a new port version (a new topic ...v<major+1>) beside the deprecated one instead.',
    );
    this.name = 'TopicReplacementError';
  }
}

/** Compares a desired topic with its recorded entry; returns the replacing changes (empty when safe). */
export function replacingChanges(recorded: TopicManifestEntry, desired: TopicManifestEntry): string[] {
  const changes: string[] = [];
  if (recorded.topicName !== desired.topicName) changes.push(`name changes from "${recorded.topicName}" to "${desired.topicName}"`);
  if (recorded.clusterArn !== desired.clusterArn) changes.push(`cluster changes from ${recorded.clusterArn} to ${desired.clusterArn}`);
  if (recorded.replicationFactor !== desired.replicationFactor) changes.push(`replication factor changes from ${recorded.replicationFactor} to ${desired.replicationFactor}`);
  if (desired.partitions < recorded.partitions) changes.push(`partitions decrease from ${recorded.partitions} to ${desired.partitions} (Kafka can only add partitions)`);
  return changes;
}

/**
 * A Kafka topic on a provisioned MSK cluster, as `AWS::MSK::Topic`.
 *
 * Replacement safety: the topic name, cluster and replication factor are replacement-only
 * properties of AWS::MSK::Topic, and partitions can only grow. The construct is always retained
 * (also on replacement, through UpdateReplacePolicy), and when given the manifest of what was
 * deployed it throws {@link TopicReplacementError} at synth for any such change, so a
 * replacement never reaches CloudFormation.
 *
 * @example
 * const topic = new KafkaTopic(this, 'Orders', { clusterArn, topicName: 'orders.v1', retentionDays: 30 });
 * topic.grantProduce(pipelineRole);
 */
export class KafkaTopic extends Construct implements IKafkaTopic {
  readonly topicName: string;
  readonly clusterArn: string;
  readonly topicIamArn: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs as written (before base64). */
  readonly configs: Readonly<Record<string, string>>;
  /** What the manifest should record for this topic after a successful deploy. */
  readonly manifestEntry: TopicManifestEntry;
  readonly manifestKey: string;
  readonly resource: msk.CfnTopic;
  private readonly clusterName: string;
  private readonly clusterUuid: string;

  constructor(scope: Construct, id: string, props: KafkaTopicProps) {
    super(scope, id);
    if (!TOPIC_NAME.test(props.topicName)) {
      throw new Error(`KafkaTopic ${this.node.path}: topic name "${props.topicName}" must match ${TOPIC_NAME} (Kafka's legal characters, at most 249)`);
    }
    this.partitions = props.partitions ?? 6;
    this.replicationFactor = props.replicationFactor ?? 3;
    if (!Number.isInteger(this.partitions) || this.partitions < 1) throw new Error(`KafkaTopic ${this.node.path}: partitions must be an integer >= 1`);
    if (!Number.isInteger(this.replicationFactor) || this.replicationFactor < 1) throw new Error(`KafkaTopic ${this.node.path}: replicationFactor must be an integer >= 1`);
    const minIsr = props.minInSyncReplicas ?? Math.max(1, this.replicationFactor - 1);
    if (minIsr > this.replicationFactor) throw new Error(`KafkaTopic ${this.node.path}: minInSyncReplicas (${minIsr}) exceeds replicationFactor (${this.replicationFactor})`);
    const retentionDays = props.retentionDays ?? 7;
    if (!(retentionDays > 0)) throw new Error(`KafkaTopic ${this.node.path}: retentionDays must be positive`);
    const cleanup: CleanupPolicy = props.cleanupPolicy ?? 'delete';

    this.topicName = props.topicName;
    this.clusterArn = props.clusterArn;
    this.manifestKey = props.manifestKey ?? this.node.path;
    this.manifestEntry = { topicName: this.topicName, clusterArn: this.clusterArn, partitions: this.partitions, replicationFactor: this.replicationFactor };
    const recorded = props.manifest?.[this.manifestKey];
    if (recorded) {
      const changes = replacingChanges(recorded, this.manifestEntry);
      if (changes.length > 0) throw new TopicReplacementError(this.manifestKey, changes);
    }

    this.configs = {
      'cleanup.policy': cleanup,
      'retention.ms': String(Math.round(retentionDays * MS_PER_DAY)),
      'min.insync.replicas': String(minIsr),
    };
    // MSK's topic API takes the topic configs as a base64-encoded JSON object of string values.
    const configs = Buffer.from(JSON.stringify(this.configs), 'utf8').toString('base64');

    this.resource = new msk.CfnTopic(this, 'Resource', {
      clusterArn: props.clusterArn,
      topicName: props.topicName,
      partitionCount: this.partitions,
      replicationFactor: this.replicationFactor,
      configs,
    });
    this.resource.applyRemovalPolicy(dataRemovalPolicy(this, props.removalPolicy ?? RemovalPolicy.RETAIN));

    // arn:aws:kafka:region:account:cluster/<name>/<uuid>  ->  .../topic/<name>/<uuid>/<topic>
    if (Token.isUnresolved(props.clusterArn)) {
      const resourcePart = Fn.select(5, Fn.split(':', props.clusterArn));
      this.clusterName = Fn.select(1, Fn.split('/', resourcePart));
      this.clusterUuid = Fn.select(2, Fn.split('/', resourcePart));
    } else {
      const m = /^arn:[^:]+:kafka:[^:]*:[^:]*:cluster\/([^/]+)\/([^/]+)$/.exec(props.clusterArn);
      if (!m) throw new Error(`KafkaTopic ${this.node.path}: "${props.clusterArn}" is not an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>)`);
      this.clusterName = m[1];
      this.clusterUuid = m[2];
    }
    const stack = Stack.of(this);
    this.topicIamArn = stack.formatArn({ service: 'kafka', resource: 'topic', resourceName: `${this.clusterName}/${this.clusterUuid}/${this.topicName}` });
  }

  /** The IAM resource ARN of the topic's cluster (for cluster actions such as `kafka-cluster:WriteDataIdempotently`). */
  clusterIamArn(): string {
    return Stack.of(this).formatArn({ service: 'kafka', resource: 'cluster', resourceName: `${this.clusterName}/${this.clusterUuid}` });
  }

  /** Write access to this topic only (IAM access control on MSK). */
  grantProduce(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
      resourceArns: [this.clusterIamArn(), this.topicIamArn],
    });
  }

  /**
   * Read access to this topic, and to the consumer group(s) named by `consumerGroup`.
   * @param consumerGroup group name or prefix pattern; @default - groups named after the topic (`<topic>*`)
   */
  grantConsume(grantee: iam.IGrantable, consumerGroup?: string): iam.Grant {
    const group = consumerGroup ?? `${this.topicName}*`;
    const groupArn = Stack.of(this).formatArn({ service: 'kafka', resource: 'group', resourceName: `${this.clusterName}/${this.clusterUuid}/${group}` });
    const principal = grantee.grantPrincipal as unknown as IConstruct;
    if (group.includes('*') && typeof (principal as { node?: unknown }).node === 'object') {
      acknowledgeWildcard(principal, groupArn, 'consumer groups are named by the consumer at run time; the pattern limits them to its prefix');
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData', 'kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
      resourceArns: [this.clusterIamArn(), this.topicIamArn, groupArn],
    });
  }

  /** Same as {@link grantConsume}: read the topic. */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantConsume(grantee);
  }
}
