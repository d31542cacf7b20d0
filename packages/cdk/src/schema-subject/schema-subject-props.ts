import type { CompatibilityMode } from '@data-mesh/schema-compat';
import { RemovalPolicy } from 'aws-cdk-lib';

/** Compatibility modes of a port, with Confluent Schema Registry's meaning: `@data-mesh/schema-compat`'s, re-exported. */
export type { CompatibilityMode };

/** The Glue Schema Registry's names for the same modes. */
export type GlueCompatibility = 'NONE' | 'DISABLED' | 'BACKWARD' | 'BACKWARD_ALL' | 'FORWARD' | 'FORWARD_ALL' | 'FULL' | 'FULL_ALL';

/** A Glue schema registry, as the construct needs it. */
export interface SchemaRegistryRef {
  readonly registryArn: string;
  readonly registryName: string;
}

export interface SchemaSubjectProps {
  /** The registry (one per domain). */
  readonly registry: SchemaRegistryRef;
  /** Schema name in the registry: the subject (`customer_profile_v2`). */
  readonly schemaName: string;
  /**
   * Every version of the Avro definition, oldest first; the last one is current. The first becomes
   * the schema's initial definition (create-only in CloudFormation), each later one an
   * `AWS::Glue::SchemaVersion`. Appending keeps earlier resources unchanged.
   */
  readonly versions: readonly string[];
  /**
   * The port's compatibility mode.
   * @default 'BACKWARD_TRANSITIVE'
   */
  readonly compatibility?: CompatibilityMode;
  /** @default - none */
  readonly description?: string;
  /**
   * DESTROY takes effect only with the `@data-mesh/cdk:allowDestroy` context flag.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
