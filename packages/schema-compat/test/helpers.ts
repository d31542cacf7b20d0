import { parseAvro, type AvroSchema } from '@data-mesh/schema-compat';

/** Parses a schema given as a JSON value, failing the test if it does not parse. */
export function avro(json: unknown): AvroSchema {
  const result = parseAvro(JSON.stringify(json));
  if (!result.schema) throw new Error(`test schema does not parse: ${JSON.stringify(result.errors)}`);
  return result.schema;
}

/** A record named `name` with the given fields. */
export function recordOf(fields: unknown[], name = 'Event', extra: Record<string, unknown> = {}): AvroSchema {
  return avro({ type: 'record', name, fields, ...extra });
}
