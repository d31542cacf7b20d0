// data-mesh PII projector: an MSK event source mapping delivers batches of the source topic;
// each record value is projected (projection.js: Glue Schema Registry format in and out, the
// PII fields dropped) and produced to the PII-free topic, to the same partition, with the same
// key and timestamp; headers are not copied. Tombstones (no value) pass as tombstones.
// A value that does not decode fails the whole batch, which the mapping retries: the
// partition waits (and the function's Errors alarm pages) rather than losing or leaking a
// record. Delivery is at least once: a retried batch may produce a record twice.
// Env: TARGET_TOPIC, BOOTSTRAP_BROKERS (SASL/IAM, port 9098), PROJECTED_SCHEMA_VERSION_ID.
// avsc, kafkajs and aws-msk-iam-sasl-signer-js are copied into the asset at synth; the AWS SDK v3 comes with the runtime.
'use strict';
const { GlueClient, GetSchemaVersionCommand } = require('@aws-sdk/client-glue');
const avro = require('avsc');
const { decodeValue, projectValue } = require('./projection');

const glue = new GlueClient({});
const types = new Map();

/** The avsc Type of a schema version, from the registry (versions never change: cached for the life of the container). */
function typeOf(schemaVersionId) {
  let type = types.get(schemaVersionId);
  if (!type) {
    type = glue.send(new GetSchemaVersionCommand({ SchemaVersionId: schemaVersionId })).then((v) => avro.Type.forSchema(JSON.parse(v.SchemaDefinition)));
    type.catch(() => types.delete(schemaVersionId));
    types.set(schemaVersionId, type);
  }
  return type;
}

let producer;
function connected() {
  if (!producer) {
    const { Kafka } = require('kafkajs');
    const { generateAuthToken } = require('aws-msk-iam-sasl-signer-js');
    const region = process.env.AWS_REGION;
    const kafka = new Kafka({
      clientId: 'data-mesh-pii-projection',
      brokers: process.env.BOOTSTRAP_BROKERS.split(','),
      ssl: true,
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }) },
    });
    const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    producer = p.connect().then(() => p);
    producer.catch(() => { producer = undefined; });
  }
  return producer;
}

exports.handler = async (event) => {
  const projectedId = process.env.PROJECTED_SCHEMA_VERSION_ID;
  const projected = await typeOf(projectedId);
  const messages = [];
  for (const records of Object.values(event.records || {})) {
    for (const r of records) {
      const key = r.key === undefined || r.key === null ? null : Buffer.from(r.key, 'base64');
      let value = null;
      if (r.value !== undefined && r.value !== null) {
        const bytes = Buffer.from(r.value, 'base64');
        try {
          value = projectValue(bytes, await typeOf(decodeValue(bytes).schemaVersionId), projected, projectedId);
        } catch (e) {
          // Say where, never what: the value may hold the PII this function exists to drop.
          throw new Error(`${r.topic}-${r.partition}@${r.offset}: ${e.message}`);
        }
      }
      messages.push({ partition: r.partition, key, value, timestamp: String(r.timestamp) });
    }
  }
  if (messages.length > 0) await (await connected()).send({ topic: process.env.TARGET_TOPIC, acks: -1, messages });
  console.log(JSON.stringify({ projected: messages.length, topic: process.env.TARGET_TOPIC }));
  return { projected: messages.length };
};
