import * as schemaCompat from '@data-mesh/schema-compat';
import type { AvroSchema } from '@data-mesh/schema-compat';
import type { IcebergColumn } from '@data-mesh/cdk';

/**
 * Table columns of an Avro record schema, with Glue type strings.
 *
 * The mapping belongs to `@data-mesh/schema-compat` (`avroToIceberg`, being written there);
 * it is used as soon as that package exports it. Until then this interim mapping keeps
 * `mesh synth` working; delete it when the export lands.
 */
export function avroColumns(schema: AvroSchema): IcebergColumn[] {
  const external = (schemaCompat as unknown as Record<string, unknown>).avroToIceberg;
  if (typeof external === 'function') {
    const result = (external as (s: AvroSchema) => unknown)(schema);
    const columns = (Array.isArray(result) ? result : (result as { columns?: unknown[] }).columns ?? []) as Record<string, unknown>[];
    return columns.map((c) => ({
      name: String(c.name),
      type: String(c.glueType ?? c.glue ?? c.type),
      required: c.required === true || c.optional === false,
      doc: typeof c.doc === 'string' ? c.doc : undefined,
    }));
  }
  return interimColumns(schema);
}

function interimColumns(schema: AvroSchema): IcebergColumn[] {
  const record = schemaCompat.dereference(schema);
  if (record.type !== 'record' && record.type !== 'error') throw new Error('a table schema must be an Avro record');
  return record.fields.map((f) => {
    const { type, nullable } = glueType(f.type, new Set());
    return { name: f.name, type, required: !nullable, doc: f.doc };
  });
}

function glueType(schema: AvroSchema, seen: Set<object>): { type: string; nullable: boolean } {
  const s = schemaCompat.dereference(schema);
  switch (s.type) {
    case 'union': {
      const rest = s.branches.filter((b) => schemaCompat.dereference(b).type !== 'null');
      const nullable = rest.length < s.branches.length;
      if (rest.length === 1) return { type: glueType(rest[0], seen).type, nullable };
      return { type: 'string', nullable: true }; // a multi-branch union is kept as JSON text
    }
    case 'record':
    case 'error': {
      if (seen.has(s)) return { type: 'string', nullable: true }; // recursive: JSON text
      const inner = new Set(seen).add(s);
      return { type: `struct<${s.fields.map((f) => `${f.name}:${glueType(f.type, inner).type}`).join(',')}>`, nullable: false };
    }
    case 'enum': return { type: 'string', nullable: false };
    case 'array': return { type: `array<${glueType(s.items, seen).type}>`, nullable: false };
    case 'map': return { type: `map<string,${glueType(s.values, seen).type}>`, nullable: false };
    case 'fixed':
      if (s.logicalType?.name === 'decimal') return { type: `decimal(${s.logicalType.precision},${s.logicalType.scale})`, nullable: false };
      return { type: 'binary', nullable: false };
    case 'null': return { type: 'string', nullable: true };
    default: {
      const lt = 'logicalType' in s ? s.logicalType : undefined;
      if (lt) {
        switch (lt.name) {
          case 'decimal': return { type: `decimal(${lt.precision},${lt.scale})`, nullable: false };
          case 'date': return { type: 'date', nullable: false };
          case 'timestamp-millis': case 'timestamp-micros': case 'timestamp-nanos': return { type: 'timestamp', nullable: false };
          case 'local-timestamp-millis': case 'local-timestamp-micros': case 'local-timestamp-nanos': return { type: 'timestamp_ntz', nullable: false };
          case 'uuid': return { type: 'string', nullable: false };
          default: break; // time-*, duration: the underlying type
        }
      }
      const primitive: Record<string, string> = { boolean: 'boolean', int: 'int', long: 'bigint', float: 'float', double: 'double', bytes: 'binary', string: 'string' };
      return { type: primitive[s.type] ?? 'string', nullable: false };
    }
  }
}
