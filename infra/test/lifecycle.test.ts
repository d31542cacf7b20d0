import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh, validateLoadedMesh, type Diagnostic } from '@data-mesh/spec';
import { buildMeshApp, loadInfraConfig } from '../src';

// The example domains with a product retired: the infra app archives its table data in the
// platform's data bucket and deploys no monitors or grants for it.
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
type Template = { Resources: Record<string, Resource> };

function build(retire: boolean) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lifecycle-infra-'));
  fs.cpSync(path.join(ROOT, 'domains'), path.join(root, 'domains'), { recursive: true });
  fs.mkdirSync(path.join(root, 'infra'));
  fs.copyFileSync(path.join(ROOT, 'infra/config.example.yaml'), path.join(root, 'infra/config.example.yaml'));
  if (retire) {
    const file = path.join(root, 'domains/logistics/fulfillment-kpis/data-product.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^metadata:\n/m, 'metadata:\n  status: retired\n  sunset: "2026-11-30"\n'));
  }
  const loaded = loadInfraConfig(root);
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  const validated = validateLoadedMesh(loadMesh(root), { now: new Date('2026-12-06T00:00:00Z') });
  const diagnostics: Diagnostic[] = [];
  const built = buildMeshApp(validated.mesh, loaded.config, diagnostics, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lifecycle-out-')) });
  const templates = new Map(built.app.synth().stacks.map((s) => [s.stackName, s.template as Template]));
  const resources = (stack: string, type: string) => Object.entries(templates.get(stack)!.Resources).filter(([, r]) => r.Type === type);
  return { validation: validated.diagnostics, diagnostics, resources };
}

const archiveRule = (b: ReturnType<typeof build>) => {
  const bucket = b.resources('DataMesh-Platform', 'AWS::S3::Bucket').find(([, r]) => r.Properties!.BucketName === 'data-mesh-prod')!;
  const rules = (bucket[1].Properties!.LifecycleConfiguration as { Rules: { Id: string }[] }).Rules;
  return rules.filter((r) => r.Id.startsWith('retired-'));
};

describe('a retired product of the example domains', () => {
  let retired: ReturnType<typeof build>;
  let active: ReturnType<typeof build>;
  beforeAll(() => {
    retired = build(true);
    active = build(false);
  });

  it('validates and synthesizes without an error (but the decision function, not built here: MESH517)', () => {
    expect([...retired.validation, ...retired.diagnostics].filter((d) => d.severity === 'error' && d.code !== 'MESH517')).toEqual([]);
  });

  it('has its table location archived in the data bucket: Glacier at once, expiry at retention_days', () => {
    expect(archiveRule(retired)).toEqual([{
      Id: 'retired-logistics-fulfillment-kpis-fulfillment_kpis_daily',
      Prefix: 'logistics-domain/fulfillment-kpis/v1/',
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 0 }],
      ExpirationInDays: 1825, // its governance.retention_days
    }]);
    expect(archiveRule(active)).toEqual([]);
  });

  it('keeps its table, retained, and drops its monitors and jobs', () => {
    const ofProduct = (b: ReturnType<typeof build>, type: string) => b.resources('DataMesh-Logistics', type).filter(([id]) => id.startsWith('FulfillmentKpis'));
    expect(ofProduct(retired, 'Custom::IcebergTable').map(([, r]) => r.DeletionPolicy)).toEqual(['Retain']);
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::Glue::DataQualityRuleset', 'AWS::Scheduler::Schedule', 'AWS::StepFunctions::StateMachine']) {
      expect([type, ofProduct(retired, type).length]).toEqual([type, 0]);
      expect(ofProduct(active, type).length).toBeGreaterThan(0);
    }
  });
});
