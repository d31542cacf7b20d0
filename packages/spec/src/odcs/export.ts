import { lookupField } from '@data-mesh/schema-compat';
import * as jsYaml from 'js-yaml';
import { glueTableName } from '../aws-names';
import { topLevelFields } from '../lifecycle-fields';
import type { Mesh } from '../mesh';
import type { DataProduct, OutputPort } from '../model';
import { planPartitioning } from '../partitioning';
import { parseQualityRule, type RuleExpression } from '../quality/rule-language';
import { partitionColumnOf } from '../rules/partitioning';
import { parseFreshness } from '../sla';
import { fieldToProperty, jsonEqual, type CustomProperty, type Json, type JsonObject, type MappingNote, type OdcsProperty } from './avro';
import { schemaObjectToAvro } from './schema-object';

export const ODCS_API_VERSION = 'v3.1.0';
/** The engine name of the quality entries that carry a mesh rule verbatim. */
export const MESH_QUALITY_ENGINE = 'data-mesh';

/** What an export says about itself: what went into customProperties, and what ODCS does not carry at all. */
export interface OdcsExportReport {
  readonly product: string;
  readonly apiVersion: string;
  /** Carried in customProperties (ODCS has no field for it): a reader that ignores them loses it. */
  readonly customProperties: readonly MappingNote[];
  /** Not in the ODCS document at all. */
  readonly notCarried: readonly MappingNote[];
}

export interface OdcsExport {
  readonly document: JsonObject;
  /** The document as YAML. */
  readonly yaml: string;
  readonly report: OdcsExportReport;
}

export type OdcsExportResult = { readonly ok: true; readonly value: OdcsExport } | { readonly ok: false; readonly message: string; readonly hint?: string };

const custom = (property: string, value: Json): CustomProperty => ({ property, value });
const json = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

/** The ODCS v3.1 data contract of one product of a loaded mesh, with the export's report. */
export function exportOdcs(mesh: Mesh, productId: string): OdcsExportResult {
  const product = mesh.products.get(productId);
  if (!product) {
    const known = [...mesh.products.keys()].sort();
    return { ok: false, message: `no data product ${productId} in ${mesh.root}/domains`, hint: `products: ${known.join(', ') || '(none)'}` };
  }
  if (mesh.invalidProducts.has(productId)) return { ok: false, message: `${product.file} does not match the contract's JSON Schema: nothing is exported from it`, hint: 'run mesh validate and fix its findings first' };
  for (const port of product.outputPorts) {
    if (port.schemaFile?.status !== 'ok' || port.schemaFile.text === undefined) {
      return { ok: false, message: `${product.file}: output port ${port.name}'s schema ${port.spec.schema} does not resolve to a parsed Avro schema`, hint: 'run mesh validate (MESH106)' };
    }
  }
  const keep: MappingNote[] = [];
  const notCarried: MappingNote[] = [];
  const { metadata, spec } = product.spec;
  const top: CustomProperty[] = [];
  const topNote = (name: string, value: Json, what: string, reason: string) => {
    top.push(custom(name, value));
    keep.push({ path: `customProperties.${name}`, what, reason });
  };

  const schema = product.outputPorts.map((port, index) => schemaObject(product, port, index, keep));
  attachQuality(product, schema, keep);

  const sla: JsonObject[] = [];
  for (const port of product.outputPorts) {
    const freshness = parseFreshness(port.spec.sla.freshness);
    if (freshness.ok && freshness.value.kind === 'daily') {
      const [h, m] = freshness.value.deadline.split(':').map(Number) as [number, number];
      const at = (h * 60 + m + Math.round(freshness.value.boundMs / 60_000)) % (24 * 60);
      const hhmm = `${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}Z`;
      sla.push({ property: 'timeOfAvailability', value: hhmm, valueExt: port.spec.sla.freshness, element: port.name, description: `the day's data is available by ${hhmm} (freshness "${port.spec.sla.freshness}")` });
    } else {
      const rolling = /^<\s*(\d+(?:\.\d+)?)\s*([a-z]+)/i.exec(port.spec.sla.freshness.trim());
      sla.push({ property: 'latency', value: rolling ? Number(rolling[1]) : port.spec.sla.freshness, ...(rolling ? { unit: rolling[2]! } : {}), valueExt: port.spec.sla.freshness, element: port.name, description: `data is never older than this (freshness "${port.spec.sla.freshness}")` });
    }
    const uptime = Number(port.spec.sla.uptime.replace(/%$/, ''));
    sla.push({ property: 'availability', value: Number.isFinite(uptime) ? uptime : port.spec.sla.uptime, unit: 'percent', valueExt: port.spec.sla.uptime, element: port.name, description: `uptime ${port.spec.sla.uptime}` });
  }
  keep.push({ path: 'slaProperties[].valueExt', what: 'the SLA as the contract writes it ("< 5 minutes", "99.9%")', reason: 'ODCS values are numbers and units; the contract\'s grammar (a daily deadline after HH:MM UTC) is kept verbatim in valueExt' });

  const governance = spec.governance;
  if (governance) {
    sla.push({ property: 'retention', value: governance.retention_days, unit: 'd', description: 'rows older than this are deleted (batch ports) or aged out of the topic (stream ports)' });
    topNote('dataClassification', governance.data_classification, 'governance.data_classification', 'ODCS classifies properties, not the contract; every property carries it in `classification` too');
    topNote('retentionDays', governance.retention_days, 'governance.retention_days', 'kept exactly beside slaProperties retention');
    if (governance.pii_fields !== undefined) topNote('piiFields', json(governance.pii_fields), 'governance.pii_fields', 'ODCS has no PII flag; the fields are also marked on their properties (customProperties pii: true)');
    if (governance.gdpr_subject_to_erasure !== undefined) topNote('gdprSubjectToErasure', governance.gdpr_subject_to_erasure, 'governance.gdpr_subject_to_erasure', 'ODCS has no erasure obligation');
    if (governance.subject_id_field !== undefined) topNote('subjectIdField', governance.subject_id_field, 'governance.subject_id_field', 'ODCS has no data-subject id');
    if (governance.access_policy !== undefined) topNote('accessPolicy', governance.access_policy, 'governance.access_policy', 'ODCS roles name IAM roles; the OPA policy that decides access is kept here and in the role\'s customProperties');
  }
  if (metadata.status === 'active') topNote('statusDeclared', true, 'metadata.status: active, written out', 'ODCS status is always written; this says the contract wrote it too');
  if (metadata.sunset !== undefined) topNote('sunset', metadata.sunset, 'metadata.sunset', 'ODCS has no sunset date of a contract');
  if (metadata.replaces !== undefined) topNote('replaces', json(metadata.replaces), 'metadata.replaces', 'ODCS has no replacement lineage');
  if (metadata.replacedBy !== undefined) topNote('replacedBy', json(metadata.replacedBy), 'metadata.replacedBy', 'ODCS has no successor');
  if (metadata.migration !== undefined) topNote('migration', json(metadata.migration), 'metadata.migration', 'ODCS has no cutover window');
  if (spec.inputPorts !== undefined) topNote('inputPorts', json(spec.inputPorts), 'spec.inputPorts (lineage: the products and fields this one reads)', 'ODCS 3.1 describes one contract and has no inputs');
  if (spec.qualityChecks !== undefined && spec.qualityChecks.length === 0) topNote('qualityChecksDeclaredEmpty', true, 'spec.qualityChecks: []', 'an empty list has no quality entry to carry it');

  const domain = mesh.domains.get(product.domain);
  const document: JsonObject = {
    apiVersion: ODCS_API_VERSION,
    kind: 'DataContract',
    id: `urn:data-mesh:${product.domain}:${product.name}`,
    name: product.name,
    version: metadata.version,
    status: metadata.status ?? 'active',
    domain: metadata.domain,
    dataProduct: product.name,
    description: { purpose: spec.description },
    ...(metadata.tags !== undefined ? { tags: [...metadata.tags] } : {}),
    team: { name: metadata.owner, description: `owning team of the ${product.domain} domain` },
    ...(governance?.access_policy !== undefined
      ? { roles: [{ role: `${product.domain}-${product.name}-readers`, access: 'read', description: `read access is decided per consumer by the OPA policy ${governance.access_policy}`, customProperties: [custom('accessPolicy', governance.access_policy)] }] }
      : {}),
    ...(domain ? { support: [{ channel: domain.oncall, tool: 'pagerduty', scope: 'issues', description: `on-call of the ${product.domain} domain (domains/domain-map.yaml)` }] } : {}),
    servers: product.outputPorts.filter((p) => p.spec.type === 'batch' && p.spec.location !== undefined).map((p) => ({ server: p.name, type: 's3', location: p.spec.location as string, format: p.spec.format, description: `batch port ${p.name}` })),
    schema: schema as unknown as Json,
    slaProperties: sla,
    ...(top.length > 0 ? { customProperties: top as unknown as Json } : {}),
  };
  if ((document.servers as Json[]).length === 0) delete document.servers;
  for (const port of product.outputPorts) {
    if (port.spec.type === 'stream') notCarried.push({ path: `servers`, what: `a Kafka server for stream port ${port.name}`, reason: "ODCS's kafka server requires the bootstrap host, which is deployment configuration (infra/config.yaml), not the contract; the topic is the schema object's physicalName" });
  }
  notCarried.push({ path: '', what: 'YAML comments of the spec', reason: 'comments are not part of the contract model; an import writes none' });
  const listed = domain?.sourceProducts.includes(product.name) ? 'source_products' : domain?.consumerProducts.includes(product.name) ? 'consumer_products' : undefined;
  if (listed) notCarried.push({ path: '', what: `the domain map's entry (${product.name} under ${product.domain}.${listed})`, reason: 'the domain map is not part of the product\'s contract; after an import, list the product there' });
  const yaml = jsYaml.dump(document, { lineWidth: -1, noRefs: true, quotingType: '"' });
  return { ok: true, value: { document, yaml, report: { product: product.id, apiVersion: ODCS_API_VERSION, customProperties: keep, notCarried } } };
}

interface SchemaObjectOut {
  name: string;
  physicalType: string;
  physicalName: string;
  logicalType: 'object';
  description?: string;
  properties: OdcsProperty[];
  quality?: JsonObject[];
  customProperties: CustomProperty[];
}

function schemaObject(product: DataProduct, port: OutputPort, index: number, keep: MappingNote[]): SchemaObjectOut {
  const path = `schema[${index}]`;
  const avro = JSON.parse(port.schemaFile?.text ?? 'null') as Json;
  const record = typeof avro === 'object' && avro !== null && !Array.isArray(avro) && avro.type === 'record' ? avro : undefined;
  const notes: MappingNote[] = [];
  const fields = record && Array.isArray(record.fields) ? record.fields : [];
  const object: SchemaObjectOut = {
    name: port.name,
    physicalType: port.spec.type === 'stream' ? 'topic' : 'table',
    physicalName: port.spec.type === 'stream' ? (port.spec.topic ?? port.name) : glueTableName(product.name, port.name),
    logicalType: 'object',
    ...(record && typeof record.doc === 'string' ? { description: record.doc } : {}),
    properties: fields.map((f, i) => fieldToProperty(f, `${path}.properties[${i}]`, notes)),
    customProperties: [],
  };
  const c = (name: string, value: Json | undefined, what: string, reason: string) => {
    if (value === undefined) return;
    object.customProperties.push(custom(name, value));
    keep.push({ path: `${path}.customProperties.${name}`, what, reason });
  };
  c('schemaRef', port.spec.schema, `port ${port.name}: schema reference`, 'ODCS has no schema registry subject');
  c('format', port.spec.format, `port ${port.name}: format`, port.spec.type === 'batch' ? 'also on the S3 server' : 'ODCS keeps a format on servers only');
  if (port.spec.type === 'batch') c('location', port.spec.location, `port ${port.name}: location`, 'also the S3 server\'s location');
  c('compatibility', port.spec.compatibility, `port ${port.name}: compatibility mode`, 'ODCS has no schema evolution rule');
  c('partitioning', port.spec.partitioning, `port ${port.name}: partitioning`, 'ODCS partitions by columns; Iceberg transforms (year/month/day) have no ODCS form');
  c('recordTimeField', port.spec.recordTimeField, `port ${port.name}: recordTimeField`, 'ODCS has no retention time column');
  c('deprecated', port.spec.deprecated, `port ${port.name}: deprecated`, 'ODCS has no per-object lifecycle');
  c('sunset', port.spec.sunset, `port ${port.name}: sunset`, 'ODCS has no per-object lifecycle');
  c('replacedBy', port.spec.replacedBy === undefined ? undefined : json(port.spec.replacedBy), `port ${port.name}: replacedBy`, 'ODCS has no per-object successor');
  c('portDescription', port.spec.description, `port ${port.name}: description`, "the schema object's description is the Avro schema's doc");
  if (record) {
    c('avroName', typeof record.name === 'string' ? record.name : undefined, `port ${port.name}: Avro record name`, 'ODCS objects have no Avro name');
    c('avroNamespace', typeof record.namespace === 'string' ? record.namespace : undefined, `port ${port.name}: Avro namespace`, 'ODCS objects have no Avro namespace');
  }
  // The whole schema maps back exactly, or it is kept verbatim.
  const back = schemaObjectToAvro(object);
  if (!record || !jsonEqual(back, avro)) {
    c('avroSchema', avro, `port ${port.name}: the Avro schema, verbatim`, 'the record has attributes ODCS objects cannot hold (aliases, a non-record top level ...)');
  }
  for (const n of notes) keep.push(n);
  markPartitions(port, object);
  markGovernance(product, port, object);
  return object;
}

/** The columns a batch port's partitioning reads, as ODCS's partitioned / partitionKeyPosition (the transforms stay in customProperties). */
function markPartitions(port: OutputPort, object: SchemaObjectOut): void {
  const fields = port.spec.type === 'batch' ? topLevelFields(port) : undefined;
  if (!fields || port.spec.partitioning === undefined) return;
  const plan = planPartitioning(port.spec.partitioning, fields.map(partitionColumnOf), port.spec.recordTimeField);
  if (!plan.ok) return;
  let position = 0;
  for (const part of plan.parts) {
    const property = object.properties.find((p) => p.name === part.column);
    if (!property || property.partitioned) continue;
    property.partitioned = true;
    property.partitionKeyPosition = ++position;
  }
}

/** Classification on every top-level property; PII fields flagged (customProperties pii) wherever they sit. */
function markGovernance(product: DataProduct, port: OutputPort, object: SchemaObjectOut): void {
  const governance = product.spec.spec.governance;
  if (!governance) return;
  for (const property of object.properties) property.classification = governance.data_classification;
  const fields = port.schemaFile?.fields;
  if (!fields) return;
  for (const ref of governance.pii_fields ?? []) {
    const found = lookupField(fields, ref, { suggest: false });
    if (!found.ok) continue;
    let level: OdcsProperty[] | undefined = object.properties;
    let target: OdcsProperty | undefined;
    for (const part of found.path.split('.')) {
      target = level?.find((p) => p.name === part);
      level = target?.properties ?? target?.items?.properties;
    }
    if (!target) continue;
    target.classification = governance.data_classification;
    (target.customProperties ??= []).push(custom('pii', true));
    target.tags = [...(target.tags ?? []), 'pii'];
  }
}

function dimensionOf(e: RuleExpression): string {
  const kinds = new Set<string>();
  const walk = (x: RuleExpression): void => {
    kinds.add(x.kind === 'aggregate' ? `fn:${x.fn}` : x.kind);
    for (const v of Object.values(x)) {
      if (Array.isArray(v)) v.forEach((y) => typeof y === 'object' && y !== null && 'kind' in y && walk(y as RuleExpression));
      else if (typeof v === 'object' && v !== null && 'kind' in v) walk(v as RuleExpression);
    }
  };
  walk(e);
  if (kinds.has('fn:completeness')) return 'completeness';
  if (kinds.has('fn:uniqueness')) return 'uniqueness';
  if (kinds.has('now')) return 'timeliness';
  if (kinds.has('references')) return 'consistency';
  if ([...kinds].every((k) => ['isNull', 'column', 'logical'].includes(k)) && kinds.has('isNull')) return 'completeness';
  return 'conformity';
}

/**
 * Each rule goes, verbatim, to the schema object of the first port whose schema holds all the
 * columns it names (ODCS 3.1 has quality only on objects and properties). With several ports the
 * entries carry their place in `qualityChecks`, so the import restores the order.
 */
function attachQuality(product: DataProduct, objects: SchemaObjectOut[], keep: MappingNote[]): void {
  const checks = product.spec.spec.qualityChecks ?? [];
  checks.forEach((check, index) => {
    const parse = parseQualityRule(check.rule);
    const columns = parse.ok ? parse.columns.map((c) => c.name) : [];
    let at = product.outputPorts.findIndex((port) => columns.every((col) => port.schemaFile?.fields && lookupField(port.schemaFile.fields, col, { suggest: false }).ok));
    if (at < 0) at = 0;
    const entry: JsonObject = {
      type: 'custom',
      engine: MESH_QUALITY_ENGINE,
      implementation: check.rule,
      ...(parse.ok ? { dimension: dimensionOf(parse.expression) } : {}),
      ...(check.severity !== undefined ? { severity: check.severity } : {}),
      ...(check.description !== undefined ? { description: check.description } : {}),
    };
    if (objects.length > 1) entry.customProperties = [custom('checkIndex', index)] as unknown as Json;
    const object = objects[at];
    if (object) (object.quality ??= []).push(entry);
  });
  if (checks.length > 0) {
    keep.push({
      path: 'schema[].quality[]',
      what: 'quality rules, in the mesh rule language',
      reason: `kept verbatim as custom entries of engine "${MESH_QUALITY_ENGINE}" (ODCS library metrics and SQL cannot say completeness(col) >= 0.95 or NOW() - INTERVAL); a tool other than mesh does not run them`,
    });
  }
}
