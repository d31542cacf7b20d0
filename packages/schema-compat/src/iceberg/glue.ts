/**
 * Glue / Athena column type strings for Iceberg types, as Iceberg's GlueCatalog writes them
 * (IcebergToGlueConverter): time, string and uuid are 'string'; fixed and binary 'binary';
 * both timestamps 'timestamp'.
 */

import type { IcebergType } from './types';

export function glueTypeString(type: IcebergType): string {
  switch (type.type) {
    case 'boolean':
    case 'int':
    case 'float':
    case 'double':
    case 'date':
    case 'string':
      return type.type;
    case 'long':
      return 'bigint';
    case 'time':
    case 'uuid':
      return 'string';
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return 'timestamp';
    case 'binary':
    case 'fixed':
      return 'binary';
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'struct':
      return `struct<${type.fields.map((field) => `${field.name}:${glueTypeString(field.type)}`).join(',')}>`;
    case 'list':
      return `array<${glueTypeString(type.element)}>`;
    case 'map':
      return `map<${glueTypeString(type.key)},${glueTypeString(type.value)}>`;
  }
}
