import { RemovalPolicy } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FunctionNetwork } from '../common/lambda';
import { KafkaTopic } from '../kafka-topic/kafka-topic';
import { TopicManifest } from '../kafka-topic/kafka-topic-props';
import { SchemaSubject } from '../schema-subject/schema-subject';
import { CompatibilityMode, SchemaRegistryRef } from '../schema-subject/schema-subject-props';

export interface PiiProjectionProps {
  /** The stream port's topic: its records are projected. */
  readonly sourceTopic: KafkaTopic;
  /** The port's schema subject: the projector reads each record's writer schema from it. */
  readonly sourceSubject: SchemaSubject;
  /** Every version of the port's Avro schema, oldest first (the subject's history). */
  readonly schemaVersions: readonly string[];
  /** The PII fields dropped: `governance.pii_fields` entries (dotted paths or bare leaf names). */
  readonly piiFields: readonly string[];
  /** The registry the projection's subject is created in (the domain's). */
  readonly registry: SchemaRegistryRef;
  /**
   * The compatibility mode of the projection's subject (the port's).
   * @default 'BACKWARD_TRANSITIVE'
   */
  readonly compatibility?: CompatibilityMode;
  /** SASL/IAM bootstrap brokers (port 9098) the projector produces through. */
  readonly bootstrapBrokers: string;
  /** Where the projector runs (it must reach the brokers). @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /** Notified when the projector fails (its batch is retried, and the projection waits). @default - no alarm */
  readonly alertTopic?: sns.ITopic;
  /**
   * Subjects already created in this domain, by subject name: a projection of a subject two
   * ports share is created once.
   * @default - a map private to this projection
   */
  readonly subjects?: Map<string, SchemaSubject>;
  /** Recorded topics; a replacing change of the projection topic throws. @default - no check */
  readonly topicManifest?: TopicManifest;
  /** The projection topic's key in the manifest. @default - the construct path */
  readonly manifestKey?: string;
  /** Records per invocation of the projector. @default 100 */
  readonly batchSize?: number;
  /**
   * Removal policy of the projection topic and subject. DESTROY takes effect only with the
   * `@data-mesh/cdk:allowDestroy` context flag.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
