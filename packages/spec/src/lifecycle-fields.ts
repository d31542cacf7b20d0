import { dereference, lookupField, parseLogicalType, type AvroSchema, type RecordSchema } from '@data-mesh/schema-compat';
import type { DataProduct, OutputPort, TopLevelField } from './model';

/** Logical types a retention cutoff can compare against. */
export const RECORD_TIME_TYPES = ['date', 'timestamp-millis', 'timestamp-micros', 'local-timestamp-millis', 'local-timestamp-micros'] as const;
export type RecordTimeType = (typeof RECORD_TIME_TYPES)[number];

/** The column a batch port's retention job compares with the cutoff. */
export interface RecordTimeField {
  readonly field: string;
  readonly logicalType: RecordTimeType;
  /** True when the spec names it (`recordTimeField`); false when derived from the schema. */
  readonly declared: boolean;
  /** When derived: every field that could have been chosen (the first is). */
  readonly candidates: readonly string[];
}

/** The top-level fields of a port's record schema; undefined when the schema did not load or is not a record. */
export function topLevelFields(port: OutputPort): readonly TopLevelField[] | undefined {
  const file = port.schemaFile;
  if (!file || file.status !== 'ok') return undefined;
  if (file.topFields) return file.topFields;
  return file.schema ? topLevelFieldsOf(file.schema) : undefined;
}

/** The top-level fields of a parsed schema (undefined unless it is a record). */
export function topLevelFieldsOf(schema: AvroSchema): TopLevelField[] | undefined {
  const record = dereference(schema);
  if (record.type !== 'record' && record.type !== 'error') return undefined;
  return (record as RecordSchema).fields.map((f) => describeField(f.name, f.type));
}

function describeField(name: string, type: AvroSchema): TopLevelField {
  let t = dereference(type);
  let nullable = false;
  if (t.type === 'union') {
    const branches = t.branches.map(dereference);
    nullable = branches.some((b) => b.type === 'null');
    const rest = branches.filter((b) => b.type !== 'null');
    if (rest.length !== 1) return { name, type: 'union', nullable };
    t = rest[0]!;
  }
  const logicalType = 'logicalType' in t && t.logicalType ? t.logicalType.name : undefined;
  return { name, type: t.type, ...(logicalType ? { logicalType } : {}), nullable };
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const COMPLEX = new Set(['record', 'error', 'enum', 'fixed', 'array', 'map']);
/**
 * `topLevelFieldsOf` read straight from the JSON of a schema that the loader has already
 * vouched for (the field table's fast path accepted it), without the typed model. Gives up
 * (undefined: the caller parses) on what it cannot read for sure, such as a name defined twice.
 */
export function topLevelFieldsOfJson(json: unknown): TopLevelField[] | undefined {
  if (!isObject(json) || (json.type !== 'record' && json.type !== 'error') || !Array.isArray(json.fields)) return undefined;
  let named: Map<string, Omit<TopLevelField, 'name' | 'nullable'> | null> | undefined;
  const byName = (name: string) => (named ??= namedTypes(json)).get(name) ?? undefined;
  const out: TopLevelField[] = [];
  for (const field of json.fields as unknown[]) {
    if (!isObject(field) || typeof field.name !== 'string') return undefined;
    const described = describeJsonType(field.type, byName);
    if (!described) return undefined;
    out.push({ name: field.name, ...described });
  }
  return out;
}

type Shape = Omit<TopLevelField, 'name' | 'nullable'>;

function describeJsonType(json: unknown, byName: (name: string) => Shape | undefined): Omit<TopLevelField, 'name'> | undefined {
  if (Array.isArray(json)) {
    const nullable = json.includes('null');
    const rest = json.filter((b) => b !== 'null');
    if (rest.length !== 1) return { type: 'union', nullable };
    const one = describeJsonType(rest[0], byName);
    return one && { ...one, nullable };
  }
  if (typeof json === 'string') {
    const shape = PRIMITIVES.has(json) ? { type: json } : byName(json);
    return shape && { ...shape, nullable: false };
  }
  const shape = isObject(json) ? shapeOf(json) : undefined;
  return shape && { ...shape, nullable: false };
}

/** The shape of a type written as an object, as the typed model has it. */
function shapeOf(json: Record<string, unknown>): Shape | undefined {
  const type = json.type;
  if (typeof type !== 'string' || (!PRIMITIVES.has(type) && !COMPLEX.has(type))) return undefined;
  if (type !== 'fixed' && COMPLEX.has(type)) return { type };
  const logical = parseLogicalType(json, type === 'fixed' ? { type, size: json.size as number } : { type });
  return logical ? { type, logicalType: logical.name } : { type };
}

/** Every named type of a schema by simple and full name; null for a name given to two types. */
function namedTypes(root: Record<string, unknown>): Map<string, Shape | null> {
  const out = new Map<string, Shape | null>();
  const add = (name: string, shape: Shape) => out.set(name, out.has(name) ? null : shape);
  const walk = (node: unknown, namespace: string): void => {
    if (Array.isArray(node)) { for (const n of node) walk(n, namespace); return; }
    if (!isObject(node)) return;
    let inner = namespace;
    if (typeof node.name === 'string' && (node.type === 'record' || node.type === 'error' || node.type === 'enum' || node.type === 'fixed')) {
      const shape = shapeOf(node);
      const full = node.name.includes('.') ? node.name : typeof node.namespace === 'string' ? (node.namespace ? `${node.namespace}.${node.name}` : node.name) : namespace ? `${namespace}.${node.name}` : node.name;
      if (shape) for (const key of new Set([full, full.slice(full.lastIndexOf('.') + 1)])) add(key, shape);
      inner = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
    }
    for (const key of ['type', 'fields', 'items', 'values']) if (key in node) walk(node[key], inner);
  };
  walk(root, '');
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTimeType(logicalType: string | undefined): logicalType is RecordTimeType {
  return (RECORD_TIME_TYPES as readonly string[]).includes(logicalType ?? '');
}

/**
 * The record-time field of a batch port: the one its spec names (`recordTimeField`), else the
 * first required top-level date or timestamp field of its schema. Undefined for a stream port,
 * a port whose schema did not load, a declared field that is not a usable time field, and a
 * schema without one (MESH119 reports each).
 */
export function recordTimeField(port: OutputPort): RecordTimeField | undefined {
  if (port.spec.type !== 'batch') return undefined;
  const fields = topLevelFields(port);
  if (!fields) return undefined;
  const declared = port.spec.recordTimeField;
  if (declared !== undefined) {
    const field = fields.find((f) => f.name === declared);
    return field && isTimeType(field.logicalType) ? { field: field.name, logicalType: field.logicalType, declared: true, candidates: [field.name] } : undefined;
  }
  const candidates = fields.filter((f) => !f.nullable && isTimeType(f.logicalType));
  const first = candidates[0];
  return first ? { field: first.name, logicalType: first.logicalType as RecordTimeType, declared: false, candidates: candidates.map((c) => c.name) } : undefined;
}

/** Avro types a subject id can have: compared with the erasure list's ids as text or numbers. */
export const SUBJECT_ID_TYPES = ['string', 'int', 'long'] as const;

/** The subject-id field erasures delete by (`governance.subject_id_field`), when the product is subject to erasure. */
export function subjectIdField(product: DataProduct): string | undefined {
  const governance = product.spec.spec.governance;
  return governance?.gdpr_subject_to_erasure === true ? governance.subject_id_field : undefined;
}

/** A field reference resolved in one port's schema, with the shape of the field it names. */
export type PortColumnResolution =
  | { readonly ok: true; readonly path: string; readonly field: TopLevelField }
  | { readonly ok: false; readonly reason: 'no-schema' | 'not-found' | 'ambiguous' | 'in-collection'; readonly candidates: readonly string[] };

/**
 * Resolves a field reference (a name or dotted path, with `lookupField`'s rules) in one port's
 * schema to a single column value: reached through records and nullable records only, not
 * through an array or a map (a row would hold many values).
 */
export function resolvePortColumn(port: OutputPort, ref: string): PortColumnResolution {
  const table = port.schemaFile?.fields;
  if (!table) return { ok: false, reason: 'no-schema', candidates: [] };
  const found = lookupField(table, ref);
  if (!found.ok) return found;
  if (!found.path.includes('.')) {
    const top = topLevelFields(port)?.find((f) => f.name === found.path);
    if (top) return { ok: true, path: found.path, field: top };
  }
  const schema = port.schemaFile?.schema;
  if (!schema) return { ok: false, reason: 'no-schema', candidates: [] };
  let type: AvroSchema = schema;
  let field: TopLevelField | undefined;
  for (const segment of found.path.split('.')) {
    const record = nonNullBranch(type);
    if (!record || (record.type !== 'record' && record.type !== 'error')) return { ok: false, reason: 'in-collection', candidates: [found.path] };
    const next = (record as RecordSchema).fields.find((f) => f.name === segment)!;
    field = describeField(segment, next.type);
    type = next.type;
  }
  return { ok: true, path: found.path, field: { ...field!, name: found.path } };
}

function nonNullBranch(type: AvroSchema): Exclude<AvroSchema, { type: 'ref' }> | undefined {
  const t = dereference(type);
  if (t.type !== 'union') return t;
  const rest = t.branches.filter((b) => dereference(b).type !== 'null');
  return rest.length === 1 ? dereference(rest[0]!) : undefined;
}
