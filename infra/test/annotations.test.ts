import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LakeFormationGrants } from '@data-mesh/cdk';
import { loadMesh, validateLoadedMesh, type Diagnostic } from '@data-mesh/spec';
import { Annotations } from 'aws-cdk-lib';
import { annotationDiagnostics } from '../src/annotations';
import { startDecisionPolicy } from '../src/decision';
import { buildMeshApp, loadInfraConfig, schemaHistories, synthesize } from '../src';

const ROOT = path.resolve(__dirname, '..', '..');
const CUSTOMER_360 = 'domains/customer/customer-360/data-product.yaml';
const EVENTS = 'domains/customer/customer-events-v1/data-product.yaml';
jest.setTimeout(180_000);

/** A copy of the example mesh (opa comes from the repository's .tools/bin). */
function meshCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-annotations-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github', 'tools/versions.env']) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  fs.mkdirSync(path.join(dir, '.tools'));
  fs.symlinkSync(path.join(ROOT, '.tools', 'bin'), path.join(dir, '.tools', 'bin'));
  fs.mkdirSync(path.join(dir, 'infra'));
  fs.copyFileSync(path.join(ROOT, 'infra', 'config.example.yaml'), path.join(dir, 'infra', 'config.yaml'));
  return dir;
}

const lineOf = (root: string, file: string, text: string) => fs.readFileSync(path.join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('synthesize reports the annotations the constructs raise (MESH516)', () => {
  it('a quality rule that runs nowhere: a qualityNotRun warning at that product; one only the SDK runs: an info; synthesis still succeeds', async () => {
    const root = meshCopy();
    const spec = path.join(root, CUSTOMER_360);
    // published_at is a field of the stream port only: a row-level rule on it runs in the SDK at publish time, an aggregate one has no table to run on.
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('    - rule: "customer_id IS NOT NULL"\n', '    - rule: "customer_id IS NOT NULL"\n    - rule: "published_at IS NOT NULL"\n    - rule: "uniqueness(published_at) >= 0.99"\n'));
    const result = await synthesize(root, path.join(root, 'cdk.out'), { nag: false });
    expect(result.ok).toBe(true);
    const annotations = result.diagnostics.filter((d) => d.code === 'MESH516');
    const at = { code: 'MESH516', file: CUSTOMER_360, line: 1, column: 1 };
    expect(annotations.filter((d) => d.file === CUSTOMER_360)).toEqual(expect.arrayContaining([
      {
        ...at, severity: 'warning',
        message: 'customer/customer-360: 1 quality rule(s) run nowhere: "uniqueness(published_at) >= 0.99" (an aggregate rule judges a whole data set: it needs a batch port (a table) with every column it names, and the SDK judges records one at a time)',
        hint: 'raised by the construct /DataMesh-Customer/Customer360 (@data-mesh/cdk:qualityNotRun)',
      },
      {
        ...at, severity: 'info',
        message: 'customer/customer-360: 1 quality rule(s) run only in the SDK at publish time (no batch port has their columns): "published_at IS NOT NULL" on customer_profile_stream',
        hint: 'raised by the construct /DataMesh-Customer/Customer360',
      },
    ]));
    expect(annotations.filter((d) => d.file === CUSTOMER_360)).toHaveLength(2);
    // A 60 s SLA is measured every 30 s (the sub-minute workflow): nothing to say about it.
    expect(annotations.filter((d) => d.file === EVENTS && /measure/.test(d.message))).toEqual([]);
    // Nothing raised outside a product here (CDK's own warnings are settled in the app).
    expect(annotations.filter((d) => !d.file.startsWith('domains/'))).toEqual([]);
    // The same messages CDK left in the cloud assembly's metadata, one diagnostic each.
    const metadata = result.templates.flatMap((t) => Object.values(JSON.parse(fs.readFileSync(t.templatePath.replace(/\.template\.json$/, '.metadata.json'), 'utf8')) as { type: string }[][]).flat());
    expect(annotations).toHaveLength(metadata.filter((e) => ['aws:cdk:warning', 'aws:cdk:info', 'aws:cdk:error'].includes(e.type)).length);
  });
});

describe('annotationDiagnostics', () => {
  it('errors stay errors, at the port of the construct (also a grant in the access stack), others at the config', async () => {
    const validation = validateLoadedMesh(loadMesh(ROOT));
    const decision = await (await startDecisionPolicy(ROOT)).policy(validation.mesh);
    const diagnostics: Diagnostic[] = [];
    const histories = schemaHistories(ROOT, [...validation.mesh.schemas.values()].map((s) => s.file));
    const built = buildMeshApp(validation.mesh, loadInfraConfig(ROOT).config!, diagnostics, {
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-app-')), schemaVersions: (file) => histories.get(file), decisionPolicy: decision.policy!,
    });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    Annotations.of(built.products.get('customer/customer-360')!.tables.get('customer_snapshot_daily')!).addError('the table cannot be written');
    const grants = built.accessStacks.flatMap((s) => s.node.children).find((c): c is LakeFormationGrants => c instanceof LakeFormationGrants)!;
    Annotations.of(grants).addInfo('a grant note');
    Annotations.of(built.platformStack).addWarning('a platform note');
    const found = annotationDiagnostics(built.app.synth(), built, validation.mesh, 'infra/config.example.yaml');

    expect(found).toContainEqual(expect.objectContaining({
      severity: 'error', file: CUSTOMER_360, line: lineOf(ROOT, CUSTOMER_360, '- name: customer_snapshot_daily'),
      message: 'customer/customer-360 port customer_snapshot_daily: the table cannot be written',
    }));
    // The grants of a source's port, made in the access stack, belong to the source product and port.
    const note = found.find((d) => d.message.endsWith('a grant note'))!;
    expect(note).toMatchObject({ severity: 'info', file: expect.stringMatching(/^domains\/.*\/data-product\.yaml$/) });
    expect(note.message).toMatch(/^[a-z]+\/[a-z0-9-]+ port [a-z0-9_]+: a grant note$/);
    expect(found).toContainEqual(expect.objectContaining({ severity: 'warning', file: 'infra/config.example.yaml', line: 1, message: 'a platform note' }));
  });
});
