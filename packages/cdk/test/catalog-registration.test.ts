import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAvro, type AvroSchema } from '@data-mesh/schema-compat';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  buildCatalogProposals, catalogFields, catalogMetadataFile, CatalogRegistration, dataHubTypeOfNative, type CatalogField, type DataHubTypeClass,
} from '../src';
import { datahubCli } from './catalog-registration-datahub';
import { ENV } from './fixtures';

// One field per Avro type the catalog can meet.
const ALL_TYPES = JSON.stringify({
  type: 'record', name: 'AllTypes', namespace: 'com.acme', fields: [
    { name: 'b', type: 'boolean' },
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'by', type: 'bytes' },
    { name: 's', type: 'string', doc: 'a string' },
    { name: 'n', type: 'null' },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'tms', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'tus', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'tsms', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tsus', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'ltsms', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'ltsus', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'fdec', type: { type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'hash', type: { type: 'fixed', name: 'Md5', size: 16 } },
    { name: 'tier', type: { type: 'enum', name: 'Tier', symbols: ['GOLD', 'SILVER'] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'times', type: { type: 'array', items: { type: 'long', logicalType: 'timestamp-millis' } } },
    { name: 'attrs', type: { type: 'map', values: 'string' } },
    { name: 'opt', type: ['null', 'string'] },
    { name: 'optDay', type: ['null', { type: 'int', logicalType: 'date' }] },
    { name: 'optTier', type: ['null', 'Tier'] },
    { name: 'either', type: ['int', 'string'] },
    { name: 'optEither', type: ['null', 'int', 'string'] },
    { name: 'payload', type: { type: 'record', name: 'Payload', fields: [{ name: 'customer_id', type: 'string' }, { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } }] } },
    { name: 'optPayload', type: ['null', 'Payload'] },
  ],
});

// path, native type (as describeType renders it), DataHub class, nullable
const GOLDEN: readonly [string, string, DataHubTypeClass, boolean][] = [
  ['b', 'boolean', 'BooleanType', false],
  ['i', 'int', 'NumberType', false],
  ['l', 'long', 'NumberType', false],
  ['f', 'float', 'NumberType', false],
  ['d', 'double', 'NumberType', false],
  ['by', 'bytes', 'BytesType', false],
  ['s', 'string', 'StringType', false],
  ['n', 'null', 'NullType', true],
  ['day', 'int (date)', 'DateType', false],
  ['tms', 'int (time-millis)', 'TimeType', false],
  ['tus', 'long (time-micros)', 'TimeType', false],
  ['tsms', 'long (timestamp-millis)', 'TimeType', false],
  ['tsus', 'long (timestamp-micros)', 'TimeType', false],
  ['ltsms', 'long (local-timestamp-millis)', 'TimeType', false],
  ['ltsus', 'long (local-timestamp-micros)', 'TimeType', false],
  ['dec', 'bytes (decimal(10,2))', 'NumberType', false],
  ['fdec', 'fixed Money(8) (decimal(12,2))', 'NumberType', false],
  ['id', 'string (uuid)', 'StringType', false],
  ['hash', 'fixed Md5(16)', 'FixedType', false],
  ['tier', 'enum Tier', 'EnumType', false],
  ['tags', 'array<string>', 'ArrayType', false],
  ['times', 'array<long (timestamp-millis)>', 'ArrayType', false],
  ['attrs', 'map<string>', 'MapType', false],
  ['opt', 'union [null, string]', 'StringType', true],
  ['optDay', 'union [null, int (date)]', 'DateType', true],
  ['optTier', 'union [null, enum Tier]', 'EnumType', true],
  ['either', 'union [int, string]', 'UnionType', false],
  ['optEither', 'union [null, int, string]', 'UnionType', true],
  ['payload', 'record Payload', 'RecordType', false],
  ['payload.customer_id', 'string', 'StringType', false],
  ['payload.at', 'long (timestamp-micros)', 'TimeType', false],
  ['optPayload', 'union [null, record Payload]', 'RecordType', true],
  ['optPayload.customer_id', 'string', 'StringType', false],
  ['optPayload.at', 'long (timestamp-micros)', 'TimeType', false],
];

const schema = (): AvroSchema => {
  const parsed = parseAvro(ALL_TYPES);
  if (!parsed.schema) throw new Error(JSON.stringify(parsed.errors));
  return parsed.schema;
};

const port = (fields: readonly CatalogField[]) => ({
  name: 'all', platform: 'kafka' as const, datasetName: 'acme.all.v1', freshness: '< 5 minutes', uptime: '99.9%', schemaName: 'all_v1', fields,
  upstreamUrns: ['urn:li:dataset:(urn:li:dataPlatform:kafka,acme.src.v1,PROD)'],
});
const registration = { domain: 'acme', product: 'all', version: '1.0.0', ownerTeam: 'acme-team', classification: 'internal', tags: ['tier-1'], description: 'every type' };

const schemaFields = (proposals: ReturnType<typeof buildCatalogProposals>) =>
  (proposals.find((p) => p.aspectName === 'schemaMetadata')!.aspect.fields as { fieldPath: string; type: { type: Record<string, Record<string, unknown>> } }[]);

describe('DataHub field types (golden, per Avro type)', () => {
  it('catalogFields derives each field\'s class from its Avro node', () => {
    const fields = catalogFields(schema());
    expect(fields.map((f) => [f.path, f.nativeType, f.type?.class, f.nullable])).toEqual(GOLDEN);
    expect(fields.find((f) => f.path === 's')?.description).toBe('a string');
  });

  it.each(GOLDEN.map(([path, native, cls]) => [native, cls, path]))('a hand-written nativeType "%s" is a %s', (native, cls) => {
    expect(dataHubTypeOfNative(native).class).toBe(cls);
  });

  it.each([['date', 'DateType'], ['timestamp-millis', 'TimeType'], ['time-micros', 'TimeType'], ['record', 'RecordType'], ['uuid', 'StringType'], ['something else', 'StringType']])(
    'a bare nativeType "%s" is a %s', (native, cls) => {
      expect(dataHubTypeOfNative(native).class).toBe(cls);
    });

  it('arrays, maps and unions name what they hold, in the proposal\'s schemaMetadata', () => {
    const byPath = new Map(schemaFields(buildCatalogProposals({ ...registration, ports: [port(catalogFields(schema()))] })).map((f) => [f.fieldPath, f.type]));
    expect(byPath.get('times')).toEqual({ type: { 'com.linkedin.schema.ArrayType': { nestedType: ['timestamp-millis'] } } });
    expect(byPath.get('attrs')).toEqual({ type: { 'com.linkedin.schema.MapType': { keyType: 'string', valueType: 'string' } } });
    expect(byPath.get('optEither')).toEqual({ type: { 'com.linkedin.schema.UnionType': { nestedTypes: ['null', 'int', 'string'] } } });
    expect(byPath.get('day')).toEqual({ type: { 'com.linkedin.schema.DateType': {} } });
  });
});

describe('DataHub proposals', () => {
  it('owners are TECHNICAL_OWNER (DATAOWNER is deprecated)', () => {
    const ownership = buildCatalogProposals({ ...registration, ports: [port([])] }).find((p) => p.aspectName === 'ownership')!;
    expect(ownership.aspect).toEqual({ owners: [{ owner: 'urn:li:corpGroup:acme-team', type: 'TECHNICAL_OWNER' }] });
  });
});

const DATAHUB = datahubCli('the catalog payload');
const withDatahub = DATAHUB ? describe : describe.skip;

const dir = mkdtempSync(join(tmpdir(), 'datahub-check-'));
const stack = new Stack(new App(), 'S', { env: ENV });
const reg = new CatalogRegistration(stack, 'C', { serverUrl: 'https://gms.internal:8080', ...registration, ports: [port(catalogFields(schema()))] });
const resource = Object.values(Template.fromStack(stack).findResources('Custom::DataHubRegistration'))[0] as { Properties: { ProposalsGzip: string } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lambda = require('../lambda/catalog/index.js') as { ingestBodies: (gzip: string) => { proposal: unknown }[] };
const posted = lambda.ingestBodies(resource.Properties.ProposalsGzip).map((b) => b.proposal);

describe('the payload the registration posts', () => {
  it('the metadata file holds exactly what the function posts to GMS', () => {
    expect(JSON.parse(catalogMetadataFile(reg.proposals))).toEqual(posted);
  });

  it('the function posts { proposal } per entry to ingestProposal, then answers CloudFormation SUCCESS', async () => {
    // A local HTTPS server stands in for GMS and for the CloudFormation response URL.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    const seen: { method: string; url: string; body: string }[] = [];
    const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => { seen.push({ method: req.method!, url: req.url!, body }); res.writeHead(200).end('{}'); });
    });
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    const base = `https://localhost:${(server.address() as AddressInfo).port}`;
    const previousCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = cert;
    try {
      await (lambda as unknown as { handler: (e: unknown) => Promise<void> }).handler({
        RequestType: 'Create', ResponseURL: `${base}/cfn-response`, StackId: 's', RequestId: 'r', LogicalResourceId: 'C',
        ResourceProperties: { ServerUrl: `${base}/`, TokenSecretArn: '', ProposalsGzip: resource.Properties.ProposalsGzip },
      });
    } finally {
      https.globalAgent.options.ca = previousCa;
      server.close();
    }
    const ingest = seen.filter((r) => r.url === '/aspects?action=ingestProposal');
    expect(ingest.map((r) => r.method)).toEqual(posted.map(() => 'POST'));
    expect(ingest.map((r) => JSON.parse(r.body))).toEqual(JSON.parse(catalogMetadataFile(reg.proposals)).map((proposal: unknown) => ({ proposal })));
    expect(JSON.parse(seen.find((r) => r.url === '/cfn-response')!.body)).toMatchObject({ Status: 'SUCCESS' });
  });
});

withDatahub('the payload the registration posts, checked by the real DataHub CLI', () => {
  const check = (file: string) => spawnSync(DATAHUB!, ['check', 'metadata-file', file], { encoding: 'utf8' });

  it('datahub check metadata-file accepts it', () => {
    const file = join(dir, 'catalog.json');
    writeFileSync(file, JSON.stringify(posted));
    const run = check(file);
    expect(`${run.stdout}${run.stderr}`).toContain(`${reg.proposals.length} MCEs found - all valid`);
    expect(run.status).toBe(0);
  });

  it('and rejects the unwrapped proposals (the check can fail)', () => {
    const file = join(dir, 'raw.json');
    writeFileSync(file, JSON.stringify(reg.proposals));
    const run = check(file);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/cannot be parsed as union schema/);
  });

  it('DataHub\'s own classes read back every field\'s type and the owner type', () => {
    // The check accepts an unknown type class, so read the types back through DataHub's generated classes.
    const file = join(dir, 'readback.json');
    writeFileSync(file, JSON.stringify(posted));
    const python = join(DATAHUB!, '..', 'python');
    const script = [
      'import json, sys',
      'from datahub.emitter.mcp import MetadataChangeProposalWrapper',
      'from datahub.metadata.schema_classes import SchemaMetadataClass, OwnershipClass',
      'out = {}',
      'for obj in json.load(open(sys.argv[1])):',
      '    w = MetadataChangeProposalWrapper.from_obj(obj)',
      '    assert isinstance(w, MetadataChangeProposalWrapper), obj["aspectName"]',
      '    assert w.validate(), obj["aspectName"]',
      '    if isinstance(w.aspect, SchemaMetadataClass):',
      '        out["fields"] = [[f.fieldPath, type(f.type.type).__name__] for f in w.aspect.fields]',
      '    if isinstance(w.aspect, OwnershipClass):',
      '        out["owners"] = [o.type for o in w.aspect.owners]',
      'print(json.dumps(out))',
    ].join('\n');
    const out = JSON.parse(execFileSync(python, ['-c', script, file], { encoding: 'utf8' })) as { fields: [string, string][]; owners: string[] };
    expect(out.fields).toEqual(GOLDEN.map(([path, , cls]) => [path, `${cls}Class`]));
    expect(out.owners).toEqual(['TECHNICAL_OWNER']);
  });

  it('the classes agree with DataHub\'s own Avro converter, but for the local timestamps it leaves NumberType', () => {
    const script = [
      'import json, sys, warnings',
      'warnings.simplefilter("ignore")',
      'from datahub.ingestion.extractor.schema_util import avro_schema_to_mce_fields',
      'from datahub.utilities.urns.field_paths import get_simple_field_path_from_v2_field_path as simple',
      'out = {}',
      'for f in avro_schema_to_mce_fields(sys.argv[1]):',
      '    out.setdefault(simple(f.fieldPath), [type(f.type.type).__name__, f.nullable])',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(execFileSync(join(DATAHUB!, '..', 'python'), ['-c', script, ALL_TYPES], { encoding: 'utf8' })) as Record<string, [string, boolean]>;
    const ours = Object.fromEntries(GOLDEN.map(([path, , cls, nullable]) => [path, [`${cls}Class`, nullable]]));
    expect({ ...theirs, ltsms: ['TimeTypeClass', false], ltsus: ['TimeTypeClass', false] }).toEqual(ours);
    expect([theirs.ltsms, theirs.ltsus]).toEqual([['NumberTypeClass', false], ['NumberTypeClass', false]]);
  });
});
