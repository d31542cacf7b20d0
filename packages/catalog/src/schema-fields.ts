/** A port's Avro schema as the catalog shows it: one row per field, its type in words. */
export interface FieldRow {
  /** Dotted path from the top-level record (`payload.customer_id`). */
  readonly path: string;
  readonly name: string;
  /** 0 for a top-level field. */
  readonly depth: number;
  /** The type in words: `text`, `whole number (64-bit)`, `date`, `one of A, B`, `list of text` ... */
  readonly type: string;
  readonly optional: boolean;
  readonly doc?: string;
  /** A record field: its own fields follow it. */
  readonly record: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const PRIMITIVE_WORDS: Readonly<Record<string, string>> = {
  null: 'nothing (null)',
  boolean: 'true or false',
  int: 'whole number (32-bit)',
  long: 'whole number (64-bit)',
  float: 'decimal number (32-bit float)',
  double: 'decimal number (64-bit float)',
  bytes: 'bytes',
  string: 'text',
};

const LOGICAL_WORDS: Readonly<Record<string, string>> = {
  date: 'date (days since 1970-01-01)',
  'time-millis': 'time of day (milliseconds)',
  'time-micros': 'time of day (microseconds)',
  'timestamp-millis': 'timestamp (UTC, milliseconds)',
  'timestamp-micros': 'timestamp (UTC, microseconds)',
  'timestamp-nanos': 'timestamp (UTC, nanoseconds)',
  'local-timestamp-millis': 'local timestamp (milliseconds, no time zone)',
  'local-timestamp-micros': 'local timestamp (microseconds, no time zone)',
  uuid: 'UUID (text)',
  duration: 'duration (months, days, milliseconds)',
};

/** Named types seen so far, by full and short name: a later field may use one by name. */
type Names = Map<string, JsonObject>;

function fullName(node: JsonObject, namespace: string | undefined): string {
  const name = String(node.name ?? '');
  if (name.includes('.')) return name;
  const ns = typeof node.namespace === 'string' ? node.namespace : namespace;
  return ns ? `${ns}.${name}` : name;
}

function words(type: Json | undefined, names: Names): string {
  if (typeof type === 'string') {
    if (PRIMITIVE_WORDS[type]) return PRIMITIVE_WORDS[type] as string;
    const named = names.get(type);
    return named ? words(named, names) : `type ${type}`;
  }
  if (Array.isArray(type)) {
    const branches = type.filter((b) => b !== 'null');
    if (branches.length === 1) return words(branches[0], names);
    return `one of: ${branches.map((b) => words(b, names)).join(' | ')}`;
  }
  if (!isObject(type)) return 'unknown';
  const logical = typeof type.logicalType === 'string' ? type.logicalType : undefined;
  if (logical === 'decimal') return `exact decimal (precision ${String(type.precision ?? '?')}, scale ${String(type.scale ?? 0)})`;
  if (logical && LOGICAL_WORDS[logical]) return LOGICAL_WORDS[logical] as string;
  switch (type.type) {
    case 'record':
    case 'error':
      return `record ${String(type.name ?? '')}`.trim();
    case 'enum':
      return `one of ${Array.isArray(type.symbols) ? type.symbols.map(String).join(', ') : ''}`;
    case 'array':
      return `list of ${words(type.items, names)}`;
    case 'map':
      return `map of text to ${words(type.values, names)}`;
    case 'fixed':
      return `${String(type.size ?? '?')} bytes (fixed)`;
    default:
      return typeof type.type === 'string' ? words(type.type, names) : 'unknown';
  }
}

/** Registers the named types a type defines (records, enums, fixed), at any depth. */
function collect(type: Json | undefined, names: Names, namespace: string | undefined): void {
  if (Array.isArray(type)) {
    for (const branch of type) collect(branch, names, namespace);
    return;
  }
  if (!isObject(type)) return;
  if ((type.type === 'record' || type.type === 'error' || type.type === 'enum' || type.type === 'fixed') && typeof type.name === 'string') {
    const full = fullName(type, namespace);
    names.set(full, type);
    names.set(full.split('.').pop() as string, type);
    const ns = full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : namespace;
    if (Array.isArray(type.fields)) for (const f of type.fields) if (isObject(f)) collect(f.type, names, ns);
  }
  if (type.type === 'array') collect(type.items, names, namespace);
  if (type.type === 'map') collect(type.values, names, namespace);
}

/** The record a field's type is (directly, optionally, or by name), if any. */
function recordOf(type: Json | undefined, names: Names): JsonObject | undefined {
  if (typeof type === 'string') return recordOf(names.get(type), names);
  if (Array.isArray(type)) {
    const branches = type.filter((b) => b !== 'null');
    return branches.length === 1 ? recordOf(branches[0], names) : undefined;
  }
  if (isObject(type) && (type.type === 'record' || type.type === 'error')) return type;
  return undefined;
}

const optional = (type: Json | undefined): boolean => Array.isArray(type) && type.includes('null');

/** An Avro schema file's text as JSON; undefined when it is not JSON. */
export function parseSchemaJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The field rows of an Avro schema (its parsed JSON: a record), depth first; nested records are
 * walked once (a recursive type is shown as its name, not expanded again). Undefined when it is
 * not a record schema.
 */
export function schemaFieldRows(schema: unknown): FieldRow[] | undefined {
  const root = schema as Json | undefined;
  if (!isObject(root) || !Array.isArray(root.fields)) return undefined;
  const names: Names = new Map();
  collect(root, names, undefined);
  const rows: FieldRow[] = [];
  const walk = (record: JsonObject, prefix: string, depth: number, open: Set<JsonObject>) => {
    open.add(record);
    for (const field of record.fields as Json[]) {
      if (!isObject(field) || typeof field.name !== 'string') continue;
      const path = prefix ? `${prefix}.${field.name}` : field.name;
      const nested = recordOf(field.type, names);
      rows.push({
        path,
        name: field.name,
        depth,
        type: words(field.type, names),
        optional: optional(field.type),
        ...(typeof field.doc === 'string' ? { doc: field.doc } : {}),
        record: nested !== undefined,
      });
      if (nested && Array.isArray(nested.fields) && !open.has(nested)) walk(nested, path, depth + 1, open);
    }
    open.delete(record);
  };
  walk(root, '', 0, new Set());
  return rows;
}
