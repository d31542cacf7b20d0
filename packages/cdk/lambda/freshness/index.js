// Measures how old a data-mesh port's data is and publishes DataMesh/Freshness AgeSeconds.
// Input (from the schedule): {kind: 'table'|'topic', domain, product, port, namespace, ...}.
//  - table: Glue GetTable -> metadata_location -> metadata.json -> current snapshot timestamp-ms
//  - topic: newest record timestamp over all partitions (kafkajs over TLS, SASL/OAUTHBEARER with
//    MSK IAM tokens; `kafkaSecurity: 'plaintext'` in the event turns both off, for a local broker);
//    a topic that never received a record reports no datapoint (alarm: missing = breaching).
// kafkajs and aws-msk-iam-sasl-signer-js are copied into the asset at synth; the AWS SDK v3 comes with
// the runtime (loaded on first use, so the topic measurement also runs where it is not installed).
'use strict';

let clients;
function aws() {
  if (!clients) {
    const { GlueClient, GetTableCommand } = require('@aws-sdk/client-glue');
    const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
    const { CloudWatchClient, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');
    clients = { glue: new GlueClient({}), s3: new S3Client({}), cloudwatch: new CloudWatchClient({}), GetTableCommand, GetObjectCommand, PutMetricDataCommand };
  }
  return clients;
}

// How far before the end of each partition the newest record is looked for: a transactional
// producer's commit marker takes the last offset, and a few markers or aborted records may follow
// the newest committed record.
const TAIL_WINDOW = 100n;

async function tableCommitTime(event) {
  const { glue, s3, GetTableCommand, GetObjectCommand } = aws();
  const { Table } = await glue.send(new GetTableCommand({ DatabaseName: event.databaseName, Name: event.tableName }));
  const location = Table && Table.Parameters && Table.Parameters.metadata_location;
  if (!location) throw new Error(`${event.databaseName}.${event.tableName} has no metadata_location: not an Iceberg table`);
  const m = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(location);
  const obj = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  const metadata = JSON.parse(await obj.Body.transformToString());
  const current = (metadata.snapshots || []).find((s) => s['snapshot-id'] === metadata['current-snapshot-id']);
  return current ? current['timestamp-ms'] : undefined;
}

function connection(event) {
  if (event.kafkaSecurity === 'plaintext') return {};
  const { generateAuthToken } = require('aws-msk-iam-sasl-signer-js');
  const region = process.env.AWS_REGION;
  return { ssl: true, sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }) } };
}

async function topicNewestRecordTime(event) {
  const { Kafka, logLevel } = require('kafkajs');
  const kafka = new Kafka({ clientId: 'data-mesh-freshness', brokers: event.bootstrapBrokers.split(','), logLevel: logLevel.WARN, ...connection(event) });
  const admin = kafka.admin();
  await admin.connect();
  let offsets;
  try {
    offsets = await admin.fetchTopicOffsets(event.topicName);
  } finally {
    await admin.disconnect();
  }
  const nonEmpty = offsets.filter((p) => BigInt(p.high) > BigInt(p.low));
  if (nonEmpty.length === 0) return undefined;
  const consumer = kafka.consumer({ groupId: event.consumerGroup, maxWaitTimeInMs: 1000 });
  await consumer.connect();
  let newest;
  try {
    await consumer.subscribe({ topics: [event.topicName], fromBeginning: false });
    const last = new Map(nonEmpty.map((p) => [p.partition, BigInt(p.high) - 1n]));
    await new Promise((resolve, reject) => {
      // A partition not read to its end is a measurement that failed, not an old topic: throw.
      const timer = setTimeout(() => reject(new Error(`${event.topicName}: partitions ${[...last.keys()].join(', ')} not read to their end within 20 s`)), 20000);
      // A consumer that crashes (e.g. records in a compression kafkajs cannot decode) fails the run.
      consumer.on(consumer.events.CRASH, ({ payload }) => { clearTimeout(timer); reject(payload.error); });
      consumer.run({
        autoCommit: false,
        // Batches, not messages: a partition is read to its end when a batch reaches its last offset,
        // even when that offset is a commit marker that no message stands for.
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const ts = Number(message.timestamp);
            if (newest === undefined || ts > newest) newest = ts;
          }
          const end = last.get(batch.partition);
          if (end !== undefined && BigInt(batch.lastOffset()) >= end) last.delete(batch.partition);
          if (last.size === 0) { clearTimeout(timer); resolve(); }
        },
      }).catch(reject);
      for (const p of nonEmpty) {
        const from = BigInt(p.high) - TAIL_WINDOW;
        consumer.seek({ topic: event.topicName, partition: p.partition, offset: String(from > BigInt(p.low) ? from : BigInt(p.low)) });
      }
    });
  } finally {
    await consumer.disconnect();
  }
  return newest;
}

exports.handler = async (event) => {
  const newest = event.kind === 'table' ? await tableCommitTime(event) : await topicNewestRecordTime(event);
  if (newest === undefined) {
    console.log(JSON.stringify({ ...event, ageSeconds: null, note: 'no data yet' }));
    return { ageSeconds: null };
  }
  const ageSeconds = Math.max(0, (Date.now() - newest) / 1000);
  const { cloudwatch, PutMetricDataCommand } = aws();
  await cloudwatch.send(new PutMetricDataCommand({
    Namespace: event.namespace,
    MetricData: [{
      MetricName: 'AgeSeconds', Unit: 'Seconds', Value: ageSeconds, Timestamp: new Date(),
      Dimensions: [{ Name: 'Domain', Value: event.domain }, { Name: 'Product', Value: event.product }, { Name: 'Port', Value: event.port }],
    }],
  }));
  console.log(JSON.stringify({ domain: event.domain, product: event.product, port: event.port, ageSeconds }));
  return { ageSeconds };
};

exports.topicNewestRecordTime = topicNewestRecordTime;
