import type { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FunctionNetwork } from '../common/lambda';
import type { LifecycleStatus } from '@data-mesh/spec';
import type { LifecycleReplacement, PortDeprecation } from '../data-product/lifecycle';
import type { DataHubFieldType } from './datahub-types';

/** A field of a port's schema, for DataHub's schemaMetadata. */
export interface CatalogField {
  /** Dotted path (`payload.customer_id`). */
  readonly path: string;
  /** Native type as written (`string`, `long (timestamp-millis)`, `record Payload`). */
  readonly nativeType: string;
  readonly nullable?: boolean;
  readonly description?: string;
  /**
   * The DataHub type (`catalogFields` derives it from the Avro schema).
   * @default - read from `nativeType` (`dataHubTypeOfNative`)
   */
  readonly type?: DataHubFieldType;
}

/** A field an input port consumes, in the upstream dataset it is read from (for field-level lineage). */
export interface CatalogUpstreamField {
  /** URN of the consumed port's dataset. */
  readonly datasetUrn: string;
  /** The field's dotted path in that dataset's schema (`payload.customer_id`). */
  readonly path: string;
}

/** A port as DataHub sees it: a dataset. */
export interface CatalogPort {
  readonly name: string;
  /** `kafka` (stream ports) or `iceberg` (batch ports). */
  readonly platform: 'kafka' | 'iceberg';
  /** Dataset name on the platform: the topic, or `<database>.<table>`. */
  readonly datasetName: string;
  readonly description?: string;
  readonly freshness: string;
  readonly uptime: string;
  readonly schemaName: string;
  readonly fields: readonly CatalogField[];
  /** URNs of upstream datasets (from inputPorts). */
  readonly upstreamUrns?: readonly string[];
  /**
   * The fields the product's input ports consume, resolved in their datasets: the port's
   * `upstreamLineage.fineGrainedLineages` (a field of this port with the same name is fed by it,
   * the rest feed the port as a whole).
   * @default - dataset-level lineage only
   */
  readonly upstreamFields?: readonly CatalogUpstreamField[];
  readonly deprecated?: boolean;
  /**
   * The port's deprecation (`portDeprecation`): its `deprecation` aspect carries the note with
   * the sunset and the replacement, and the decommission time.
   * @default - in service (`deprecated: false`)
   */
  readonly deprecation?: PortDeprecation;
}

export interface CatalogRegistrationProps {
  /** DataHub GMS endpoint (`https://datahub-gms.internal:8080`). Must be https. */
  readonly serverUrl: string;
  /** Secret holding the DataHub personal access token. @default - no Authorization header */
  readonly tokenSecret?: secretsmanager.ISecret;
  readonly domain: string;
  readonly product: string;
  readonly version: string;
  readonly ownerTeam: string;
  readonly classification: string;
  readonly tags: readonly string[];
  readonly description: string;
  readonly ports: readonly CatalogPort[];
  /**
   * The product's status, the `lifecycle` custom property of every port: a `shadow` product's
   * datasets are in the catalog but not authoritative.
   * @default 'active'
   */
  readonly lifecycle?: LifecycleStatus;
  /** What the product takes over from (the `replaces` custom property). @default - nothing */
  readonly replaces?: readonly LifecycleReplacement[];
  /**
   * The product's own deprecation (`portDeprecation` of the product with no port of its own):
   * the `deprecation` aspect of the dataProduct entity. A retired product's freshness assertions
   * are soft-deleted (nothing measures them any more).
   * @default - in service
   */
  readonly productDeprecation?: PortDeprecation;
  /**
   * Who registers the product (`<stack>/<construct path>`, set by the construct): the
   * `registered_by` custom property. A Delete soft-deletes the product only while it is still
   * registered by this resource, so a product that moved to another stack is not removed.
   * @default - none
   */
  readonly registrant?: string;
  /** DataHub environment (fabric). @default 'PROD' */
  readonly environment?: string;
  /** @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /**
   * How long the function keeps retrying an unreachable catalog (exponential backoff from 1 s,
   * at most 8 attempts per proposal) before it reports the registration failed and lets the
   * deploy go on.
   * @default Duration.minutes(2)
   */
  readonly retryBudget?: Duration;
  /**
   * Where the stack's registration-failure alarm notifies (one alarm per stack, on
   * `DataMesh/Catalog RegistrationFailures`).
   * @default - the alarm notifies no one
   */
  readonly alarmTopic?: sns.ITopic;
}
