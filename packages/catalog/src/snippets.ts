import { athenaWorkgroupName, glueDatabaseName, glueTableName, schemaRegistryName, type OutputPort } from '@data-mesh/spec';
import type { FieldRow } from './schema-fields';

/** The versions the snippets are written against (those of the SDK's venv, sdk/python/requirements.lock). */
export const SNIPPET_REQUIREMENTS = { 'confluent-kafka': '2.16.1', fastavro: '1.13.1', boto3: '1.44.5' } as const;

/** The topic a stream port's PII-free projection is published on (packages/cdk PiiProjection). */
export const PII_FREE_SUFFIX = '.pii-free';

/**
 * The schema file's JSON as a Python expression: the text as the team wrote it, in a raw
 * triple-quoted string for json.loads. Valid JSON never holds three quotes in a row (a quote
 * inside a JSON string is escaped, and tokens are apart), so nothing in a doc can end the
 * string and become code; text that is not JSON gets no snippet.
 */
export function pythonJson(jsonText: string): string {
  const text = jsonText.trim();
  if (text.includes('"""') || text.endsWith('\\')) return `json.loads(${JSON.stringify(JSON.stringify(JSON.parse(text)))})`;
  return `json.loads(r"""\n${text}\n""")`;
}

/** Python identifiers and file names from a port name (already snake_case by the contract, checked again). */
const ident = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

export interface ConsumeInfo {
  /** Where the data is: the topic, or the Glue database and table. */
  readonly address: { readonly kind: 'topic'; readonly topic: string; readonly piiFree?: string } | { readonly kind: 'table'; readonly database: string; readonly table: string; readonly workgroup: string; readonly location?: string };
  readonly registry: string;
  readonly subject: string;
  /** The Athena query (batch ports). */
  readonly athena?: string;
  /** The consumer program (Python), and its file name. */
  readonly snippet: string;
  readonly snippetFile: string;
}

const quoteSql = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * How to consume a port: its address, an Athena query (tables), and a program that decodes its
 * records with the port's schema (`schemaText`: its .avsc, JSON; undefined when it does not read).
 */
export function consumeInfo(port: OutputPort, schemaText: string | undefined, fields: readonly FieldRow[], piiFields: readonly string[]): ConsumeInfo | undefined {
  if (schemaText === undefined) return undefined;
  const product = port.product;
  const subject = (port.spec.schema.split('/').pop() ?? port.spec.schema).replace(/[^a-zA-Z0-9_.-]/g, '_');
  const registry = schemaRegistryName(product.domain);
  const schemaLiteral = pythonJson(schemaText);
  if (port.spec.type === 'stream' && port.spec.topic) {
    const topic = port.spec.topic;
    const hasPii = piiFields.some((f) => fields.some((r) => r.path === f || r.name === f || r.path.startsWith(`${f}.`)));
    const file = `consume_${ident(port.name)}.py`;
    return {
      address: { kind: 'topic', topic, ...(hasPii ? { piiFree: `${topic}${PII_FREE_SUFFIX}` } : {}) },
      registry,
      subject,
      snippetFile: file,
      snippet: `"""Consume ${product.id}, port ${port.name}: the Kafka topic ${topic}, each record
decoded with the port's Avro schema (subject ${subject} in the Glue schema registry ${registry}).

  pip install confluent-kafka==${SNIPPET_REQUIREMENTS['confluent-kafka']} fastavro==${SNIPPET_REQUIREMENTS.fastavro}
  KAFKA_BOOTSTRAP_SERVERS=broker:9098 python ${file}        # read the topic (add your MSK auth settings to CONFIG)
  python ${file} --file messages.bin                    # read message values saved to a file

A file holds message values as the topic carries them, each prefixed by its length (4 bytes,
big-endian): both ways decode every value with the same decode().
"""
import io
import json
import os
import struct
import sys

import fastavro

TOPIC = ${JSON.stringify(topic)}
SCHEMA = fastavro.parse_schema(${schemaLiteral})


def decode(value: bytes) -> dict:
    """One message value: the schema registry's header, then the record in Avro binary.

    AWS Glue's header is 18 bytes (0x03, a compression byte, the 16-byte schema version id);
    Confluent's is 5 (0x00, a 4-byte schema id). The record is read with this port's schema:
    a record written with an earlier version needs that version as the writer schema.
    """
    if value[:2] == b"\\x03\\x00":
        body = value[18:]
    elif value[:1] == b"\\x00":
        body = value[5:]
    else:
        raise ValueError(f"not a schema-registry message (first byte {value[:1]!r})")
    return fastavro.schemaless_reader(io.BytesIO(body), SCHEMA)


def from_file(path: str):
    with open(path, "rb") as f:
        while header := f.read(4):
            (size,) = struct.unpack(">I", header)
            yield decode(f.read(size))


def from_kafka():
    from confluent_kafka import Consumer

    consumer = Consumer({
        "bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
        "group.id": os.environ.get("KAFKA_GROUP_ID", "catalog-example-consumer"),
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
    })
    consumer.subscribe([TOPIC])
    try:
        while True:
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(message.error())
            yield decode(message.value())
    finally:
        consumer.close()


if __name__ == "__main__":
    records = from_file(sys.argv[2]) if sys.argv[1:2] == ["--file"] else from_kafka()
    for record in records:
        print(json.dumps(record, default=str))
`,
    };
  }
  if (port.spec.type !== 'batch') return undefined;
  const database = glueDatabaseName(product.domain);
  const table = glueTableName(product.name, port.name);
  const workgroup = athenaWorkgroupName(product.domain);
  const timeField = port.spec.recordTimeField;
  const timeRow = timeField ? fields.find((f) => f.path === timeField) : undefined;
  const where = timeRow ? `\nWHERE ${quoteSql(timeField as string)} >= ${timeRow.type.startsWith('date') ? "current_date - INTERVAL '7' DAY" : "current_timestamp - INTERVAL '7' DAY"}` : '';
  const columns = fields.filter((f) => f.depth === 0).map((f) => quoteSql(f.name));
  const lines: string[] = [];
  for (let i = 0; i < columns.length; i += 4) lines.push(`  ${columns.slice(i, i + 4).join(', ')}`);
  const shown = columns.length > 0 && columns.length <= 40 ? `\n${lines.join(',\n')}` : ' *';
  const athena = `-- Athena workgroup ${workgroup}\nSELECT${shown}\nFROM ${quoteSql(database)}.${quoteSql(table)}${where}\nLIMIT 100;`;
  const file = `read_${ident(port.name)}.py`;
  return {
    address: { kind: 'table', database, table, workgroup, ...(port.spec.location ? { location: port.spec.location } : {}) },
    registry,
    subject,
    athena,
    snippetFile: file,
    snippet: `"""Read ${product.id}, port ${port.name}: the Iceberg table ${database}.${table}
(Athena workgroup ${workgroup}), each record checked against the port's Avro schema.

  pip install boto3==${SNIPPET_REQUIREMENTS.boto3} fastavro==${SNIPPET_REQUIREMENTS.fastavro}
  ATHENA_OUTPUT=s3://your-bucket/unload/ python ${file}    # UNLOAD a query to Avro files with Athena, read them
  python ${file} --file part-00000.avro                # read Avro data files you have

Both ways read Avro object container files with the same records().
"""
import json
import os
import sys
import time
import uuid

import fastavro

DATABASE = ${JSON.stringify(database)}
TABLE = ${JSON.stringify(table)}
WORKGROUP = ${JSON.stringify(workgroup)}
SCHEMA = fastavro.parse_schema(${schemaLiteral})


def records(fileobj):
    """The records of one Avro data file, each checked against the port's schema."""
    for record in fastavro.reader(fileobj):
        fastavro.validate(record, SCHEMA, raise_errors=True)
        yield record


def from_athena(query: str):
    import boto3

    athena, s3 = boto3.client("athena"), boto3.client("s3")
    target = os.environ["ATHENA_OUTPUT"].rstrip("/") + f"/{uuid.uuid4()}/"
    started = athena.start_query_execution(
        QueryString=f"UNLOAD ({query}) TO '{target}' WITH (format = 'AVRO')", WorkGroup=WORKGROUP)
    while True:
        state = athena.get_query_execution(QueryExecutionId=started["QueryExecutionId"])["QueryExecution"]["Status"]
        if state["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        time.sleep(1)
    if state["State"] != "SUCCEEDED":
        raise RuntimeError(state.get("StateChangeReason", state["State"]))
    bucket, prefix = target[len("s3://"):].split("/", 1)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            yield from records(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"])


def from_files(paths):
    for path in paths:
        with open(path, "rb") as f:
            yield from records(f)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--file"]:
        rows = from_files(sys.argv[2:])
    else:
        rows = from_athena(f'SELECT * FROM "{DATABASE}"."{TABLE}" LIMIT 100')
    for row in rows:
        print(json.dumps(row, default=str))
`,
  };
}
