import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh, validateLoadedMesh, type Diagnostic } from '@data-mesh/spec';
import { buildMeshApp, loadInfraConfig } from '../src';

// The example domains built with the example config, and with PII authorizations added to it:
// who reads which topic, and which columns Lake Formation grants.
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'infra/config.example.yaml'), 'utf8');
const EVENTS_TOPIC = 'customer-domain.customer-events-v1';

/** A temp copy of the mesh, optionally with customer-360 edited and an infra/config.yaml. */
function meshCopy(edit?: (spec: string) => string, config?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-pii-infra-'));
  fs.cpSync(path.join(ROOT, 'domains'), path.join(root, 'domains'), { recursive: true });
  fs.mkdirSync(path.join(root, 'infra'));
  fs.writeFileSync(path.join(root, 'infra/config.example.yaml'), EXAMPLE);
  if (config !== undefined) fs.writeFileSync(path.join(root, 'infra/config.yaml'), config);
  if (edit) {
    const file = path.join(root, 'domains/customer/customer-360/data-product.yaml');
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  }
  return root;
}

const withAccess = (entries: string) => EXAMPLE.replace(/^piiAccess: \[\]\n/m, `piiAccess:\n${entries}\n`);

function build(root: string) {
  const loaded = loadInfraConfig(root);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  const diagnostics: Diagnostic[] = [];
  const built = buildMeshApp(validateLoadedMesh(loadMesh(root)).mesh, loaded.config, diagnostics, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-pii-out-')) });
  const assembly = built.app.synth();
  const templates = new Map(assembly.stacks.map((s) => [s.stackName, s.template as Template]));
  const resources = (stack: string, type: string) => Object.entries(templates.get(stack)!.Resources).filter(([, r]) => r.Type === type);
  /** The topics a pipeline role may read (kafka-cluster:ReadData). */
  const readTopics = (product: string) => {
    const policies = resources('DataMesh-Customer', 'AWS::IAM::Policy').filter(([id]) => id.startsWith(`${product}PipelineRoleDefaultPolicy`));
    return JSON.stringify(policies).match(/topic\/data-mesh\/[^/]+\/[^"]+/g)?.map((t) => t.split('/').pop()!) ?? [];
  };
  return { built, diagnostics, configDiagnostics: loaded.diagnostics, resources, readTopics };
}

describe('PII in streams on the example domains', () => {
  let example: ReturnType<typeof build>;
  beforeAll(() => {
    example = build(meshCopy());
  });

  it('customer-events-v1 has its PII-free projection: the topic, a subject without ip_address, a projector', () => {
    const topics = example.resources('DataMesh-Customer', 'AWS::MSK::Topic').map(([, r]) => r.Properties!.TopicName);
    expect(topics).toEqual(expect.arrayContaining([EVENTS_TOPIC, `${EVENTS_TOPIC}.pii-free`]));
    // only a stream port whose schema holds PII is projected
    expect(topics.filter((t) => String(t).endsWith('.pii-free'))).toEqual([`${EVENTS_TOPIC}.pii-free`]);
    const [, schema] = example.resources('DataMesh-Customer', 'AWS::Glue::Schema').find(([, r]) => r.Properties!.Name === 'customer_events_v1.pii-free')!;
    const fields = (JSON.parse(schema.Properties!.SchemaDefinition as string) as { fields: { name: string }[] }).fields.map((f) => f.name);
    expect(fields).not.toContain('ip_address');
    expect(fields).toEqual(['event_id', 'customer_id', 'event_type', 'occurred_at', 'received_at', 'channel', 'session_id', 'user_agent', 'metadata']);
    expect(example.resources('DataMesh-Customer', 'AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties!.Topics)).toEqual([[EVENTS_TOPIC]]);
    expect(example.built.topicManifest['customer/customer-events-v1/customer_events_stream.pii-free']).toMatchObject({ topicName: `${EVENTS_TOPIC}.pii-free` });
  });

  it('without an authorization customer-360 reads the projection, not the topic', () => {
    const topics = example.readTopics('Customer360');
    expect(topics).toContain(`${EVENTS_TOPIC}.pii-free`);
    expect(topics).not.toContain(EVENTS_TOPIC);
    expect(topics).toEqual(expect.arrayContaining(['payments-domain.transaction-events-v1', 'logistics-domain.shipment-events-v2']));
  });

  it('with the platform\'s authorization in infra/config.yaml it reads the topic itself', () => {
    const authorized = build(meshCopy((s) => s.replace('fields: [customer_id, event_type, occurred_at, metadata]', 'fields: [customer_id, event_type, occurred_at, metadata, ip_address]'),
      withAccess('  - consumer: customer/customer-360\n    source: customer/customer-events-v1\n    fields: [ip_address]\n    reason: "fraud scoring, DPO-4100"')));
    const topics = authorized.readTopics('Customer360');
    expect(topics).toContain(EVENTS_TOPIC);
    expect(topics).not.toContain(`${EVENTS_TOPIC}.pii-free`);
  });

  it('the older consumer-wide list still authorizes, with a MESH501 warning at its line', () => {
    const config = EXAMPLE.replace('  # piiAuthorizedConsumers: []', '  piiAuthorizedConsumers: [customer/customer-360]');
    const legacy = build(meshCopy(undefined, config));
    expect(legacy.readTopics('Customer360')).toContain(EVENTS_TOPIC);
    const warning = legacy.configDiagnostics.find((d) => d.code === 'MESH501' && d.message.includes('piiAuthorizedConsumers'));
    expect(warning).toMatchObject({ severity: 'warning', file: 'infra/config.yaml', line: config.split('\n').findIndex((l) => l.includes('piiAuthorizedConsumers: [')) + 1 });
    expect(warning!.message).toContain('customer/customer-360 is authorized for every PII field of every product it consumes');
  });

  it('Lake Formation grants the authorized PII columns of a batch port, and withholds the others', () => {
    const readsProfiles = (s: string) => s.replace('  inputPorts:\n', '  inputPorts:\n    - sourceProduct: customer/customer-profile-snapshot\n      fields: [customer_id, email, phone]\n');
    const columnsGranted = (b: ReturnType<typeof build>) => {
      const grants = [...b.built.accessStacks].flatMap((s) => Object.values((b.built.app.synth().getStackByName(s.stackName).template as Template).Resources))
        .filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions' && JSON.stringify(r.Properties).includes('customer-360-pipeline') && JSON.stringify(r.Properties).includes('customer_profile_snapshot'));
      return grants.flatMap((g) => (g.Properties as { Resource: { TableWithColumns: { ColumnNames: string[] } } }).Resource.TableWithColumns.ColumnNames);
    };
    expect(columnsGranted(build(meshCopy(readsProfiles)))).toEqual(['customer_id']);
    const someFields = build(meshCopy(readsProfiles, withAccess('  - consumer: customer/customer-360\n    source: customer/customer-profile-snapshot\n    fields: [email]\n    reason: "service desk lookups, DPO-4200"')));
    expect(columnsGranted(someFields)).toEqual(['customer_id', 'email']);
    const everyField = build(meshCopy(readsProfiles, withAccess('  - consumer: customer/customer-360\n    source: customer/customer-profile-snapshot\n    reason: "service desk lookups, DPO-4200"')));
    expect(columnsGranted(everyField)).toEqual(['customer_id', 'email', 'phone']);
  });

  it('a malformed authorization is a config error at its line, and no app is built', () => {
    const config = withAccess('  - consumer: customer/customer-360\n    source: customer/customer-events-v1');
    const { config: loaded, diagnostics } = loadInfraConfig(meshCopy(undefined, config));
    expect(loaded).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'MESH324', file: 'infra/config.yaml', line: config.split('\n').indexOf('  - consumer: customer/customer-360') + 1 })]);
  });
});
