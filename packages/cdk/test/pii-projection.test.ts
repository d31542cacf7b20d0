import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadMesh } from '@data-mesh/spec';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as avro from 'avsc';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DataProduct, KafkaTopic, PiiProjection, piiFreeSchema, productDefinitionFromSpec, SchemaSubject, type ProductDefinition } from '../src';
import { CLUSTER_ARN, ENV, platformAndDomain, product } from './fixtures';

// The projector's pure part, as the Lambda runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const projection = require('../lambda/pii-projection/projection.js') as {
  decodeValue(bytes: Buffer): { schemaVersionId: string; avro: Buffer };
  encodeValue(schemaVersionId: string, avro: Buffer): Buffer;
  projectValue(bytes: Buffer, writer: avro.Type, projected: avro.Type, projectedVersionId: string): Buffer;
};

const REPO = path.resolve(__dirname, '..', '..', '..');
const WRITER_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const PROJECTED_ID = 'a1b2c3d4-e5f6-4789-9abc-def012345678';

const EVENT_V1 = {
  type: 'record', name: 'CustomerEvent', namespace: 'com.acme.customer',
  fields: [
    { name: 'event_id', type: 'string' },
    { name: 'ip_address', type: ['null', 'string'], default: null },
    {
      name: 'payload', default: null,
      type: ['null', {
        type: 'record', name: 'Payload',
        fields: [
          { name: 'customer_id', type: 'string' },
          { name: 'email', type: 'string' },
          { name: 'contact', type: { type: 'record', name: 'Contact', fields: [{ name: 'city', type: 'string' }, { name: 'phone', type: ['null', 'string'], default: null }] } },
        ],
      }],
    },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'gift_note', type: ['null', 'string'], default: null }] } } },
    { name: 'amount', type: ['null', 'long', 'string'], default: null },
  ],
};
// v2 adds a field with a default (BACKWARD): a v1 record projects with it filled in.
const EVENT_V2 = { ...EVENT_V1, fields: [...EVENT_V1.fields, { name: 'channel', type: 'string', default: 'web' }] };
const PII = ['ip_address', 'payload.email', 'phone', 'gift_note'];

const record = {
  event_id: 'e-1',
  ip_address: '203.0.113.7',
  payload: { customer_id: 'c-1', email: 'ada@example.com', contact: { city: 'Lyon', phone: '+33 1 23 45 67 89' } },
  items: [{ sku: 'sku-1', gift_note: 'for Ada' }, { sku: 'sku-2', gift_note: null }],
  amount: 1250,
};

/** A value as a Glue Schema Registry serializer writes it. */
const glueValue = (type: avro.Type, value: unknown, compress = false) => {
  const body = type.toBuffer(value);
  return Buffer.concat([Buffer.from([3, compress ? 5 : 0]), Buffer.from(WRITER_ID.replace(/-/g, ''), 'hex'), compress ? zlib.deflateSync(body) : body]);
};

describe('the projection of a record (bytes in, bytes out, real Avro)', () => {
  const writer = avro.Type.forSchema(EVENT_V2 as avro.Schema);
  const projected = avro.Type.forSchema(JSON.parse(piiFreeSchema(JSON.stringify(EVENT_V2), PII).definition) as avro.Schema);

  test('the projected schema lacks the PII fields, nested ones included, and keeps the rest', () => {
    const schema = piiFreeSchema(JSON.stringify(EVENT_V2), PII);
    expect(schema.removed).toEqual(['ip_address', 'payload.email', 'payload.contact.phone', 'items.gift_note']);
    expect(schema.definition).not.toMatch(/ip_address|"email"|phone|gift_note/);
    expect(JSON.parse(schema.definition).fields.map((f: { name: string }) => f.name)).toEqual(['event_id', 'payload', 'items', 'amount', 'channel']);
  });

  test.each([false, true])('drops PII through nullable unions, nested records and arrays; keeps a general union (zlib input: %s)', (compress) => {
    const out = projection.projectValue(glueValue(writer, { ...record, channel: 'ios' }, compress), writer, projected, PROJECTED_ID);
    expect([...out.subarray(0, 2)]).toEqual([3, 0]);
    expect(projection.decodeValue(out).schemaVersionId).toBe(PROJECTED_ID);
    const decoded = projected.fromBuffer(out.subarray(18));
    expect(JSON.parse(JSON.stringify(decoded))).toEqual({
      event_id: 'e-1',
      payload: { customer_id: 'c-1', contact: { city: 'Lyon' } },
      items: [{ sku: 'sku-1' }, { sku: 'sku-2' }],
      amount: 1250,
      channel: 'ios',
    });
    // exactly the bytes of the projected record, nothing of the PII left
    expect(out.subarray(18)).toEqual(projected.toBuffer(decoded));
    for (const secret of ['203.0.113.7', 'ada@example.com', '+33 1 23', 'for Ada']) expect(out.includes(Buffer.from(secret))).toBe(false);
  });

  test('a record written with an earlier schema version takes the defaults of the fields it lacks', () => {
    const v1 = avro.Type.forSchema(EVENT_V1 as avro.Schema);
    const out = projection.projectValue(glueValue(v1, { ...record, amount: 'n/a', payload: null }), v1, projected, PROJECTED_ID);
    expect(JSON.parse(JSON.stringify(projected.fromBuffer(out.subarray(18))))).toEqual({ event_id: 'e-1', payload: null, items: [{ sku: 'sku-1' }, { sku: 'sku-2' }], amount: 'n/a', channel: 'web' });
  });

  test('what is not a Glue Schema Registry Avro value is refused, never passed on', () => {
    const good = glueValue(writer, { ...record, channel: 'web' });
    expect(() => projection.projectValue(good.subarray(0, 10), writer, projected, PROJECTED_ID)).toThrow(/fewer than the 18-byte Glue Schema Registry header/);
    expect(() => projection.projectValue(Buffer.concat([Buffer.from([0]), good.subarray(1)]), writer, projected, PROJECTED_ID)).toThrow(/does not start with the Glue Schema Registry header/);
    expect(() => projection.projectValue(Buffer.concat([good.subarray(0, 1), Buffer.from([9]), good.subarray(2)]), writer, projected, PROJECTED_ID)).toThrow(/unknown compression byte 9/);
    expect(() => projection.projectValue(good.subarray(0, good.length - 3), writer, projected, PROJECTED_ID)).toThrow(/does not decode with its writer schema/);
    expect(() => projection.encodeValue('not-a-uuid', Buffer.alloc(0))).toThrow(/not a schema version id/);
  });
});

const EVENTS = JSON.stringify({ type: 'record', name: 'Event', fields: [{ name: 'customer_id', type: 'string' }, { name: 'ip_address', type: ['null', 'string'], default: null }] });
const EVENTS_V2 = JSON.stringify({ ...JSON.parse(EVENTS), fields: [...JSON.parse(EVENTS).fields, { name: 'channel', type: 'string', default: 'web' }] });

function eventsProduct(overrides: Partial<ProductDefinition> = {}): ProductDefinition {
  const base = product();
  return product({
    name: 'customer-events-v1', retentionDays: 90, piiFields: ['ip_address'], inputs: [], qualityChecks: [],
    outputPorts: [{ ...base.outputPorts[0]!, name: 'customer_events_stream', subject: 'customer_events_v1', schemaVersions: [EVENTS, EVENTS_V2], topic: 'customer-domain.customer-events-v1' }],
    ...overrides,
  });
}

function synth(def: ProductDefinition, nag = false) {
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const { domain } = platformAndDomain(app);
  const stack = new Stack(app, 'Customer', { env: ENV });
  const dp = new DataProduct(stack, 'Events', { product: def, domain, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1.mesh:9098' } });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, dp, template: Template.fromStack(stack) };
}

describe('PiiProjection in a data product', () => {
  test('a stream port with PII gets <topic>.pii-free, a PII-free subject history and a projector fed by the source topic', () => {
    const { dp, template } = synth(eventsProduct());
    const projectionOf = dp.piiProjections.get('customer_events_stream')!;
    expect(projectionOf.removedFields).toEqual(['ip_address']);
    const topics = template.findResources('AWS::MSK::Topic');
    const byName = Object.fromEntries(Object.values(topics).map((t) => [t.Properties.TopicName, t]));
    expect(Object.keys(byName).sort()).toEqual(['customer-domain.customer-events-v1', 'customer-domain.customer-events-v1.pii-free']);
    const free = byName['customer-domain.customer-events-v1.pii-free']!;
    const source = byName['customer-domain.customer-events-v1']!;
    // same partitions, replication and configs (retention 90 days), retained
    expect(free.Properties.PartitionCount).toBe(source.Properties.PartitionCount);
    expect(free.Properties.ReplicationFactor).toBe(source.Properties.ReplicationFactor);
    expect(JSON.parse(Buffer.from(free.Properties.Configs, 'base64').toString())).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': String(90 * 86_400_000), 'min.insync.replicas': '2' });
    expect(free.DeletionPolicy).toBe('Retain');

    const schemas = Object.values(template.findResources('AWS::Glue::Schema'));
    const projected = schemas.find((s) => s.Properties.Name === 'customer_events_v1.pii-free')!;
    expect(JSON.parse(projected.Properties.SchemaDefinition).fields.map((f: { name: string }) => f.name)).toEqual(['customer_id']);
    expect(projected.Properties.Compatibility).toBe('BACKWARD_ALL');
    // version 2 of each subject: the source's, and its projection without ip_address
    const versions = Object.values(template.findResources('AWS::Glue::SchemaVersion')).map((v) => JSON.parse(v.Properties.SchemaDefinition as string));
    expect(versions.map((v) => v.fields.map((f: { name: string }) => f.name)).sort()).toEqual([['customer_id', 'channel'], ['customer_id', 'ip_address', 'channel']]);

    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: CLUSTER_ARN,
      Topics: ['customer-domain.customer-events-v1'],
      StartingPosition: 'TRIM_HORIZON',
      AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'data-mesh-pii-projection.customer-domain.customer-events-v1' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: { TARGET_TOPIC: 'customer-domain.customer-events-v1.pii-free', BOOTSTRAP_BROKERS: 'b-1.mesh:9098', PROJECTED_SCHEMA_VERSION_ID: Match.anyValue() } },
    });
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('EventsCustomerEventsStreamPiiFreeProjectorRole') }] } }));
    expect(policies).toContain('topic/mesh/abcd-1234/customer-domain.customer-events-v1.pii-free');
    expect(policies).toContain('kafka-cluster:WriteData');
    expect(policies).toContain('kafka-cluster:ReadData');
    expect(policies).toContain('group/mesh/abcd-1234/data-mesh-pii-projection.customer-domain.customer-events-v1');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 0 });
  });

  test('the projector ships avsc, kafkajs and the MSK IAM signer beside its handler', () => {
    const { app } = synth(eventsProduct());
    const assembly = app.synth();
    const template = assembly.getStackByName('Customer').template as { Resources: Record<string, { Type: string; Properties: { Environment?: { Variables?: Record<string, unknown> } }; Metadata?: Record<string, string> }> };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.TARGET_TOPIC)!;
    const dir = path.join(assembly.directory, fn.Metadata!['aws:asset:path']!);
    for (const file of ['index.js', 'projection.js', 'node_modules/avsc/package.json', 'node_modules/kafkajs/package.json', 'node_modules/aws-msk-iam-sasl-signer-js/package.json']) {
      expect(fs.existsSync(path.join(dir, file))).toBe(true);
    }
  });

  test('nothing to project: no projection for a stream without PII fields in its schema', () => {
    const { dp, template } = synth(eventsProduct({ piiFields: ['email_hash'] }));
    expect(dp.piiProjections.size).toBe(0);
    template.resourceCountIs('AWS::MSK::Topic', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });

  test('built by hand on a schema without the PII fields, it says so', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    const topic = new KafkaTopic(stack, 'T', { clusterArn: CLUSTER_ARN, topicName: 'x.v1' });
    const registry = { registryArn: 'arn:aws:glue:eu-west-1:111111111111:registry/r', registryName: 'r' };
    const subject = new SchemaSubject(stack, 'S', { registry, schemaName: 'x_v1', versions: [EVENTS] });
    expect(() => new PiiProjection(stack, 'P', { sourceTopic: topic, sourceSubject: subject, schemaVersions: [EVENTS], piiFields: ['email'], registry, bootstrapBrokers: 'b:9098' }))
      .toThrow(/none of the PII fields \(email\) is in the current schema of x\.v1/);
  });

  test('cdk-nag AwsSolutions finds nothing unacknowledged', () => {
    const { app } = synth(eventsProduct(), true);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a consumer reads a stream with PII through its projection unless authorized (example mesh)', () => {
  const mesh = loadMesh(REPO);
  const consumer = mesh.products.get('customer/customer-360')!;
  const schemaVersions = (file: string) => [fs.readFileSync(path.join(REPO, file), 'utf8')];
  const events = (grant?: { fields?: readonly string[] }) =>
    productDefinitionFromSpec(consumer, mesh.domains.get('customer')!, { schemaVersions, ...(grant ? { piiGrant: (c: string, s: string) => (c === 'customer/customer-360' && s === 'customer/customer-events-v1' ? grant : undefined) } : {}) })
      .inputs.find((i) => i.sourceProduct === 'customer/customer-events-v1')!;
  const readTopics = (grant?: { fields?: readonly string[] }) => {
    const def = productDefinitionFromSpec(consumer, mesh.domains.get('customer')!, { schemaVersions, ...(grant ? { piiGrant: () => grant } : {}) });
    const app = new App();
    const { domain } = platformAndDomain(app);
    const stack = new Stack(app, 'Customer', { env: ENV });
    new DataProduct(stack, 'Customer360', { product: { ...def, outputPorts: def.outputPorts.map((o) => ({ ...o, timeColumn: o.timeColumn ?? 'snapshot_date' })) }, domain, streaming: { clusterArn: CLUSTER_ARN, bootstrapBrokers: 'b-1:9098' } });
    const policy = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('Customer360PipelineRole') }] } });
    return JSON.stringify(policy).match(/topic\/mesh\/abcd-1234\/[^"]+/g) ?? [];
  };

  test('without an authorization the pipeline role reads <topic>.pii-free and not the topic', () => {
    expect(events().topics).toEqual(['customer-domain.customer-events-v1.pii-free']);
    const topics = readTopics();
    expect(topics).toContain('topic/mesh/abcd-1234/customer-domain.customer-events-v1.pii-free');
    expect(topics).not.toContain('topic/mesh/abcd-1234/customer-domain.customer-events-v1');
    // sources without PII are read directly
    expect(topics).toContain('topic/mesh/abcd-1234/payments-domain.transaction-events-v1');
  });

  test('authorized for the PII of the port (all of it, or the fields listed), it reads the topic itself', () => {
    expect(events({}).topics).toEqual(['customer-domain.customer-events-v1']);
    expect(events({ fields: ['ip_address'] }).topics).toEqual(['customer-domain.customer-events-v1']);
    const topics = readTopics({});
    expect(topics).toContain('topic/mesh/abcd-1234/customer-domain.customer-events-v1');
    expect(topics).not.toContain('topic/mesh/abcd-1234/customer-domain.customer-events-v1.pii-free');
  });
});
