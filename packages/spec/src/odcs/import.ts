import { parseAvroJson } from '@data-mesh/schema-compat';
import * as jsYaml from 'js-yaml';
import type { Diagnostic } from '../diagnostics';
import { parseYaml, type JsonPath, type SourceDocument } from '../document';
import { closestKey } from '../json-schema';
import { schemaFileFor } from '../load';
import { AvroMappingError, below, customValue, hasCustom, propertyToField, type CustomProperty, type Json, type JsonObject, type OdcsProperty } from './avro';
import { MESH_QUALITY_ENGINE } from './export';
import { schemaObjectToAvro } from './schema-object';

/** Finding codes of the ODCS import. */
export const ODCS_CODES = {
  version: 'MESH130',
  structure: 'MESH131',
  avroType: 'MESH132',
  meshGap: 'MESH133',
} as const;

export interface ImportedSchema {
  /** `<domain>/<subject>` */
  readonly ref: string;
  /** Where it goes, relative to the mesh root: `domains/<domain>/schemas/<subject>.avsc`. */
  readonly file: string;
  readonly schema: Json;
  readonly text: string;
}

export interface OdcsImport {
  /** The data-product spec, as a plain object (data-mesh/v1). */
  readonly spec: JsonObject;
  readonly id: string;
  /** `domains/<domain>/<product>/data-product.yaml` */
  readonly file: string;
  readonly yaml: string;
  readonly schemas: readonly ImportedSchema[];
}

export interface OdcsImportResult {
  /** Absent when an error finding stops the import. */
  readonly value?: OdcsImport;
  readonly diagnostics: readonly Diagnostic[];
}

export interface OdcsImportOptions {
  /** The domain of the product, when the ODCS document names none or another. */
  readonly domain?: string;
}

const KEYS = {
  top: ['version', 'kind', 'apiVersion', 'id', 'name', 'tenant', 'tags', 'status', 'servers', 'dataProduct', 'description', 'domain', 'schema', 'support', 'price', 'team', 'roles', 'slaDefaultElement', 'slaProperties', 'authoritativeDefinitions', 'customProperties', 'contractCreatedTs'],
  description: ['usage', 'purpose', 'limitations', 'authoritativeDefinitions', 'customProperties'],
  object: ['id', 'name', 'physicalType', 'description', 'businessName', 'authoritativeDefinitions', 'tags', 'customProperties', 'logicalType', 'physicalName', 'dataGranularityDescription', 'properties', 'relationships', 'quality'],
  property: ['id', 'name', 'physicalType', 'description', 'businessName', 'authoritativeDefinitions', 'tags', 'customProperties', 'primaryKey', 'primaryKeyPosition', 'logicalType', 'logicalTypeOptions', 'physicalName', 'required', 'unique', 'partitioned', 'partitionKeyPosition', 'classification', 'encryptedName', 'transformSourceObjects', 'transformLogic', 'transformDescription', 'examples', 'criticalDataElement', 'relationships', 'quality', 'properties', 'items'],
  quality: ['id', 'authoritativeDefinitions', 'businessImpact', 'customProperties', 'description', 'dimension', 'method', 'name', 'schedule', 'scheduler', 'severity', 'tags', 'type', 'unit', 'metric', 'rule', 'arguments', 'query', 'engine', 'implementation', 'mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween'],
  sla: ['id', 'property', 'value', 'valueExt', 'unit', 'element', 'driver', 'description', 'scheduler', 'schedule'],
  team: ['id', 'name', 'description', 'members', 'tags', 'customProperties', 'authoritativeDefinitions'],
  role: ['id', 'role', 'description', 'access', 'firstLevelApprovers', 'secondLevelApprovers', 'customProperties'],
  support: ['id', 'channel', 'url', 'description', 'tool', 'scope', 'invitationUrl', 'customProperties'],
  custom: ['id', 'property', 'value', 'description'],
} as const;

const REQUIRED = {
  top: ['version', 'apiVersion', 'kind', 'id', 'status'],
  object: ['name'],
  property: ['name'],
  sla: ['property', 'value'],
  custom: ['property', 'value'],
  role: ['role'],
  support: ['channel'],
  server: ['server', 'type'],
} as const;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'];

class Findings {
  readonly list: Diagnostic[] = [];
  constructor(private readonly document: SourceDocument) {}
  add(severity: Diagnostic['severity'], code: string, path: JsonPath, message: string, hint?: string, anchor: 'key' | 'value' = 'value'): void {
    const at = this.document.locate(path, anchor);
    this.list.push({ severity, code, message, file: this.document.file, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn, ...(hint ? { hint } : {}) });
  }
  get failed(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}

const where = (path: JsonPath): string => path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');

/** Unknown keys, missing required keys and values of the wrong kind, as ODCS v3.1 defines them. */
function checkStructure(data: JsonObject, f: Findings): void {
  const keys = (node: unknown, path: JsonPath, known: readonly string[], required: readonly string[] = []): node is JsonObject => {
    if (!isObject(node)) {
      f.add('error', ODCS_CODES.structure, path, `${where(path) || 'the document'} must be a mapping`);
      return false;
    }
    for (const key of Object.keys(node)) {
      if (known.includes(key)) continue;
      const near = closestKey(key, known);
      f.add('error', ODCS_CODES.structure, [...path, key], `unknown property "${key}" in ${where(path) || 'the contract'}: ODCS v3.1 does not define it${near ? ` (did you mean "${near}"?)` : ''}`, `expected one of: ${known.join(', ')}; put anything else in customProperties`, 'key');
    }
    for (const key of required) {
      if (!(key in node)) f.add('error', ODCS_CODES.structure, path, `${where(path) || 'the contract'} misses the required ODCS property "${key}"`);
    }
    return true;
  };
  const list = (node: unknown, path: JsonPath, each: (item: unknown, at: JsonPath) => void): void => {
    if (node === undefined) return;
    if (!Array.isArray(node)) {
      f.add('error', ODCS_CODES.structure, path, `${where(path)} must be a list`);
      return;
    }
    node.forEach((item, i) => each(item, [...path, i]));
  };
  const customs = (node: unknown, path: JsonPath) => list(node, path, (c, at) => keys(c, at, KEYS.custom, REQUIRED.custom));
  const string = (node: unknown, path: JsonPath) => {
    if (node !== undefined && typeof node !== 'string') f.add('error', ODCS_CODES.structure, path, `${where(path)} must be a string (found ${JSON.stringify(node)})`);
  };
  keys(data, [], KEYS.top, REQUIRED.top);
  for (const key of ['version', 'id', 'name', 'status', 'domain', 'dataProduct']) string(data[key], [key]);
  if (data.description !== undefined && keys(data.description, ['description'], KEYS.description)) customs(data.description.customProperties, ['description', 'customProperties']);
  customs(data.customProperties, ['customProperties']);
  list(data.slaProperties, ['slaProperties'], (s, at) => keys(s, at, KEYS.sla, REQUIRED.sla));
  list(data.roles, ['roles'], (r, at) => keys(r, at, KEYS.role, REQUIRED.role) && customs(r.customProperties, [...at, 'customProperties']));
  list(data.support, ['support'], (s, at) => keys(s, at, KEYS.support, REQUIRED.support));
  list(data.servers, ['servers'], (s, at) => {
    if (!isObject(s)) return void f.add('error', ODCS_CODES.structure, at, `${where(at)} must be a mapping`);
    for (const key of REQUIRED.server) if (!(key in s)) f.add('error', ODCS_CODES.structure, at, `${where(at)} misses the required ODCS property "${key}"`);
  });
  if (data.team !== undefined && keys(data.team, ['team'], KEYS.team)) string(data.team.name, ['team', 'name']);
  const quality = (node: unknown, path: JsonPath) => list(node, path, (q, at) => keys(q, at, KEYS.quality) && customs(q.customProperties, [...at, 'customProperties']));
  const property = (p: unknown, at: JsonPath, required: readonly string[]): void => {
    if (!keys(p, at, KEYS.property, required)) return;
    string(p.name, [...at, 'name']);
    string(p.logicalType, [...at, 'logicalType']);
    string(p.physicalType, [...at, 'physicalType']);
    if (p.required !== undefined && typeof p.required !== 'boolean') f.add('error', ODCS_CODES.structure, [...at, 'required'], `${where([...at, 'required'])} must be true or false`);
    customs(p.customProperties, [...at, 'customProperties']);
    quality(p.quality, [...at, 'quality']);
    list(p.properties, [...at, 'properties'], (c, cat) => property(c, cat, REQUIRED.property));
    if (p.items !== undefined) property(p.items, [...at, 'items'], []);
  };
  list(data.schema, ['schema'], (o, at) => {
    if (!keys(o, at, KEYS.object, REQUIRED.object)) return;
    string(o.name, [...at, 'name']);
    customs(o.customProperties, [...at, 'customProperties']);
    quality(o.quality, [...at, 'quality']);
    list(o.properties, [...at, 'properties'], (p, pat) => property(p, pat, REQUIRED.property));
  });
}

function parseApiVersion(data: JsonObject, f: Findings): boolean {
  const api = data.apiVersion;
  const v2 = typeof api === 'string' ? /^v?2\./.test(api) : 'uuid' in data || 'dataset' in data || 'datasetName' in data;
  if (v2 || (typeof api === 'string' && !/^v3\.\d+\.\d+$/.test(api))) {
    f.add('error', ODCS_CODES.version, api === undefined ? [] : ['apiVersion'], `${api === undefined ? 'an ODCS v2 document (no apiVersion; it has v2 keys such as uuid/dataset)' : `apiVersion ${JSON.stringify(api)}`}: mesh reads ODCS v3 (it writes v3.1.0), and another major version is laid out differently`, 'convert the contract to ODCS v3.1.0 first (v3 renamed dataset to schema, columns to properties, and moved quality and SLA); mesh does not guess v2 fields');
    return false;
  }
  if (data.kind !== undefined && data.kind !== 'DataContract') {
    f.add('error', ODCS_CODES.version, ['kind'], `kind ${JSON.stringify(data.kind)}: an ODCS data contract has kind DataContract`);
    return false;
  }
  return true;
}

const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A data-product spec (and its Avro schemas) from an ODCS v3 document, or findings at their lines. */
export function importOdcs(file: string, text: string, options: OdcsImportOptions = {}): OdcsImportResult {
  const parsed = parseYaml(file, text);
  if ('failure' in parsed) {
    const { failure } = parsed;
    return { diagnostics: [{ severity: 'error', code: ODCS_CODES.structure, message: failure.message, file, line: failure.position.line, column: failure.position.column, ...(failure.hint ? { hint: failure.hint } : {}) }] };
  }
  const document = parsed.document;
  const f = new Findings(document);
  const data = document.data;
  if (!isObject(data)) {
    f.add('error', ODCS_CODES.structure, [], 'an ODCS contract is a YAML mapping (apiVersion, kind, id, version, status, schema ...)');
    return { diagnostics: f.list };
  }
  if (!parseApiVersion(data, f)) return { diagnostics: f.list };
  checkStructure(data, f);
  if (f.failed) return { diagnostics: f.list };
  const value = mapContract(data as unknown as OdcsDocument, options, f);
  return f.failed || !value ? { diagnostics: f.list } : { value, diagnostics: f.list };
}

interface OdcsObject {
  name: string;
  physicalType?: string;
  physicalName?: string;
  description?: string;
  properties?: OdcsProperty[];
  quality?: JsonObject[];
  customProperties?: CustomProperty[];
}

interface OdcsDocument {
  apiVersion: string;
  id: string;
  name?: string;
  version: string;
  status: string;
  domain?: string;
  dataProduct?: string;
  description?: { purpose?: string; usage?: string };
  tags?: string[];
  team?: { name?: string };
  roles?: { role: string; customProperties?: CustomProperty[] }[];
  servers?: { server: string; type: string; location?: string; format?: string }[];
  schema?: OdcsObject[];
  slaProperties?: { property: string; value: Json; valueExt?: Json; unit?: string; element?: string }[];
  customProperties?: CustomProperty[];
}

function mapContract(doc: OdcsDocument, options: OdcsImportOptions, f: Findings): OdcsImport | undefined {
  const top = (name: string) => customValue(doc, name);
  const name = doc.name ?? doc.dataProduct;
  const domain = options.domain ?? doc.domain;
  if (name === undefined) f.add('error', ODCS_CODES.meshGap, [], 'the contract has no name (nor dataProduct): a mesh product needs one', 'add name: <product-name> (kebab-case)');
  else if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) f.add('error', ODCS_CODES.meshGap, [doc.name !== undefined ? 'name' : 'dataProduct'], `name ${JSON.stringify(name)} is not a mesh product name (kebab-case, e.g. customer-360)`);
  if (domain === undefined) f.add('error', ODCS_CODES.meshGap, [], 'the contract names no domain: a mesh product lives in one', 'pass --domain <domain>, or add domain: to the contract');
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(doc.version)) f.add('error', ODCS_CODES.meshGap, ['version'], `version ${JSON.stringify(doc.version)} is not a semantic version (e.g. "2.1.0"), which mesh versions products by`);
  const owner = doc.team?.name;
  if (owner === undefined) f.add('error', ODCS_CODES.meshGap, doc.team ? ['team'] : [], 'the contract names no owning team (team.name): a mesh product has an owner', 'add team: { name: <owner_team of the domain> }');
  const description = doc.description?.purpose ?? doc.description?.usage;
  if (description === undefined) f.add('error', ODCS_CODES.meshGap, doc.description ? ['description'] : [], 'the contract has no description.purpose: a mesh product has a description');
  const statuses = ['shadow', 'active', 'deprecated', 'retired'];
  if (!statuses.includes(doc.status)) f.add('error', ODCS_CODES.meshGap, ['status'], `status ${JSON.stringify(doc.status)} has no mesh lifecycle equivalent (shadow, active, deprecated, retired)`, doc.status === 'proposed' || doc.status === 'draft' ? 'a product that runs beside the one it will replace is shadow; a product in service is active' : undefined);
  const objects = doc.schema ?? [];
  if (objects.length === 0) f.add('error', ODCS_CODES.meshGap, doc.schema ? ['schema'] : [], 'the contract has no schema objects: each becomes an output port of the product, and a product has at least one');
  if (f.failed || name === undefined || domain === undefined || owner === undefined || description === undefined) return undefined;

  const metadata: JsonObject = { name, version: doc.version, owner, domain };
  if (doc.tags !== undefined) metadata.tags = doc.tags;
  if (doc.status !== 'active' || top('statusDeclared') === true) metadata.status = doc.status;
  for (const key of ['sunset', 'replaces', 'replacedBy', 'migration']) if (top(key) !== undefined) metadata[key] = top(key) ?? null;

  const schemas: ImportedSchema[] = [];
  const ports: JsonObject[] = [];
  const quality: { index: number; order: number; check: JsonObject }[] = [];
  objects.forEach((object, i) => {
    const port = mapPort(doc, object, i, domain, f);
    if (!port) return;
    ports.push(port.port);
    if (port.schema && !schemas.some((s) => s.ref === port.schema?.ref)) schemas.push(port.schema);
    (object.quality ?? []).forEach((q, j) => {
      const at: JsonPath = ['schema', i, 'quality', j];
      if (q.type !== 'custom' || q.engine !== MESH_QUALITY_ENGINE || typeof q.implementation !== 'string') {
        f.add('warning', ODCS_CODES.meshGap, at, `quality entry of type ${JSON.stringify(q.type ?? 'library')}${q.engine ? ` (engine ${JSON.stringify(q.engine)})` : ''} is not imported: mesh rules are written in the mesh rule language (custom entries of engine "${MESH_QUALITY_ENGINE}")`, 'write it as a qualityChecks rule (docs/contract.md, Quality rules)');
        return;
      }
      const check: JsonObject = { rule: q.implementation };
      if (q.severity !== undefined) {
        if (q.severity !== 'error' && q.severity !== 'warning') f.add('error', ODCS_CODES.meshGap, [...at, 'severity'], `severity ${JSON.stringify(q.severity)}: a mesh rule is error or warning`);
        check.severity = q.severity;
      }
      if (typeof q.description === 'string') check.description = q.description;
      const index = num(customValue(q as { customProperties?: CustomProperty[] }, 'checkIndex'));
      quality.push({ index: index ?? Number.MAX_SAFE_INTEGER, order: quality.length, check });
    });
    (object.properties ?? []).forEach((p, j) => propertyQualityWarnings(p, ['schema', i, 'properties', j], f));
  });
  if (f.failed) return undefined;

  const spec: JsonObject = { description, outputPorts: ports };
  const inputs = top('inputPorts');
  if (inputs !== undefined) spec.inputPorts = inputs;
  quality.sort((a, b) => a.index - b.index || a.order - b.order);
  if (quality.length > 0) spec.qualityChecks = quality.map((q) => q.check);
  else if (top('qualityChecksDeclaredEmpty') === true) spec.qualityChecks = [];
  const governance = mapGovernance(doc, f);
  if (governance) spec.governance = governance;
  if (f.failed) return undefined;

  const product: JsonObject = { apiVersion: 'data-mesh/v1', kind: 'DataProduct', metadata, spec };
  const yaml = `# yaml-language-server: $schema=../../../packages/spec/schemas/data-product.schema.json\n# imported from ODCS ${doc.apiVersion} (${doc.id})\n${jsYaml.dump(product, { lineWidth: -1, noRefs: true, quotingType: '"' })}`;
  return { spec: product, id: `${domain}/${name}`, file: `domains/${domain}/${name}/data-product.yaml`, yaml, schemas };
}

function propertyQualityWarnings(p: OdcsProperty & { quality?: JsonObject[] }, at: JsonPath, f: Findings): void {
  (p.quality ?? []).forEach((_q, k) => f.add('warning', ODCS_CODES.meshGap, [...at, 'quality', k], 'a property-level quality entry is not imported: mesh rules are product-level qualityChecks in the mesh rule language', 'write it as a qualityChecks rule naming the column'));
  (p.properties ?? []).forEach((c, k) => propertyQualityWarnings(c, [...at, 'properties', k], f));
}

function mapPort(doc: OdcsDocument, object: OdcsObject, i: number, domain: string, f: Findings): { port: JsonObject; schema?: ImportedSchema } | undefined {
  const at: JsonPath = ['schema', i];
  const c = (name: string) => customValue(object, name);
  const physical = object.physicalType;
  const type = physical === 'topic' ? 'stream' : physical === 'table' || physical === 'view' || physical === 'file' ? 'batch' : undefined;
  if (type === undefined) {
    f.add('error', ODCS_CODES.meshGap, physical === undefined ? at : [...at, 'physicalType'], `schema object ${object.name}: physicalType ${physical === undefined ? 'missing' : JSON.stringify(physical)}; mesh makes a stream port of a topic and a batch port of a table (or view, file)`, 'set physicalType: topic or table');
    return undefined;
  }
  const server = doc.servers?.find((s) => s.server === object.name);
  const format = str(c('format')) ?? server?.format ?? (type === 'stream' ? 'avro' : 'parquet');
  const schemaRef = str(c('schemaRef')) ?? `schema-registry://${domain}/${object.name}`;
  const port: JsonObject = { name: object.name };
  if (c('portDescription') !== undefined) port.description = c('portDescription') ?? null;
  port.type = type;
  port.format = format;
  port.schema = schemaRef;
  if (type === 'stream') {
    if (object.physicalName === undefined) f.add('error', ODCS_CODES.meshGap, at, `schema object ${object.name}: a topic needs its name in physicalName`);
    else port.topic = object.physicalName;
  } else {
    const location = str(c('location')) ?? server?.location;
    if (location === undefined) f.add('error', ODCS_CODES.meshGap, at, `schema object ${object.name}: a table needs its location (an s3 server named ${object.name}, or customProperties location)`);
    else port.location = location;
  }
  for (const key of ['partitioning', 'recordTimeField', 'compatibility', 'deprecated', 'sunset', 'replacedBy']) if (c(key) !== undefined) port[key] = c(key) ?? null;
  if (type === 'batch' && port.partitioning === undefined) {
    // Another tool's partition columns: identity partitions, in their order.
    const keys = (object.properties ?? []).filter((p) => p.partitioned === true && p.name !== undefined).sort((a, b) => (a.partitionKeyPosition ?? 0) - (b.partitionKeyPosition ?? 0));
    if (keys.length > 0) port.partitioning = keys.map((p) => p.name).join(', ');
  }
  const sla = portSla(doc, object, i, f);
  if (sla) port.sla = sla;

  let schema: ImportedSchema | undefined;
  const location = schemaFileFor(schemaRef);
  if (!location) {
    f.add('error', ODCS_CODES.meshGap, hasCustom(object, 'schemaRef') ? [...at, 'customProperties'] : [...at, 'name'], `schema object ${object.name}: schema reference ${JSON.stringify(schemaRef)} is not schema-registry://<domain>/<subject>`);
    return undefined;
  }
  // Each property on its own first, so every one Avro cannot express is reported.
  let typeErrors = 0;
  (object.properties ?? []).forEach((property, j) => {
    try {
      below(['properties', j], () => propertyToField(property));
    } catch (error) {
      if (!(error instanceof AvroMappingError)) throw error;
      typeErrors++;
      avroTypeFinding(object, at, error, f);
    }
  });
  if (typeErrors > 0) return undefined;
  try {
    const avro = schemaObjectToAvro(object);
    const text = `${JSON.stringify(avro, null, 2)}\n`;
    const check = parseAvroJson(avro);
    if (check.errors.length > 0) {
      f.add('error', ODCS_CODES.avroType, at, `schema object ${object.name}: the Avro schema it maps to is not valid Avro: ${check.errors.map((e) => e.message).join('; ')}`);
      return undefined;
    }
    schema = { ref: location.ref, file: location.file, schema: avro, text };
  } catch (error) {
    if (!(error instanceof AvroMappingError)) throw error;
    avroTypeFinding(object, at, error, f);
    return undefined;
  }
  return { port, schema };
}

function avroTypeFinding(object: OdcsObject, at: JsonPath, error: AvroMappingError, f: Findings): void {
  const name = pathName(object, error.path);
  f.add('error', ODCS_CODES.avroType, [...at, ...error.path], `schema object ${object.name}${name ? `, property ${name}` : ''}: ${error.message}`, 'give the property a logicalType Avro can hold (string, integer, number, boolean, date, time, timestamp, object with properties, array with items)');
}

/** The dotted name of the property at a path below an object (`payload.tier`). */
function pathName(object: OdcsObject, path: (string | number)[]): string {
  const names: string[] = [];
  let node: unknown = object;
  for (const part of path) {
    node = isObject(node as Json) || Array.isArray(node) ? (node as Record<string | number, unknown>)[part] : undefined;
    if (isObject(node as Json) && typeof (node as { name?: unknown }).name === 'string' && typeof part === 'number') names.push((node as { name: string }).name);
  }
  return names.join('.');
}

function portSla(doc: OdcsDocument, object: OdcsObject, i: number, f: Findings): JsonObject | undefined {
  const all = doc.slaProperties ?? [];
  const single = (doc.schema ?? []).length === 1;
  const mine = all.filter((s) => s.element === object.name || s.element?.startsWith(`${object.name}.`) || (single && s.element === undefined));
  const freshnessEntry = mine.find((s) => s.property === 'latency' || s.property === 'timeOfAvailability' || s.property === 'freshness');
  const uptimeEntry = mine.find((s) => s.property === 'availability' || s.property === 'uptime');
  let freshness: string | undefined;
  if (freshnessEntry) {
    if (typeof freshnessEntry.valueExt === 'string' && freshnessEntry.valueExt.trim().startsWith('<')) freshness = freshnessEntry.valueExt;
    else if (freshnessEntry.property === 'timeOfAvailability') {
      const m = /^(\d{2}):(\d{2})/.exec(String(freshnessEntry.value));
      if (m) freshness = `< ${Number(m[1]) * 60 + Number(m[2])} minutes after midnight UTC`;
    } else if (typeof freshnessEntry.value === 'number') {
      const unit = { s: 'seconds', m: 'minutes', min: 'minutes', h: 'hours', d: 'days' }[freshnessEntry.unit ?? 'd'] ?? freshnessEntry.unit ?? 'days';
      freshness = `< ${freshnessEntry.value} ${unit}`;
    }
  }
  let uptime: string | undefined;
  if (uptimeEntry) uptime = typeof uptimeEntry.valueExt === 'string' && uptimeEntry.valueExt.endsWith('%') ? uptimeEntry.valueExt : typeof uptimeEntry.value === 'number' ? `${uptimeEntry.value}%` : undefined;
  const at: JsonPath = ['schema', i];
  if (freshness === undefined) f.add('error', ODCS_CODES.meshGap, doc.slaProperties ? ['slaProperties'] : at, `schema object ${object.name}: no freshness in slaProperties (a latency or timeOfAvailability entry with element: ${object.name}); every mesh port promises one`, `e.g. - { property: latency, value: 5, unit: minutes, element: ${object.name} }`);
  if (uptime === undefined) f.add('error', ODCS_CODES.meshGap, doc.slaProperties ? ['slaProperties'] : at, `schema object ${object.name}: no availability in slaProperties (element: ${object.name}); every mesh port promises an uptime`, `e.g. - { property: availability, value: 99.9, unit: percent, element: ${object.name} }`);
  return freshness !== undefined && uptime !== undefined ? { freshness, uptime } : undefined;
}

/** Governance from the export's customProperties, else from what the properties say (classification, pii) and the retention SLA. */
function mapGovernance(doc: OdcsDocument, f: Findings): JsonObject | undefined {
  const top = (name: string) => customValue(doc, name);
  const piiFromProperties: string[] = [];
  let highest = -1;
  const walk = (props: OdcsProperty[] | undefined, prefix: string) => {
    for (const p of props ?? []) {
      const path = prefix ? `${prefix}.${p.name ?? ''}` : (p.name ?? '');
      const level = CLASSIFICATIONS.indexOf(p.classification ?? '');
      if (level > highest) highest = level;
      if (customValue(p, 'pii') === true) piiFromProperties.push(path);
      walk(p.properties, path);
    }
  };
  for (const o of doc.schema ?? []) walk(o.properties, '');
  const pii = top('piiFields') ?? (piiFromProperties.length > 0 ? [...new Set(piiFromProperties)] : undefined);
  const classification = top('dataClassification') ?? (highest >= 0 ? CLASSIFICATIONS[highest]! : undefined);
  const retentionSla = doc.slaProperties?.find((s) => s.property === 'retention');
  const DAYS_PER: Record<string, number> = { y: 365, yr: 365, year: 365, years: 365, m: 30, month: 30, months: 30 };
  const retentionDays = top('retentionDays') ?? (typeof retentionSla?.value === 'number' ? retentionSla.value * (DAYS_PER[retentionSla.unit ?? 'd'] ?? 1) : undefined);
  if (classification === undefined && retentionDays === undefined && pii === undefined) return undefined;
  if (classification === undefined) f.add('error', ODCS_CODES.meshGap, [], 'the contract says no data classification (customProperties dataClassification, or a classification on its properties: public, internal, confidential, restricted), which a mesh product with governance needs');
  if (retentionDays === undefined) f.add('error', ODCS_CODES.meshGap, doc.slaProperties ? ['slaProperties'] : [], 'the contract says no retention (a retention entry in slaProperties), which a mesh product with governance needs');
  if (classification === undefined || retentionDays === undefined) return undefined;
  const out: JsonObject = {};
  if (pii !== undefined) out.pii_fields = pii;
  out.data_classification = classification;
  out.retention_days = retentionDays;
  for (const [key, name] of [['gdpr_subject_to_erasure', 'gdprSubjectToErasure'], ['subject_id_field', 'subjectIdField']] as const) if (top(name) !== undefined) out[key] = top(name) ?? null;
  const policy = top('accessPolicy') ?? doc.roles?.map((r) => customValue(r, 'accessPolicy')).find((p) => p !== undefined);
  if (policy !== undefined) out.access_policy = policy;
  return out;
}
