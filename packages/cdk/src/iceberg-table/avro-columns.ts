import { avroToIceberg, type AvroSchema, type IcebergType } from '@data-mesh/schema-compat';
import type { TableColumn } from './iceberg-schema';

/**
 * The table columns of an Avro record schema, as {@link IcebergTable} and {@link DataProduct}
 * take them: `avroToIceberg` of `@data-mesh/schema-compat` (the one Avro -> Iceberg/Glue mapping),
 * with each primitive column's Iceberg type kept in `icebergType` where the Glue type string
 * loses it (`timestamptz` vs `timestamp`, `uuid`, `time`, `fixed[16]`).
 *
 * Throws when the schema has no table form (not a record, a recursive record), naming the
 * field paths.
 */
export function avroColumns(schema: AvroSchema): TableColumn[] {
  const mapping = avroToIceberg(schema);
  if (mapping.issues.length > 0) {
    throw new Error(`the schema has no table form: ${mapping.issues.map((i) => `${i.path || '(schema)'}: ${i.message}`).join('; ')}`);
  }
  return mapping.columns.map((c) => ({ name: c.name, type: c.glueType, required: c.required, doc: c.doc, icebergType: primitive(c.type) }));
}

/** Iceberg's notation of a primitive type (`timestamptz`, `decimal(10, 2)`, `fixed[16]`); undefined for nested types. */
function primitive(t: IcebergType): string | undefined {
  switch (t.type) {
    case 'struct': case 'list': case 'map': return undefined;
    case 'decimal': return `decimal(${t.precision}, ${t.scale})`;
    case 'fixed': return `fixed[${t.length}]`;
    default: return t.type;
  }
}
