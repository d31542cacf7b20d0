import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readErasures } from '@data-mesh/policy';
import { loadMesh, recordTimeField, splitS3Location, validateLoadedMesh, type Diagnostic } from '@data-mesh/spec';
import { buildMeshApp, estimateResources, loadInfraConfig } from '../src';

// The example domains built into the app (no nag: example-domains.test.ts runs it), to check
// what the retention and erasure jobs run against what the specs say.
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, string> }> };

const mesh = validateLoadedMesh(loadMesh(ROOT)).mesh;
const diagnostics: Diagnostic[] = [];
let templates: Map<string, Template>;
let built: ReturnType<typeof buildMeshApp>;

beforeAll(() => {
  const { config } = loadInfraConfig(ROOT);
  built = buildMeshApp(mesh, config!, diagnostics, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-jobs-')) });
  const assembly = built.app.synth();
  templates = new Map(assembly.stacks.map((s) => [s.stackName, s.template as Template]));
});

const resources = (type: string) => [...templates.values()].flatMap((t) => Object.entries(t.Resources).filter(([, r]) => r.Type === type));

/** A state machine definition's text with CloudFormation tokens left out. */
function definitionText(r: { Properties?: Record<string, unknown> }): string {
  const body = r.Properties!.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  return typeof body === 'string' ? body : body['Fn::Join'][1].filter((p) => typeof p === 'string').join('');
}
const queries = (r: { Properties?: Record<string, unknown> }) =>
  Object.values((JSON.parse(definitionText(r)) as { States: Record<string, { Arguments?: { QueryString?: string } }> }).States).map((s) => s.Arguments?.QueryString).filter((q): q is string => !!q);

describe('retention and erasure jobs of the example domains', () => {
  it('builds with no error of its own', () => {
    expect(diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MESH517')).toEqual([]);
  });

  it('every batch port has a retention job whose DELETE carries the cutoff of its retention_days', () => {
    const machines = resources('AWS::StepFunctions::StateMachine').map(([, r]) => queries(r));
    const ports = mesh.validProducts().flatMap((p) => p.outputPorts.filter((o) => o.spec.type === 'batch').map((o) => ({ p, o })));
    expect(ports.length).toBeGreaterThanOrEqual(5);
    for (const { p, o } of ports) {
      const field = recordTimeField(o)!;
      const table = `"${p.domain}_domain"."${p.name.replace(/-/g, '_')}_${o.name}"`;
      const now = field.logicalType === 'date' ? 'current_date' : 'current_timestamp';
      const job = machines.filter((q) => q.some((s) => s.startsWith(`DELETE FROM ${table} WHERE "${field.field}" <`)));
      expect(job).toHaveLength(1);
      expect(job[0]).toEqual([
        expect.stringMatching(new RegExp(`^SELECT count\\(\\*\\) FILTER \\(WHERE "${field.field}" IS NULL\\) AS null_rows, .* FROM ${table.replace(/\./g, '\\.')}$`)),
        `DELETE FROM ${table} WHERE "${field.field}" < ${now} - INTERVAL '${p.spec.spec.governance!.retention_days}' DAY`,
        `OPTIMIZE ${table.replace(/"/g, '')} REWRITE DATA USING BIN_PACK`,
        `VACUUM ${table.replace(/"/g, '')}`,
      ]);
    }
  });

  it('no S3 lifecycle rule expires or moves an object under a table location; only noncurrent versions go', () => {
    const locations = mesh.validProducts().flatMap((p) => p.outputPorts.filter((o) => o.spec.type === 'batch').map((o) => splitS3Location(o.spec.location!)));
    let checked = 0;
    for (const [, b] of resources('AWS::S3::Bucket')) {
      const name = b.Properties!.BucketName;
      const rules = ((b.Properties!.LifecycleConfiguration as { Rules?: Record<string, unknown>[] } | undefined)?.Rules) ?? [];
      for (const loc of locations.filter((l) => l.bucket === name)) {
        checked++;
        const covering = rules.filter((rule) => {
          const prefix = (rule.Prefix ?? (rule.Filter as { Prefix?: string } | undefined)?.Prefix ?? '') as string;
          return loc.prefix.startsWith(prefix) || prefix.startsWith(loc.prefix);
        });
        // A versioned bucket keeps every file VACUUM deletes as a noncurrent version: this rule is
        // what makes expired and erased rows leave S3. It never touches a current object, which
        // is what Iceberg metadata references.
        expect(covering).toEqual([{ Id: 'noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]);
      }
    }
    expect(checked).toBe(locations.length);
  });

  it('erasure jobs exist for the GDPR-scoped products with tables (customer/*), with every erased id, and for no other', () => {
    const ids = Object.keys(readErasures(ROOT).erasures).sort();
    expect(ids).toHaveLength(3);
    const erasures = resources('AWS::StepFunctions::StateMachine').filter(([id]) => id.includes('Erasure'));
    const owners = [...built.products].filter(([, dp]) => dp.erasure?.job).map(([id]) => id).sort();
    expect(owners).toEqual(['customer/customer-360', 'customer/customer-profile-snapshot']);
    expect(erasures).toHaveLength(2);
    for (const [, r] of erasures) {
      const deletes = queries(r).filter((q) => q.startsWith('DELETE'));
      expect(deletes).toHaveLength(1);
      expect(deletes[0]).toMatch(new RegExp(`^DELETE FROM "customer_domain"\\."[a-z0-9_]+" WHERE "customer_id" IN \\(${ids.map((i) => `'${i}'`).join(', ')}\\)$`));
      expect(definitionText(r)).toContain(':states:::aws-sdk:s3:putObject');
    }
    // customer-events-v1 is GDPR-scoped but stream-only: its topic's retention bounds it (MESH317)
    expect(built.products.get('customer/customer-events-v1')!.erasure).toBeUndefined();
  });

  it('estimateResources covers what each product really adds to its stack', () => {
    const { config } = loadInfraConfig(ROOT);
    const ids = Object.keys(readErasures(ROOT).erasures);
    for (const [id, dp] of built.products) {
      const [stackName] = [...built.domainStacks.values()].flat().filter((s) => s.node.tryFindChild(dp.node.id) === dp).map((s) => s.stackName);
      // logical ids start with the product's construct id (CDK joins the path)
      const actual = Object.keys(templates.get(stackName!)!.Resources).filter((logicalId) => logicalId.startsWith(dp.node.id)).length;
      const estimate = estimateResources(dp.definition, !!config!.catalog, ids);
      expect({ id, estimate, actual, over: estimate >= actual, close: estimate - actual <= 8 }).toEqual({ id, estimate, actual, over: true, close: true });
    }
  });
});
