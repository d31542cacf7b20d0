import { parseAvro, type AvroSchema } from '@data-mesh/schema-compat';
import {
  consumedPorts, glueDatabaseName, productStatus, resolveInPorts, parsedQualityChecks, recordTimeField, subjectIdField, worstCaseStalenessMs,
  type DataProduct as SpecProduct, type Domain, type OutputPort,
} from '@data-mesh/spec';
import { datasetUrn } from '../catalog-registration/catalog-registration';
import { catalogFields } from '../catalog-registration/datahub-types';
import { avroColumns } from '../iceberg-table/avro-columns';
import { TableColumn } from '../iceberg-table/iceberg-schema';
import { piiFreeTopicName } from '../pii-projection/pii-projection';
import { InputDefinition, PortDefinition, ProductDefinition, ProductQualityCheck } from './data-product-props';
import { portTableName } from './data-product';
import { LifecycleReplacement } from './lifecycle';

export interface FromSpecOptions {
  /**
   * Table columns of an Avro record schema.
   * @default avroColumns (the Avro -> Iceberg/Glue mapping of `@data-mesh/schema-compat`, every Iceberg type kept)
   */
  readonly columnsOf?: (schema: AvroSchema) => TableColumn[];
  /**
   * Every version of a schema file (path relative to the mesh root), oldest first.
   * @default - the current version only
   */
  readonly schemaVersions?: (file: string) => readonly string[] | undefined;
  /**
   * What the product may read of a source's PII (the platform's authorization for the pair):
   * `fields` absent means every PII field. A consumed stream port carrying a PII field the
   * grant does not cover is read through its PII-free projection (`<topic>.pii-free`).
   * @default - no authorizations: every stream port with PII is read through its projection
   */
  readonly piiGrant?: (consumer: string, source: string) => { readonly fields?: readonly string[] } | undefined;
  /**
   * The mesh's products by id (`Mesh.products`), to name the dataset a deprecated port is
   * replaced by in the catalog (`replacementUrn`).
   * @default - no replacement URNs (the deprecation note still names the replacement)
   */
  readonly products?: ReadonlyMap<string, SpecProduct>;
}

/** Why a spec product cannot become infrastructure (it should have failed validation). */
export class SpecAdaptError extends Error {
  constructor(readonly productId: string, readonly path: readonly (string | number)[], message: string) {
    super(`${productId}: ${message}`);
  }
}

/** The DataHub URN of a port of a loaded product. */
export function specPortUrn(port: OutputPort): string {
  return port.spec.type === 'stream'
    ? datasetUrn('kafka', port.spec.topic ?? port.name)
    : datasetUrn('iceberg', `${glueDatabaseName(port.product.domain)}.${portTableName(port.product.name, port.name)}`);
}

/**
 * Adapts a loaded, valid spec product (`loadMesh` of `@data-mesh/spec`) into the plain
 * definition {@link DataProduct} takes: parsed schemas to columns and catalog fields, the SLA
 * to the worst-case staleness, the inputs to topics and lineage, the quality rules to parsed
 * expressions with the columns they name, the record-time and subject-id fields to the
 * retention and erasure columns.
 */
export function productDefinitionFromSpec(product: SpecProduct, domain: Domain, options: FromSpecOptions = {}): ProductDefinition {
  const columnsOf = options.columnsOf ?? avroColumns;
  const s = product.spec;
  const governance = s.spec.governance;
  const outputPorts: PortDefinition[] = product.outputPorts.map((port, i) => {
    const file = port.schemaFile;
    if (!file?.schema || file.text === undefined) throw new SpecAdaptError(product.id, ['spec', 'outputPorts', i, 'schema'], `port ${port.name}: schema ${port.spec.schema} did not load`);
    if (!port.freshness) throw new SpecAdaptError(product.id, ['spec', 'outputPorts', i, 'sla', 'freshness'], `port ${port.name}: freshness did not parse`);
    const timeField = recordTimeField(port);
    if (port.spec.type === 'batch' && !timeField) throw new SpecAdaptError(product.id, ['spec', 'outputPorts', i], `port ${port.name}: no usable record-time field (MESH119)`);
    const current = file.text;
    const history = [...(options.schemaVersions?.(file.file) ?? [current])];
    if (history.length === 0) history.push(current);
    const previousColumns: TableColumn[][] = [];
    for (const text of history.slice(0, -1)) {
      const parsed = parseAvro(text);
      if (parsed.schema) {
        try { previousColumns.push(columnsOf(parsed.schema)); } catch { /* an old version that is not a record: no ids to keep */ }
      }
    }
    return {
      name: port.name,
      type: port.spec.type,
      description: port.spec.description,
      subject: file.ref.split('/')[1],
      schemaVersions: history,
      columns: columnsOf(file.schema),
      previousColumns,
      catalogFields: catalogFields(file.schema),
      topic: port.spec.topic,
      location: port.spec.location,
      partitioning: port.spec.partitioning,
      timeColumn: timeField?.field,
      compatibility: port.compatibility,
      freshness: port.spec.sla.freshness,
      uptime: port.spec.sla.uptime,
      maxStalenessSeconds: worstCaseStalenessMs(port.freshness) / 1000,
      deprecated: port.spec.deprecated,
      sunset: port.spec.sunset,
      replacedBy: port.spec.replacedBy && { product: port.spec.replacedBy.product ?? product.id, port: port.spec.replacedBy.port },
      replacementUrn: replacementUrn(port, options.products),
    };
  });

  const inputs: InputDefinition[] = product.inputs.map((edge) => {
    const ports = consumedPorts(edge);
    const grant = options.piiGrant?.(product.id, edge.spec.sourceProduct);
    const pii = edge.source?.spec.spec.governance?.pii_fields ?? [];
    const covered = (f: string) => grant !== undefined && (grant.fields === undefined || grant.fields.includes(f));
    // Kafka grants whole topics: the port's own topic only when every PII field it carries (or may
    // carry: a schema that did not load) is authorized.
    const carries = (port: OutputPort, f: string) => {
      const r = resolveInPorts([port], f, { suggest: false });
      return r.ok || r.reason === 'no-schema';
    };
    const readable = (port: OutputPort) => pii.every((f) => covered(f) || !carries(port, f));
    // A retired source is read by no one, a shadow one only inside its domain (MESH124, MESH125): no topic access.
    const sourceStatus = edge.source ? productStatus(edge.source) : 'active';
    const served = sourceStatus !== 'retired' && (sourceStatus !== 'shadow' || edge.source?.domain === product.domain);
    return {
      sourceProduct: edge.spec.sourceProduct,
      fields: edge.spec.fields,
      topics: !served ? [] : ports.filter((p) => p.spec.type === 'stream' && p.spec.topic).map((p) => (readable(p) ? p.spec.topic! : piiFreeTopicName(p.spec.topic!))),
      upstreamUrns: ports.map(specPortUrn),
      upstreamFields: ports.flatMap((p) => edge.spec.fields.flatMap((f) => { const r = resolveInPorts([p], f, { suggest: false }); return r.ok ? [{ datasetUrn: specPortUrn(p), path: r.path }] : []; })),
    };
  });

  const parsed = parsedQualityChecks(product);
  const qualityChecks: ProductQualityCheck[] = (s.spec.qualityChecks ?? []).map((check, i) => {
    const rule = parsed[i];
    if (!rule || !rule.ok) throw new SpecAdaptError(product.id, ['spec', 'qualityChecks', i, 'rule'], `quality rule "${check.rule}" did not parse`);
    return { rule: check.rule, expression: rule.expression, severity: check.severity ?? 'error', columns: [...new Set(rule.columns.map((c) => c.name))] };
  });

  return {
    domain: product.domain,
    name: product.name,
    version: s.metadata.version,
    ownerTeam: domain.ownerTeam,
    description: s.spec.description.trim(),
    tags: s.metadata.tags ?? [],
    classification: governance?.data_classification ?? 'internal',
    retentionDays: governance?.retention_days ?? 7,
    piiFields: governance?.pii_fields ?? [],
    subjectIdColumn: subjectIdField(product),
    outputPorts,
    inputs,
    qualityChecks,
    lifecycle: {
      status: productStatus(product),
      sunset: s.metadata.sunset,
      replacedBy: s.metadata.replacedBy,
      replaces: s.metadata.replaces,
    },
  };
}

/** The URN of the dataset replacing a port: its own `replacedBy`, else its product's replacement's port of the same name. */
function replacementUrn(port: OutputPort, products: ReadonlyMap<string, SpecProduct> | undefined): string | undefined {
  if (!products) return undefined;
  const target: LifecycleReplacement | undefined = port.spec.replacedBy
    ? { product: port.spec.replacedBy.product ?? port.product.id, port: port.spec.replacedBy.port }
    : port.product.spec.metadata.replacedBy && { product: port.product.spec.metadata.replacedBy.product, port: port.product.spec.metadata.replacedBy.port ?? port.name };
  const replacing = target && products.get(target.product)?.outputPorts.find((o) => o.name === target.port);
  return replacing ? specPortUrn(replacing) : undefined;
}
