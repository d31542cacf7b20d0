import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FunctionNetwork } from '../common/lambda';
import { IKafkaTopic } from '../kafka-topic/kafka-topic';

/** An Iceberg table: age = now - the current snapshot's timestamp (from the table's metadata.json). */
export interface TableFreshnessTarget {
  readonly kind: 'table';
  readonly databaseName: string;
  readonly tableName: string;
  /** Table location `s3://bucket/prefix/` (the function reads `metadata/*.metadata.json` under it). */
  readonly location: string;
  /** Key of the bucket. @default - no KMS grant */
  readonly encryptionKey?: kms.IKey;
}

/** A Kafka topic: age = now - the newest record's timestamp over all partitions. */
export interface TopicFreshnessTarget {
  readonly kind: 'topic';
  readonly topic: IKafkaTopic;
  /** Bootstrap brokers for SASL/IAM (`b-1...:9098,...`); TLS is always on. */
  readonly bootstrapBrokers: string;
}

export interface FreshnessMonitorProps {
  readonly domain: string;
  readonly product: string;
  readonly port: string;
  readonly target: TableFreshnessTarget | TopicFreshnessTarget;
  /** The worst-case staleness the port promises, in seconds (`worstCaseStalenessMs(freshness) / 1000`). */
  readonly maxStalenessSeconds: number;
  /** The domain's alert topic (it pages the domain's on-call). */
  readonly alertTopic: sns.ITopic;
  /**
   * The longest interval between two measurements, whatever the SLA.
   * @default 6 hours
   */
  readonly maxIntervalMinutes?: number;
  /** Metric namespace. @default 'DataMesh/Freshness' */
  readonly metricNamespace?: string;
  /** Where the measuring function runs (it must reach the brokers). @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /** Key encrypting the schedule's input. @default - AWS owned key */
  readonly scheduleKey?: kms.IKey;
}
