import { avroToIceberg, type AvroSchema, type IcebergType } from '@data-mesh/schema-compat';
import type { IcebergColumn } from '@data-mesh/cdk';

/**
 * Table columns of an Avro record schema with their Glue types, by `avroToIceberg` of
 * `@data-mesh/schema-compat` (the one Avro -> Iceberg/Glue mapping of the repo). A schema the
 * mapping cannot express (a recursive record) throws, which the app reports as MESH505.
 */
export function avroColumns(schema: AvroSchema): IcebergColumn[] {
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
