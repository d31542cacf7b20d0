import { RemovalPolicy } from 'aws-cdk-lib';

/** Kafka's cleanup.policy. */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

/**
 * What was deployed for a topic, as recorded after the last successful deploy. A
 * {@link KafkaTopic} compares itself against its entry and refuses to synthesize a change that
 * CloudFormation would implement by replacing the topic (new name, new cluster, new replication
 * factor) or that Kafka cannot do at all (fewer partitions).
 */
export interface TopicManifestEntry {
  readonly topicName: string;
  readonly clusterArn: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** Recorded topics keyed by {@link KafkaTopicProps.manifestKey} (e.g. `customer/customer-360/customer_profile_stream`). */
export type TopicManifest = Readonly<Record<string, TopicManifestEntry>>;

export interface KafkaTopicProps {
  /** ARN of the provisioned MSK cluster (Kafka >= 3.6; AWS::MSK::Topic does not support serverless clusters). */
  readonly clusterArn: string;
  /** Topic name: `[a-zA-Z0-9._-]`, at most 249 characters. */
  readonly topicName: string;
  /**
   * Number of partitions. May grow between deploys, never shrink.
   * @default 6
   */
  readonly partitions?: number;
  /**
   * Replication factor; fixed for the life of the topic (changing it replaces the topic).
   * @default 3
   */
  readonly replicationFactor?: number;
  /**
   * `min.insync.replicas`.
   * @default - replicationFactor - 1, at least 1
   */
  readonly minInSyncReplicas?: number;
  /**
   * How long records are kept (`retention.ms`), in days, usually the product's `governance.retention_days`.
   * @default 7
   */
  readonly retentionDays?: number;
  /**
   * `cleanup.policy`.
   * @default 'delete'
   */
  readonly cleanupPolicy?: CleanupPolicy;
  /**
   * The recorded state of deployed topics, and this topic's key in it. When the manifest has an
   * entry under the key, a replacing change throws at synth.
   * @default - no check (first deploy, or a library user who keeps no manifest)
   */
  readonly manifest?: TopicManifest;
  /** @default - the construct path */
  readonly manifestKey?: string;
  /**
   * The removal policy. DESTROY takes effect only with the `@data-mesh/cdk:allowDestroy` context flag.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
