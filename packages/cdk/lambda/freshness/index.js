// Measures how old a data-mesh port's data is and publishes DataMesh/Freshness AgeSeconds.
// Input (from the schedule): {kind: 'table'|'topic', domain, product, port, namespace, ...}.
//  - table: Glue GetTable -> metadata_location -> metadata.json -> current snapshot timestamp-ms
//  - topic: newest record timestamp over all partitions (kafkajs over TLS, SASL/OAUTHBEARER with
//    MSK IAM tokens); a topic that never received a record reports no datapoint (alarm: missing = breaching).
// kafkajs and aws-msk-iam-sasl-signer-js are copied into the asset at synth; the AWS SDK v3 comes with the runtime.
'use strict';
const { GlueClient, GetTableCommand } = require('@aws-sdk/client-glue');
const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');
const { CloudWatchClient, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');

const glue = new GlueClient({});
const s3 = new S3Client({});
const cloudwatch = new CloudWatchClient({});

async function tableCommitTime(event) {
  const { Table } = await glue.send(new GetTableCommand({ DatabaseName: event.databaseName, Name: event.tableName }));
  const location = Table && Table.Parameters && Table.Parameters.metadata_location;
  if (!location) throw new Error(`${event.databaseName}.${event.tableName} has no metadata_location: not an Iceberg table`);
  const m = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(location);
  const obj = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  const metadata = JSON.parse(await obj.Body.transformToString());
  const current = (metadata.snapshots || []).find((s) => s['snapshot-id'] === metadata['current-snapshot-id']);
  return current ? current['timestamp-ms'] : undefined;
}

async function topicNewestRecordTime(event) {
  const { Kafka } = require('kafkajs');
  const { generateAuthToken } = require('aws-msk-iam-sasl-signer-js');
  const region = process.env.AWS_REGION;
  const kafka = new Kafka({
    clientId: 'data-mesh-freshness',
    brokers: event.bootstrapBrokers.split(','),
    ssl: true,
    sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region })).token }) },
  });
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
    const pending = new Set(nonEmpty.map((p) => p.partition));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, 20000);
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const ts = Number(message.timestamp);
          if (newest === undefined || ts > newest) newest = ts;
          pending.delete(partition);
          if (pending.size === 0) { clearTimeout(timer); resolve(); }
        },
      }).catch(reject);
      for (const p of nonEmpty) consumer.seek({ topic: event.topicName, partition: p.partition, offset: String(BigInt(p.high) - 1n) });
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
