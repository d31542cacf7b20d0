/** Human-readable type names: 'string', 'long (timestamp-millis)', 'record Customer', 'union [null, string]'. */

import type { AvroSchema, LogicalType } from './model';
import { simpleNameOf } from './names';

export function describeType(schema: AvroSchema): string {
  switch (schema.type) {
    case 'ref':
      return describeType(schema.target);
    case 'record':
    case 'error':
      return `record ${simpleNameOf(schema.name)}`;
    case 'enum':
      return `enum ${simpleNameOf(schema.name)}`;
    case 'fixed':
      return withLogicalType(`fixed ${simpleNameOf(schema.name)}(${schema.size})`, schema.logicalType);
    case 'array':
      return `array<${describeType(schema.items)}>`;
    case 'map':
      return `map<${describeType(schema.values)}>`;
    case 'union':
      return `union [${schema.branches.map(describeType).join(', ')}]`;
    default:
      return withLogicalType(schema.type, schema.logicalType);
  }
}

function withLogicalType(base: string, logicalType: LogicalType | undefined): string {
  if (!logicalType) return base;
  const detail = logicalType.name === 'decimal' ? `decimal(${logicalType.precision},${logicalType.scale})` : logicalType.name;
  return `${base} (${detail})`;
}
