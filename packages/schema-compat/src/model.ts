/**
 * The typed model of a parsed Avro schema. Named types (record, enum, fixed) are defined
 * once; later uses of a name are `ref` nodes whose `target` points at the definition, so a
 * recursive schema is a graph whose cycles all pass through a `ref`.
 */

export type PrimitiveTypeName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export type LogicalType =
  | { name: 'decimal'; precision: number; scale: number }
  | { name: 'uuid' }
  | { name: 'date' }
  | { name: 'time-millis' }
  | { name: 'time-micros' }
  | { name: 'timestamp-millis' }
  | { name: 'timestamp-micros' }
  | { name: 'timestamp-nanos' }
  | { name: 'local-timestamp-millis' }
  | { name: 'local-timestamp-micros' }
  | { name: 'local-timestamp-nanos' }
  | { name: 'duration' };

export type LogicalTypeName = LogicalType['name'];

export interface PrimitiveSchema {
  type: PrimitiveTypeName;
  /** Present only when valid for this type; an invalid logical type falls back to the underlying type. */
  logicalType?: LogicalType;
}

export interface AvroField {
  name: string;
  type: AvroSchema;
  /** The JSON default value; check `hasDefault`, since `null` is a valid default. */
  default?: unknown;
  hasDefault: boolean;
  aliases: readonly string[];
  doc?: string;
  order?: 'ascending' | 'descending' | 'ignore';
}

interface NamedSchemaBase {
  /** The full name, namespace included (`com.acme.Customer`). */
  name: string;
  namespace?: string;
  /** Full names of the aliases. */
  aliases: readonly string[];
  doc?: string;
}

export interface RecordSchema extends NamedSchemaBase {
  type: 'record' | 'error';
  fields: AvroField[];
}

export interface EnumSchema extends NamedSchemaBase {
  type: 'enum';
  symbols: string[];
  default?: string;
}

export interface FixedSchema extends NamedSchemaBase {
  type: 'fixed';
  size: number;
  logicalType?: LogicalType;
}

export type NamedSchema = RecordSchema | EnumSchema | FixedSchema;

export interface ArraySchema {
  type: 'array';
  items: AvroSchema;
}

export interface MapSchema {
  type: 'map';
  values: AvroSchema;
}

export interface UnionSchema {
  type: 'union';
  branches: AvroSchema[];
}

/** A use of a named type by name; `target` is its definition (not enumerable, so the model serialises without cycles). */
export interface NamedTypeRef {
  type: 'ref';
  name: string;
  readonly target: NamedSchema;
}

export type AvroSchema =
  | PrimitiveSchema
  | RecordSchema
  | EnumSchema
  | FixedSchema
  | ArraySchema
  | MapSchema
  | UnionSchema
  | NamedTypeRef;

/** Where in the JSON document an issue is, e.g. `['fields', 2, 'type']`. */
export type JsonPath = (string | number)[];

export interface AvroIssue {
  message: string;
  jsonPath: JsonPath;
  /** For JSON syntax errors: the character offset into the text. */
  offset?: number;
}

/** Follows a `ref` to the named type it names; any other schema is returned as is. */
export function dereference(schema: AvroSchema): Exclude<AvroSchema, NamedTypeRef> {
  return schema.type === 'ref' ? schema.target : schema;
}

export function isNamedSchema(schema: AvroSchema): schema is NamedSchema {
  return schema.type === 'record' || schema.type === 'error' || schema.type === 'enum' || schema.type === 'fixed';
}
