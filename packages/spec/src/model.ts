import type { AvroSchema, FieldTable } from '@data-mesh/schema-compat';
import type { SourceDocument } from './document';
import type { Freshness } from './sla';

export type CompatibilityMode =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export const DEFAULT_COMPATIBILITY: CompatibilityMode = 'BACKWARD_TRANSITIVE';

/**
 * shadow: runs beside the product it replaces, read only inside its own domain; active: the
 * authoritative product; deprecated: still served until its sunset, consumers move to its
 * replacement; retired: no longer served, no one may read it, and only now may its spec go.
 */
export type LifecycleStatus = 'shadow' | 'active' | 'deprecated' | 'retired';

/** A product, or one of its output ports: `sourceProduct` and `port` of an input port, by other names. */
export interface ProductReference {
  /** `<domain>/<product>` */
  readonly product: string;
  readonly port?: string;
}

/** A deprecated port's successor: a port of the same product, or of another one. */
export interface PortReference {
  /** `<domain>/<product>`. Default: the port's own product. */
  readonly product?: string;
  readonly port: string;
}

export type DataClassification = 'public' | 'internal' | 'confidential' | 'restricted';

/** The YAML shape of a data-product spec (data-mesh/v1), as the JSON Schema admits it. */
export interface DataProductSpec {
  readonly apiVersion: 'data-mesh/v1';
  readonly kind: 'DataProduct';
  readonly metadata: {
    readonly name: string;
    readonly version: string;
    readonly owner: string;
    readonly domain: string;
    readonly tags?: readonly string[];
    /** Where the product is in its life (see LifecycleStatus). Default: active. */
    readonly status?: LifecycleStatus;
    /** The day a deprecated product stops being served, YYYY-MM-DD (UTC). */
    readonly sunset?: string;
    /** The products (or ports) this one takes over from. */
    readonly replaces?: readonly ProductReference[];
    /** What consumers move to. */
    readonly replacedBy?: ProductReference;
    /**
     * The cutover from the products this one replaces: the day this one became authoritative,
     * and the days the replaced ones are still served after it (their sunset is no earlier).
     */
    readonly migration?: { readonly cutover?: string; readonly windowDays: number };
  };
  readonly spec: {
    readonly description: string;
    readonly outputPorts: readonly OutputPortSpec[];
    readonly inputPorts?: readonly InputPortSpec[];
    readonly qualityChecks?: readonly QualityCheckSpec[];
    readonly governance?: GovernanceSpec;
  };
}

export interface OutputPortSpec {
  readonly name: string;
  readonly description?: string;
  readonly type: 'stream' | 'batch';
  readonly format: 'avro' | 'parquet' | 'iceberg' | 'json';
  readonly schema: string;
  readonly topic?: string;
  readonly location?: string;
  readonly partitioning?: string;
  readonly compatibility?: CompatibilityMode;
  readonly deprecated?: boolean;
  readonly sunset?: string;
  /** What a deprecated port's consumers move to. */
  readonly replacedBy?: PortReference;
  /** Batch ports: the top-level date/timestamp field retention compares with its cutoff. */
  readonly recordTimeField?: string;
  readonly sla: { readonly freshness: string; readonly uptime: string };
}

export interface InputPortSpec {
  readonly sourceProduct: string;
  readonly port?: string;
  readonly fields: readonly string[];
}

export interface QualityCheckSpec {
  readonly rule: string;
  readonly severity?: 'error' | 'warning';
  readonly description?: string;
}

export interface GovernanceSpec {
  readonly pii_fields?: readonly string[];
  readonly data_classification: DataClassification;
  readonly retention_days: number;
  readonly gdpr_subject_to_erasure?: boolean;
  /** The top-level field holding the data subject's id, which erasures delete by. */
  readonly subject_id_field?: string;
  readonly access_policy?: string;
}

export interface DomainMapSpec {
  readonly domains: Readonly<
    Record<
      string,
      {
        readonly owner_team: string;
        readonly oncall_pagerduty: string;
        readonly source_products: readonly string[];
        readonly consumer_products: readonly string[];
      }
    >
  >;
}

export interface PlatformSpec {
  readonly github?: { readonly organization?: string; readonly platform_team?: string };
}

/** An Avro schema file referenced by at least one port. */
export interface SchemaFile {
  /** `<domain>/<subject>` */
  readonly ref: string;
  /** Path relative to the mesh root. */
  readonly file: string;
  /** ok: parses as Avro; invalid: read but not Avro; unreadable: too large, not UTF-8, outside the root. */
  readonly status: 'ok' | 'missing' | 'unreadable' | 'invalid';
  /** The schema's field paths, when it parses: what field references resolve against. */
  readonly fields?: FieldTable;
  /** The parsed schema, when it parses (parsed again on first use: the loader keeps only `fields`). */
  readonly schema?: AvroSchema;
  /** The file's text, when the schema parses (read again on each use). */
  readonly text?: string;
  /** The top-level fields' shapes, when the loader read them from the JSON (else derived from `schema`). */
  readonly topFields?: readonly TopLevelField[];
}

/** A top-level field of a record schema: its Avro shape as far as retention and erasure care. */
export interface TopLevelField {
  readonly name: string;
  /** The non-null branch's type (`string`, `long`, `record` ...); `union` for several non-null branches. */
  readonly type: string;
  readonly logicalType?: string;
  readonly nullable: boolean;
}

export interface OutputPort {
  readonly product: DataProduct;
  readonly index: number;
  readonly spec: OutputPortSpec;
  readonly name: string;
  readonly compatibility: CompatibilityMode;
  /** Undefined when the schema reference does not resolve to a parsed Avro schema. */
  readonly schemaFile?: SchemaFile;
  /** Undefined when the SLA text does not parse. */
  readonly freshness?: Freshness;
  readonly uptime?: number;
}

export interface LineageEdge {
  readonly consumer: DataProduct;
  /** Position in the consumer's inputPorts. */
  readonly index: number;
  readonly spec: InputPortSpec;
  /** Undefined when the source product does not exist. */
  readonly source?: DataProduct;
}

export interface Domain {
  readonly name: string;
  readonly ownerTeam: string;
  readonly oncall: string;
  readonly sourceProducts: readonly string[];
  readonly consumerProducts: readonly string[];
}

export interface DataProduct {
  /** `<domain>/<name>` */
  readonly id: string;
  readonly domain: string;
  readonly name: string;
  /** The spec file, relative to the mesh root. */
  readonly file: string;
  readonly document: SourceDocument;
  readonly spec: DataProductSpec;
  readonly outputPorts: readonly OutputPort[];
  readonly inputs: readonly LineageEdge[];
}
