import { describeType, dereference, walkFields, type AvroSchema } from '@data-mesh/schema-compat';
import type { CatalogField } from './catalog-registration-props';

/** The classes of DataHub's `SchemaFieldDataType.type` (`com.linkedin.schema.<class>`). */
export type DataHubTypeClass =
  | 'BooleanType' | 'FixedType' | 'StringType' | 'BytesType' | 'NumberType' | 'DateType' | 'TimeType'
  | 'EnumType' | 'NullType' | 'MapType' | 'ArrayType' | 'UnionType' | 'RecordType';

/** A field's DataHub type: its class and, for arrays, maps and unions, what they hold (type names). */
export interface DataHubFieldType {
  readonly class: DataHubTypeClass;
  /** ArrayType: the items' type name (`string`, `timestamp-millis`, `record`). */
  readonly nestedType?: readonly string[];
  /** MapType: always `string` (Avro map keys are strings). */
  readonly keyType?: string;
  /** MapType: the values' type name. */
  readonly valueType?: string;
  /** UnionType: the branches' type names. */
  readonly nestedTypes?: readonly string[];
}

const PRIMITIVE: Record<string, DataHubTypeClass> = {
  null: 'NullType', boolean: 'BooleanType', int: 'NumberType', long: 'NumberType', float: 'NumberType', double: 'NumberType',
  bytes: 'BytesType', string: 'StringType', record: 'RecordType', error: 'RecordType', enum: 'EnumType', fixed: 'FixedType',
  array: 'ArrayType', map: 'MapType', union: 'UnionType',
};

/**
 * Avro logical types that change the class. A timestamp of any precision, local or not, is a
 * TimeType (DataHub's own Avro converter leaves the local and nanosecond ones NumberType);
 * `duration` stays FixedType (DataHub has no duration class).
 */
const LOGICAL: Record<string, DataHubTypeClass> = {
  date: 'DateType', decimal: 'NumberType', uuid: 'StringType',
  'time-millis': 'TimeType', 'time-micros': 'TimeType',
  'timestamp-millis': 'TimeType', 'timestamp-micros': 'TimeType', 'timestamp-nanos': 'TimeType',
  'local-timestamp-millis': 'TimeType', 'local-timestamp-micros': 'TimeType', 'local-timestamp-nanos': 'TimeType',
};

/** A type's name as DataHub's Avro converter writes it inside arrays, maps and unions: the logical type, else the Avro type. */
function typeName(schema: AvroSchema): string {
  const s = dereference(schema);
  return ('logicalType' in s && s.logicalType ? s.logicalType.name : undefined) ?? s.type;
}

/** The DataHub type of a field of this Avro type; a nullable union (`[null, X]`) is X's type (the field is `nullable`). */
export function dataHubFieldType(schema: AvroSchema): DataHubFieldType {
  const s = dereference(schema);
  switch (s.type) {
    case 'array':
      return { class: 'ArrayType', nestedType: [typeName(s.items)] };
    case 'map':
      return { class: 'MapType', keyType: 'string', valueType: typeName(s.values) };
    case 'union': {
      const nonNull = s.branches.filter((b) => dereference(b).type !== 'null');
      if (nonNull.length === 0) return { class: 'NullType' };
      if (nonNull.length === 1) return dataHubFieldType(nonNull[0]!);
      return { class: 'UnionType', nestedTypes: s.branches.map(typeName) };
    }
    default: {
      const logical = 'logicalType' in s ? s.logicalType : undefined;
      return { class: (logical && LOGICAL[logical.name]) ?? PRIMITIVE[s.type]! };
    }
  }
}

/**
 * The DataHub type of a native type written as `describeType` of `@data-mesh/schema-compat`
 * renders it (`long (timestamp-millis)`, `enum Tier`, `map<string>`, `union [null, int (date)]`)
 * or as a bare Avro type or logical type name (`string`, `date`, `timestamp-millis`), for
 * fields given by hand without `type`. Unknown text is a StringType.
 */
export function dataHubTypeOfNative(native: string): DataHubFieldType {
  const t = native.trim();
  const union = /^union \[(.*)\]$/.exec(t);
  if (union) {
    const branches = splitTopLevel(union[1]!);
    const nonNull = branches.filter((b) => b !== 'null');
    if (nonNull.length === 0) return { class: 'NullType' };
    if (nonNull.length === 1) return dataHubTypeOfNative(nonNull[0]!);
    return { class: 'UnionType', nestedTypes: branches.map(nativeTypeName) };
  }
  const array = /^array<(.*)>$/.exec(t);
  if (array) return { class: 'ArrayType', nestedType: [nativeTypeName(array[1]!)] };
  const map = /^map<(.*)>$/.exec(t);
  if (map) return { class: 'MapType', keyType: 'string', valueType: nativeTypeName(map[1]!) };
  const logical = /\((decimal|[a-z-]+)(?:\([^)]*\))?\)$/.exec(t)?.[1] ?? (LOGICAL[t] ? t : undefined);
  if (logical && LOGICAL[logical]) return { class: LOGICAL[logical] };
  const base = /^[a-z]+/.exec(t)?.[0] ?? '';
  return { class: PRIMITIVE[base] ?? 'StringType' };
}

/** `nativeTypeName('long (timestamp-millis)') === 'timestamp-millis'`, `nativeTypeName('record Payload') === 'record'`. */
function nativeTypeName(native: string): string {
  const t = native.trim();
  return /\((decimal|[a-z-]+)(?:\([^)]*\))?\)$/.exec(t)?.[1] ?? /^[a-z]+/.exec(t)?.[0] ?? t;
}

/** Splits `a, map<b>, union [c, d]` at the commas outside brackets. */
function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '<' || c === '[' || c === '(') depth++;
    else if (c === '>' || c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(list.slice(start).trim());
  return out.filter((b) => b !== '');
}

/** DataHub's JSON of a field type: `{ type: { 'com.linkedin.schema.ArrayType': { nestedType: ['string'] } } }`. */
export function dataHubTypeJson(type: DataHubFieldType): { type: Record<string, Record<string, unknown>> } {
  const { class: cls, ...detail } = type;
  return { type: { [`com.linkedin.schema.${cls}`]: detail } };
}

/**
 * The catalog fields of an Avro record schema, every depth in declaration order (as `listFields`):
 * the dotted path, the native type as `describeType` renders it, nullability, the field's doc and
 * its DataHub type, derived from the Avro node.
 */
export function catalogFields(schema: AvroSchema): CatalogField[] {
  const out: CatalogField[] = [];
  walkFields(schema, (path, field) => {
    const s = dereference(field.type);
    const nullable = s.type === 'null' || (s.type === 'union' && s.branches.some((b) => dereference(b).type === 'null'));
    out.push({ path, nativeType: describeType(field.type), nullable, type: dataHubFieldType(field.type), ...(field.doc ? { description: field.doc } : {}) });
  });
  return out;
}
