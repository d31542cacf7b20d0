import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CatalogField, CatalogUpstreamField } from '../catalog-registration/catalog-registration-props';
import { FunctionNetwork } from '../common/lambda';
import { IDataDomain } from '../data-domain/data-domain';
import { TableColumn } from '../iceberg-table/iceberg-schema';
import { TopicManifest } from '../kafka-topic/kafka-topic-props';
import { QualityCheck } from '../quality-ruleset/quality-ruleset-props';
import { CompatibilityMode } from '../schema-subject/schema-subject-props';
import { SchemaSubject } from '../schema-subject/schema-subject';
import { LifecycleReplacement, ProductLifecycle } from './lifecycle';

/** An output port, in the terms the constructs need (see `productDefinitionFromSpec`). */
export interface PortDefinition {
  readonly name: string;
  readonly type: 'stream' | 'batch';
  readonly description?: string;
  /** Schema subject (`customer_profile_v2`). */
  readonly subject: string;
  /** Avro definitions of the subject, oldest first (the schema file's history). */
  readonly schemaVersions: readonly string[];
  /** Columns of the current schema (Avro -> Glue types), for Iceberg tables and grants. */
  readonly columns: readonly TableColumn[];
  /** Columns of earlier versions, oldest first, for stable Iceberg field ids. @default - none */
  readonly previousColumns?: readonly (readonly TableColumn[])[];
  /** Leaf fields for the catalog. */
  readonly catalogFields: readonly CatalogField[];
  readonly topic?: string;
  readonly location?: string;
  readonly partitioning?: string;
  /**
   * Batch ports: the top-level date/timestamp column whose age `retentionDays` is measured by
   * (the spec's `recordTimeField`, declared or derived). A batch port without one is rejected.
   * @default - none (stream ports)
   */
  readonly timeColumn?: string;
  readonly compatibility: CompatibilityMode;
  readonly freshness: string;
  readonly uptime: string;
  /** Worst-case staleness the port promises, in seconds. */
  readonly maxStalenessSeconds: number;
  /** @default false */
  readonly deprecated?: boolean;
  /** A deprecated port's own sunset, YYYY-MM-DD (UTC). @default - the product's */
  readonly sunset?: string;
  /** What a deprecated port's consumers move to. @default - the product's `replacedBy` */
  readonly replacedBy?: LifecycleReplacement;
  /**
   * DataHub URN of the dataset replacing this port (the catalog's `deprecation.replacement`):
   * the port's `replacedBy`, else the product's replacement's port of the same name.
   * @default - none
   */
  readonly replacementUrn?: string;
}

/** A quality check with the columns it names (to choose the table it runs on). */
export interface ProductQualityCheck extends QualityCheck {
  readonly columns: readonly string[];
}

/** One place a quality check runs. */
export type QualityRun =
  /** A Glue Data Quality ruleset on a batch port's table (evaluated after each pipeline run and table commit). */
  | { readonly engine: 'glue-data-quality'; readonly port: string; readonly table: string; readonly ruleset: string }
  /** The pipeline SDK (`data-mesh-sdk`) rejects a failing record before it publishes to the port's topic. */
  | { readonly engine: 'sdk-publish'; readonly port: string; readonly topic: string };

/** Where a quality check of the product runs (`DataProduct.qualityPlacements`, reported by `mesh synth`). */
export interface QualityPlacement {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** `row`: judged record by record; `aggregate`: a verdict on the whole data (the rule compiler's level). */
  readonly level: 'row' | 'aggregate';
  /** Every place it runs; empty when it runs nowhere (then `notRunReason` says why). */
  readonly runs: readonly QualityRun[];
  /** @default - none (the check runs) */
  readonly notRunReason?: string;
}

/** An input port, resolved against its source product. */
export interface InputDefinition {
  /** `<domain>/<product>` */
  readonly sourceProduct: string;
  readonly fields: readonly string[];
  /**
   * Topics of the source's consumed stream ports the pipeline reads: a port's own topic, or
   * its PII-free projection (`<topic>.pii-free`) when the port carries PII the product is not
   * authorized for (see `FromSpecOptions.piiGrant`).
   */
  readonly topics: readonly string[];
  /** DataHub URNs of the consumed ports (lineage). */
  readonly upstreamUrns: readonly string[];
  /** The consumed fields in each consumed port that has them (field-level lineage). @default - none */
  readonly upstreamFields?: readonly CatalogUpstreamField[];
}

/** A data product, as plain typed input: usable by hand, or adapted from a loaded spec. */
export interface ProductDefinition {
  readonly domain: string;
  readonly name: string;
  readonly version: string;
  readonly ownerTeam: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly classification: string;
  readonly retentionDays: number;
  readonly piiFields: readonly string[];
  /**
   * The column holding the data subject's id in every batch port (`governance.subject_id_field`),
   * set when the product is subject to GDPR erasure (`gdpr_subject_to_erasure: true`).
   * @default - not subject to erasure
   */
  readonly subjectIdColumn?: string;
  readonly outputPorts: readonly PortDefinition[];
  readonly inputs: readonly InputDefinition[];
  readonly qualityChecks: readonly ProductQualityCheck[];
  /**
   * Where the product is in its life: a shadow product grants nothing outside its domain and is
   * registered as not authoritative; a deprecated one carries the catalog's deprecation; a
   * retired one keeps its resources, grants nothing and has no freshness, quality or retention
   * jobs (see `archiveRetiredData` for its data).
   * @default - active
   */
  readonly lifecycle?: ProductLifecycle;
}

/** The erasure list and where its audit records go. */
export interface ErasureSettings {
  /** Every erased subject id (`readErasures` of `@data-mesh/policy`). */
  readonly subjectIds: readonly string[];
  /** The audit bucket (`DataPlatform.auditBucketName`). */
  readonly auditBucketName: string;
  /** Its default encryption key. @default - no KMS grant */
  readonly auditKey?: kms.IKey;
}

/** The MSK cluster the stream ports live on. */
export interface StreamingSettings {
  readonly clusterArn: string;
  /** SASL/IAM bootstrap brokers (port 9098), for the freshness probe. */
  readonly bootstrapBrokers: string;
  /** @default 6 */
  readonly partitions?: number;
  /** @default 3 */
  readonly replicationFactor?: number;
}

export interface DataProductProps {
  readonly product: ProductDefinition;
  readonly domain: IDataDomain;
  readonly streaming: StreamingSettings;
  /** Key of the data buckets. @default - no KMS grants on table data */
  readonly dataKey?: kms.IKey;
  /**
   * The erasure list, for a product with a `subjectIdColumn` and batch ports.
   * @default - no erasure job (a warning when the product is subject to erasure)
   */
  readonly erasures?: ErasureSettings;
  /** Recorded topics; a replacing topic change throws. @default - no check */
  readonly topicManifest?: TopicManifest;
  /**
   * Subjects already created in this domain, by subject name; the product adds its own. Pass the
   * same map to every product of a domain so a subject shared by two ports is created once.
   * @default - a map private to this product
   */
  readonly subjects?: Map<string, SchemaSubject>;
  /** DataHub GMS endpoint. @default - no catalog registration */
  readonly catalogServerUrl?: string;
  /** @default - no token */
  readonly catalogTokenSecret?: secretsmanager.ISecret;
  /** Where the platform functions run (they reach MSK and DataHub). @default - not in a VPC */
  readonly network?: FunctionNetwork;
  /**
   * Who assumes the product's pipeline role.
   * @default - the Glue service (glue.amazonaws.com)
   */
  readonly pipelinePrincipal?: iam.IPrincipal;
}
