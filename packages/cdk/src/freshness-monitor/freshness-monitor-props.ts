import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BurnRateWindow } from './freshness-monitor-config';
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
  /**
   * The worst-case staleness the port promises, in seconds (`worstCaseStalenessMs(freshness) / 1000`).
   * It is measured at least twice per window: every `SLA / 2` (whole minutes, by an EventBridge
   * Scheduler rate, from 2 minutes of SLA up); under 2 minutes the schedule starts an Express
   * Step Functions workflow every minute that measures at fixed offsets within the minute
   * (every `floor(SLA / 2)` seconds, at least 1 s; an SLA under 2 s cannot be measured twice and
   * is a synth error).
   */
  readonly maxStalenessSeconds: number;
  /** The domain's alert topic (it pages the domain's on-call): the freshness alarm and the burn-rate alarms notify it. */
  readonly alertTopic: sns.ITopic;
  /**
   * The uptime the port promises, as a fraction (`parseUptime` of `@data-mesh/spec`: "99.9%" -> 0.999).
   * Its availability SLI is the share of freshness measurements within the SLA (CloudWatch's
   * percentile rank `PR(:maxStalenessSeconds)` of `AgeSeconds`); the error budget `1 - uptime`
   * is watched by multi-window burn-rate alarms (`burnRateWindows`).
   * @default - no availability SLI and no burn-rate alarms
   */
  readonly uptime?: number;
  /**
   * The burn-rate alarms of the availability SLI (with `uptime`). A window shorter than two
   * measurement intervals is widened to two intervals (so it always holds a measurement);
   * a threshold above a total outage (`burnRate x budget > 1`) is lowered to a total outage.
   * @default SRE_WORKBOOK_BURN_RATES (1 h / 5 min at 14.4x, 6 h / 30 min at 6x)
   */
  readonly burnRateWindows?: readonly BurnRateWindow[];
  /**
   * The longest interval between two measurements, whatever the SLA.
   * @default 6 hours
   */
  readonly maxIntervalMinutes?: number;
  /** Metric namespace. @default FRESHNESS_NAMESPACE ('DataMesh/Freshness') */
  readonly metricNamespace?: string;
  /** Where the measuring function runs (it must reach the brokers). @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /** Key encrypting the schedule's input. @default - AWS owned key */
  readonly scheduleKey?: kms.IKey;
}
