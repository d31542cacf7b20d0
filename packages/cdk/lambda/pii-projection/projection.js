// The projection of one Kafka record value: bytes in, bytes out, no I/O.
//
// Wire format, read and written: the AWS Glue Schema Registry serializer's, which the
// platform's producers use for every stream port (their subjects live in the domain's Glue
// registry):
//   byte 0      header version, 3
//   byte 1      compression: 0 none, 5 zlib (of the Avro bytes)
//   bytes 2-17  the schema version id (a UUID, most significant byte first)
//   bytes 18-   the record, Avro binary encoding
// The projection decodes the record with the schema version it names (the writer schema) into
// the projected schema (Avro schema resolution: the PII fields the projected schema lacks are
// skipped, fields the writer lacks take their defaults), and writes it uncompressed under the
// projected schema's version id. A value it cannot decode throws: nothing it cannot prove
// PII-free is passed on.
'use strict';
const zlib = require('node:zlib');

const HEADER_VERSION = 3;
const COMPRESSION_NONE = 0;
const COMPRESSION_ZLIB = 5;
const HEADER_LENGTH = 18;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class ProjectionError extends Error {}

/** The schema version id and the Avro bytes of a Glue Schema Registry encoded value. */
function decodeValue(bytes) {
  if (bytes.length < HEADER_LENGTH) throw new ProjectionError(`the value has ${bytes.length} bytes, fewer than the ${HEADER_LENGTH}-byte Glue Schema Registry header`);
  if (bytes[0] !== HEADER_VERSION) throw new ProjectionError(`the value does not start with the Glue Schema Registry header (version byte ${bytes[0]}, expected ${HEADER_VERSION})`);
  const hex = bytes.subarray(2, HEADER_LENGTH).toString('hex');
  const schemaVersionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const body = bytes.subarray(HEADER_LENGTH);
  if (bytes[1] === COMPRESSION_NONE) return { schemaVersionId, avro: body };
  if (bytes[1] === COMPRESSION_ZLIB) return { schemaVersionId, avro: zlib.inflateSync(body) };
  throw new ProjectionError(`unknown compression byte ${bytes[1]} (0 none, 5 zlib)`);
}

/** A Glue Schema Registry encoded value: the header for `schemaVersionId`, then the Avro bytes (uncompressed). */
function encodeValue(schemaVersionId, avro) {
  if (!UUID.test(schemaVersionId)) throw new ProjectionError(`"${schemaVersionId}" is not a schema version id (a UUID)`);
  return Buffer.concat([Buffer.from([HEADER_VERSION, COMPRESSION_NONE]), Buffer.from(schemaVersionId.replace(/-/g, ''), 'hex'), avro]);
}

const resolvers = new WeakMap();

/**
 * Projects one value: `writerType` is the avsc Type of the schema version the value names,
 * `projectedType` the projected schema's, `projectedVersionId` its version id.
 */
function projectValue(bytes, writerType, projectedType, projectedVersionId) {
  const { avro } = decodeValue(bytes);
  let byWriter = resolvers.get(projectedType);
  if (!byWriter) resolvers.set(projectedType, (byWriter = new WeakMap()));
  let resolver = byWriter.get(writerType);
  if (!resolver) byWriter.set(writerType, (resolver = projectedType.createResolver(writerType)));
  let record;
  try {
    record = projectedType.fromBuffer(avro, resolver);
  } catch (e) {
    throw new ProjectionError(`the record does not decode with its writer schema: ${e.message}`);
  }
  return encodeValue(projectedVersionId, projectedType.toBuffer(record));
}

module.exports = { decodeValue, encodeValue, projectValue, ProjectionError };
