import { below, customValue, pascal, propertyToField, type CustomProperty, type Json, type OdcsProperty } from './avro';

/** An ODCS schema object as far as its Avro schema goes. */
export interface AvroSchemaObject {
  name?: string;
  description?: string;
  properties?: OdcsProperty[];
  customProperties?: CustomProperty[];
}


/**
 * The Avro schema of a schema object: the verbatim one an export kept (customProperties
 * avroSchema), else a record of its properties, named by avroName (or the object's name).
 * Throws AvroMappingError for a property Avro cannot express.
 */
export function schemaObjectToAvro(object: AvroSchemaObject): Json {
  const verbatim = customValue(object, 'avroSchema');
  if (verbatim !== undefined) return verbatim;
  const name = customValue(object, 'avroName');
  const namespace = customValue(object, 'avroNamespace');
  const record: { [key: string]: Json } = { type: 'record', name: typeof name === 'string' ? name : pascal(object.name ?? 'record') };
  if (typeof namespace === 'string') record.namespace = namespace;
  if (object.description !== undefined) record.doc = object.description;
  record.fields = (object.properties ?? []).map((p, i) => below(['properties', i], () => propertyToField(p)));
  return record;
}
