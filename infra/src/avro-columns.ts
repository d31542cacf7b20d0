import { avroToIceberg, type AvroSchema } from '@data-mesh/schema-compat';
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
  return mapping.columns.map((c) => ({ name: c.name, type: c.glueType, required: c.required, doc: c.doc }));
}
