/**
 * Whether a JSON value is a valid default for a schema, per the Avro specification
 * (for a union, the value must match the first branch).
 */

import { dereference, type AvroSchema } from './model';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
/** A record default may fall back to its fields' defaults, which may recurse; beyond this depth it is rejected. */
const MAX_DEFAULT_DEPTH = 64;

/** Whether a JSON value is a valid default for a primitive type (bytes and string: any string). */
export function isValidPrimitiveDefault(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX;
    case 'long':
      return Number.isInteger(value);
    case 'float':
    case 'double':
      return typeof value === 'number' || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
    default:
      return typeof value === 'string';
  }
}

export function isValidDefault(schema: AvroSchema, value: unknown, depth = 0): boolean {
  if (depth > MAX_DEFAULT_DEPTH) return false;
  const resolved = dereference(schema);
  switch (resolved.type) {
    case 'null':
    case 'boolean':
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return isValidPrimitiveDefault(resolved.type, value);
    case 'bytes':
    case 'string':
    case 'fixed':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && resolved.symbols.includes(value);
    case 'array':
      return Array.isArray(value) && value.every((item) => isValidDefault(resolved.items, item, depth + 1));
    case 'map':
      return isJsonObject(value) && Object.values(value).every((item) => isValidDefault(resolved.values, item, depth + 1));
    case 'union':
      return resolved.branches.length > 0 && isValidDefault(resolved.branches[0]!, value, depth + 1);
    case 'record':
    case 'error':
      return (
        isJsonObject(value) &&
        resolved.fields.every((field) => {
          if (Object.prototype.hasOwnProperty.call(value, field.name)) return isValidDefault(field.type, value[field.name], depth + 1);
          return field.hasDefault && isValidDefault(field.type, field.default, depth + 1);
        })
      );
  }
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
