/**
 * Avro fields <-> ODCS v3.1 schema properties. The mapping is checked by construction: after a
 * field is mapped, the property is mapped back, and when that does not give the same Avro JSON
 * the field's exact type (and default) is kept in the property's customProperties, so an export
 * never loses what the Avro schema says. What needed that is returned as a note.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type CustomProperty = { property: string; value: Json };

/** What the export could not say in ODCS's own terms and kept in customProperties. */
export interface MappingNote {
  /** Where in the ODCS document: `schema[0].properties[2]` ... */
  readonly path: string;
  readonly what: string;
  readonly reason: string;
}

/** ODCS logicalType and options of each Avro primitive. */
const PRIMITIVE_LOGICAL: Record<string, { logicalType: string; options?: JsonObject }> = {
  string: { logicalType: 'string' },
  int: { logicalType: 'integer', options: { format: 'i32' } },
  long: { logicalType: 'integer', options: { format: 'i64' } },
  float: { logicalType: 'number', options: { format: 'f32' } },
  double: { logicalType: 'number', options: { format: 'f64' } },
  boolean: { logicalType: 'boolean' },
  bytes: { logicalType: 'string', options: { format: 'binary' } },
};

/** Avro logical types with an ODCS logicalType, by the physicalType the export writes. */
const LOGICAL: Record<string, { base: string; logicalType: string; options?: JsonObject }> = {
  uuid: { base: 'string', logicalType: 'string', options: { format: 'uuid' } },
  date: { base: 'int', logicalType: 'date' },
  'time-millis': { base: 'int', logicalType: 'time' },
  'time-micros': { base: 'long', logicalType: 'time' },
  'timestamp-millis': { base: 'long', logicalType: 'timestamp', options: { timezone: true } },
  'timestamp-micros': { base: 'long', logicalType: 'timestamp', options: { timezone: true } },
  'local-timestamp-millis': { base: 'long', logicalType: 'timestamp', options: { timezone: false } },
  'local-timestamp-micros': { base: 'long', logicalType: 'timestamp', options: { timezone: false } },
};

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep equality of JSON values, key order ignored. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function customValue(holder: { customProperties?: CustomProperty[] }, name: string): Json | undefined {
  return holder.customProperties?.find((c) => c.property === name)?.value;
}

export function hasCustom(holder: { customProperties?: CustomProperty[] }, name: string): boolean {
  return holder.customProperties?.some((c) => c.property === name) ?? false;
}

function addCustom(holder: { customProperties?: CustomProperty[] }, property: string, value: Json): void {
  (holder.customProperties ??= []).push({ property, value });
}

/** An ODCS schema property (the keys this mapping writes and reads). */
export interface OdcsProperty {
  name?: string;
  logicalType?: string;
  logicalTypeOptions?: JsonObject;
  physicalType?: string;
  required?: boolean;
  description?: string;
  classification?: string;
  tags?: string[];
  partitioned?: boolean;
  partitionKeyPosition?: number;
  properties?: OdcsProperty[];
  items?: OdcsProperty;
  customProperties?: CustomProperty[];
}

/** The ODCS property of an Avro type: logicalType, physicalType and what nests below it. */
function typeToProperty(type: Json, path: string, notes: MappingNote[]): OdcsProperty | undefined {
  if (typeof type === 'string') {
    const primitive = PRIMITIVE_LOGICAL[type];
    if (!primitive) return undefined; // a named type's reference, or null alone
    return { logicalType: primitive.logicalType, ...(primitive.options ? { logicalTypeOptions: primitive.options } : {}), physicalType: type };
  }
  if (!isObject(type)) return undefined;
  const logical = typeof type.logicalType === 'string' ? type.logicalType : undefined;
  if (logical === 'decimal' && type.type === 'bytes' && typeof type.precision === 'number') {
    const scale = typeof type.scale === 'number' ? type.scale : 0;
    return { logicalType: 'number', physicalType: `decimal(${type.precision},${scale})` };
  }
  if (logical !== undefined) {
    const known = LOGICAL[logical];
    if (!known || known.base !== type.type) return undefined;
    return { logicalType: known.logicalType, ...(known.options ? { logicalTypeOptions: known.options } : {}), physicalType: logical };
  }
  switch (type.type) {
    case 'record': {
      const fields = Array.isArray(type.fields) ? type.fields : [];
      const property: OdcsProperty = { logicalType: 'object', physicalType: 'record', properties: fields.map((f, i) => fieldToProperty(f, `${path}.properties[${i}]`, notes)) };
      namedCustom(property, type);
      return property;
    }
    case 'enum': {
      const property: OdcsProperty = { logicalType: 'string', physicalType: 'enum' };
      namedCustom(property, type);
      addCustom(property, 'avroSymbols', type.symbols ?? []);
      if ('default' in type) addCustom(property, 'avroEnumDefault', type.default ?? null);
      return property;
    }
    case 'fixed': {
      const property: OdcsProperty = { logicalType: 'string', logicalTypeOptions: { format: 'binary' }, physicalType: 'fixed' };
      namedCustom(property, type);
      addCustom(property, 'avroSize', type.size ?? null);
      return property;
    }
    case 'array': {
      const items = elementProperty(type.items ?? null, `${path}.items`, notes);
      return { logicalType: 'array', physicalType: 'array', items };
    }
    case 'map': {
      const property: OdcsProperty = { logicalType: 'object', physicalType: 'map' };
      addCustom(property, 'avroValues', type.values ?? null);
      notes.push({ path, what: 'an Avro map', reason: 'ODCS objects have named properties only; the value type is kept in customProperties.avroValues' });
      return property;
    }
    default:
      return undefined;
  }
}

function namedCustom(property: OdcsProperty, type: JsonObject): void {
  if (typeof type.name === 'string') addCustom(property, 'avroName', type.name);
  if (typeof type.namespace === 'string') addCustom(property, 'avroNamespace', type.namespace);
  if (typeof type.doc === 'string') addCustom(property, 'avroDoc', type.doc);
}

/** The property of an array's items (a type, not a field: no name). */
function elementProperty(type: Json, path: string, notes: MappingNote[]): OdcsProperty {
  const { branch, nullable } = nonNull(type);
  const mapped = branch === undefined ? undefined : typeToProperty(branch, path, notes);
  const property: OdcsProperty = mapped ? { ...mapped, required: !nullable } : {};
  if (!jsonEqual(elementType(property), type)) {
    const exact: OdcsProperty = { ...(mapped?.logicalType ? { logicalType: mapped.logicalType } : {}), physicalType: 'avro' };
    addCustom(exact, 'avroType', type);
    notes.push({ path, what: `the Avro type ${JSON.stringify(type)}`, reason: 'ODCS has no equivalent; the exact type is kept in customProperties.avroType' });
    return exact;
  }
  return property;
}

/** The one non-null branch of a type, and whether null is its first branch (the nullable form the export reads). */
function nonNull(type: Json): { branch?: Json; nullable: boolean } {
  if (!Array.isArray(type)) return { branch: type, nullable: false };
  const others = type.filter((t) => t !== 'null');
  if (type.length === 2 && type[0] === 'null' && others.length === 1) return { branch: others[0], nullable: true };
  return { nullable: false };
}

/** The ODCS property of an Avro record field. */
export function fieldToProperty(field: Json, path: string, notes: MappingNote[]): OdcsProperty {
  const f = isObject(field) ? field : {};
  const name = typeof f.name === 'string' ? f.name : '';
  const { branch, nullable } = nonNull(f.type ?? null);
  const mapped = branch === undefined ? undefined : typeToProperty(branch, path, notes);
  const property: OdcsProperty = { name, ...(mapped ?? {}), required: !nullable };
  if (typeof f.doc === 'string') property.description = f.doc;
  const extras: JsonObject = {};
  for (const [key, value] of Object.entries(f)) if (!['name', 'type', 'doc', 'default'].includes(key)) extras[key] = value;
  if (Object.keys(extras).length > 0) addCustom(property, 'avroFieldAttributes', extras);
  if ('default' in f && !(nullable && f.default === null)) addCustom(property, 'avroDefault', f.default ?? null);
  else if (nullable && !('default' in f)) addCustom(property, 'avroNoDefault', true);
  if (!mapped || !jsonEqual(propertyToField(property), field)) {
    // Kept exactly: the type as written, and its default as written.
    const exact: OdcsProperty = { name, ...(mapped?.logicalType ? { logicalType: mapped.logicalType } : {}), physicalType: 'avro', required: !nullable };
    if (typeof f.doc === 'string') exact.description = f.doc;
    addCustom(exact, 'avroType', f.type ?? null);
    if ('default' in f) addCustom(exact, 'avroDefault', f.default ?? null);
    if (Object.keys(extras).length > 0) addCustom(exact, 'avroFieldAttributes', extras);
    notes.push({ path, what: `field ${name}: the Avro type ${JSON.stringify(f.type)}`, reason: 'ODCS has no equivalent; the exact type is kept in customProperties.avroType' });
    return exact;
  }
  return property;
}

/** Why an ODCS property cannot become an Avro type. */
export class AvroMappingError extends Error {
  constructor(
    message: string,
    /** Where the error is, from the property being mapped: `['properties', 2, 'logicalType']`. */
    readonly path: (string | number)[],
  ) {
    super(message);
  }
}

/** Runs a nested mapping with its place below the current property, for the error's path. */
export function below<T>(path: (string | number)[], map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (error instanceof AvroMappingError) throw new AvroMappingError(error.message, [...path, ...error.path]);
    throw error;
  }
}

/** A name as an Avro record name: CustomerProfile for customer_profile. */
export const pascal = (name: string): string => name.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9_]/g, '') || 'Record';

/** The non-null Avro type a property describes. */
function propertyType(property: OdcsProperty, fallbackName: string): Json {
  const custom = (name: string) => customValue(property, name);
  const exact = custom('avroType');
  if (exact !== undefined) return exact;
  const physical = property.physicalType;
  if (physical !== undefined) {
    if (PRIMITIVE_LOGICAL[physical]) return physical;
    const logical = LOGICAL[physical];
    if (logical) return { type: logical.base, logicalType: physical };
    const decimal = /^decimal\((\d+),(\d+)\)$/.exec(physical);
    if (decimal) return { type: 'bytes', logicalType: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
    const named = (type: string): JsonObject => {
      const out: JsonObject = { type, name: (custom('avroName') as string | undefined) ?? pascal(fallbackName) };
      const ns = custom('avroNamespace');
      if (ns !== undefined) out.namespace = ns;
      const doc = custom('avroDoc');
      if (doc !== undefined) out.doc = doc;
      return out;
    };
    switch (physical) {
      case 'record':
        return { ...named('record'), fields: (property.properties ?? []).map((p, i) => below(['properties', i], () => propertyToField(p))) };
      case 'enum': {
        const out: JsonObject = { ...named('enum'), symbols: custom('avroSymbols') ?? [] };
        if (hasCustom(property, 'avroEnumDefault')) out.default = custom('avroEnumDefault') ?? null;
        return out;
      }
      case 'fixed':
        return { ...named('fixed'), size: custom('avroSize') ?? null };
      case 'array':
        return { type: 'array', items: below(['items'], () => elementType(property.items ?? {}, `${fallbackName}_item`)) };
      case 'map':
        if (custom('avroValues') !== undefined) return { type: 'map', values: custom('avroValues') ?? null };
        break;
      default:
        break; // another system's physical type (VARCHAR(20), ...): read the logical type
    }
  }
  return fromLogicalType(property, fallbackName);
}

/** The Avro type of a property by its logicalType alone (an ODCS document another tool wrote). */
function fromLogicalType(property: OdcsProperty, fallbackName: string): Json {
  const options = property.logicalTypeOptions ?? {};
  switch (property.logicalType) {
    case 'string':
      return options.format === 'uuid' ? { type: 'string', logicalType: 'uuid' } : options.format === 'binary' ? 'bytes' : 'string';
    case 'integer':
      return ['i8', 'i16', 'i32', 'u8', 'u16'].includes(String(options.format)) ? 'int' : 'long';
    case 'number':
      return options.format === 'f32' ? 'float' : 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return { type: 'int', logicalType: 'date' };
    case 'time':
      return { type: 'int', logicalType: 'time-millis' };
    case 'timestamp':
      return { type: 'long', logicalType: options.timezone === false ? 'local-timestamp-millis' : 'timestamp-millis' };
    case 'object':
      if (!property.properties || property.properties.length === 0) {
        throw new AvroMappingError('an object without properties has no Avro type: Avro records name their fields (a free-form object would need a map, whose value type ODCS does not say)', ['logicalType']);
      }
      return { type: 'record', name: pascal(fallbackName), fields: property.properties.map((p, i) => below(['properties', i], () => propertyToField(p))) };
    case 'array':
      if (!property.items) throw new AvroMappingError('an array without items has no Avro type: Avro arrays say their item type', ['logicalType']);
      return { type: 'array', items: below(['items'], () => elementType(property.items ?? {}, `${fallbackName}_item`)) };
    case undefined:
      throw new AvroMappingError('no logicalType (and no physicalType mesh reads): the Avro type is unknown', []);
    default:
      throw new AvroMappingError(`logicalType "${property.logicalType}" has no Avro type (expected string, integer, number, boolean, date, time, timestamp, object or array)`, ['logicalType']);
  }
}

function elementType(property: OdcsProperty, fallbackName = 'item'): Json {
  if (property.physicalType === undefined && property.logicalType === undefined && !hasCustom(property, 'avroType')) return null;
  const type = propertyType(property, fallbackName);
  return property.required === false && !hasCustom(property, 'avroType') ? ['null', type] : type;
}

/** The Avro record field an ODCS property describes. */
export function propertyToField(property: OdcsProperty): JsonObject {
  const name = property.name ?? '';
  const exact = hasCustom(property, 'avroType');
  const type = propertyType(property, name);
  const nullable = !exact && property.required !== true;
  const field: JsonObject = { name, type: nullable ? ['null', type] : type };
  if (property.description !== undefined) field.doc = property.description;
  if (hasCustom(property, 'avroDefault')) field.default = customValue(property, 'avroDefault') ?? null;
  else if (nullable && !hasCustom(property, 'avroNoDefault')) field.default = null;
  const extras = customValue(property, 'avroFieldAttributes');
  if (isObject(extras)) Object.assign(field, extras);
  return field;
}
