import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planChange } from '../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PROFILE = 'domains/customer/customer-profile-snapshot';
const EVENTS_SCHEMA = 'domains/customer/schemas/customer_events_v1.avsc';
const EVENTS_SPEC = 'domains/customer/customer-events-v1/data-product.yaml';

/** A git repository holding this repository's example mesh (and the example infra config) in one commit. */
function exampleRepo(): { root: string; git: (...args: string[]) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-plan-'));
  for (const entry of ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  // opa, for each side's policy decision function
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  fs.writeFileSync(path.join(root, '.gitignore'), '.tools/\n');
  fs.mkdirSync(path.join(root, 'infra'));
  fs.copyFileSync(path.join(REPO_ROOT, 'infra', 'config.example.yaml'), path.join(root, 'infra', 'config.yaml'));
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { root, git };
}

function edit(root: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${from} is not in ${file}`);
  fs.writeFileSync(full, next);
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function repo() {
  const r = exampleRepo();
  roots.push(r.root);
  return r;
}

describe('mesh plan (infra planChange): real synthesis of base and head, diffed with @aws-cdk/cloudformation-diff', () => {
  it('a renamed product: its stateful resources are orphaned (retained), named by logical id, at its domain map entry', async () => {
    const { root, git } = repo();
    git('mv', PROFILE, 'domains/customer/customer-profile-history');
    edit(root, 'domains/customer/customer-profile-history/data-product.yaml', 'name: customer-profile-snapshot', 'name: customer-profile-history');
    edit(root, 'domains/domain-map.yaml', '- customer-profile-snapshot #', '- customer-profile-history #');
    git('commit', '-q', '-am', 'rename');
    const result = await planChange(root, { base: 'HEAD~1', head: 'HEAD' });
    const plan = result.plan!;
    expect(plan).toBeDefined();
    expect(plan.scope.domains).toEqual(['customer']);
    expect(plan.scope.products).toEqual(['customer/customer-profile-history', 'customer/customer-profile-snapshot']);
    // Only the reached stacks: the platform and governance stacks, the customer stack, the grants.
    expect(plan.stacks.map((s) => s.name).sort()).toEqual(['DataMesh-Access', 'DataMesh-Customer', 'DataMesh-Governance', 'DataMesh-Platform']);

    const orphaned = plan.resources.filter((r) => r.product === 'customer/customer-profile-snapshot' && r.action === 'orphan');
    const table = orphaned.find((r) => r.type === 'Custom::IcebergTable');
    expect(table).toMatchObject({ stack: 'DataMesh-Customer', port: 'profile_snapshot_daily', stateful: true, dataFate: 'retained-orphaned' });
    expect(table!.logicalId).toMatch(/^CustomerProfileSnapshot/);
    const added = plan.resources.filter((r) => r.product === 'customer/customer-profile-history' && r.action === 'add');
    expect(added.some((r) => r.type === 'Custom::IcebergTable' && r.logicalId.startsWith('CustomerProfileHistory'))).toBe(true);
    // New construct ids, new logical ids: a rename removes and adds, it never replaces in place.
    expect(plan.summary.replaced).toBe(0);
    expect(plan.summary.removed).toBe(plan.resources.filter((r) => r.action === 'remove' || r.action === 'orphan').length);

    const finding = result.diagnostics.find((d) => d.code === 'MESH511' && d.message.includes(table!.logicalId));
    expect(finding).toMatchObject({ severity: 'error', file: 'domains/domain-map.yaml' });
    expect(finding!.message).toContain('customer/customer-profile-snapshot (port profile_snapshot_daily): Iceberg table');
    expect(finding!.message).toContain('retained (DeletionPolicy: Retain) but the resource is orphaned');
    // The domain's entry in the head's map, not line 1.
    expect(finding!.line).toBe(5);
    expect(result.ok).toBe(false);
    // Lake Formation / IAM: the new pipeline role's statements are listed as added.
    expect(plan.permissions.some((p) => p.kind === 'iam' && p.change === 'added')).toBe(true);
  });

  it('an optional field (nullable union, null default) added to a schema replaces nothing', async () => {
    const { root, git } = repo();
    const schema = JSON.parse(fs.readFileSync(path.join(root, EVENTS_SCHEMA), 'utf8'));
    schema.fields.push({ name: 'referrer_url', type: ['null', 'string'], default: null, doc: 'where the session came from' });
    fs.writeFileSync(path.join(root, EVENTS_SCHEMA), JSON.stringify(schema, null, 2));
    edit(root, EVENTS_SPEC, /version: "1\.(\d+)\.0"/, 'version: "1.9.0"');
    git('commit', '-q', '-am', 'add referrer_url');
    const result = await planChange(root, { base: 'HEAD~1', head: 'HEAD' });
    const plan = result.plan!;
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.scope.products).toContain('customer/customer-events-v1');
    expect(plan.resources.filter((r) => r.action === 'replace' || r.action === 'may-replace' || r.action === 'remove' || r.action === 'orphan')).toEqual([]);
    // The schema's new version is a new AWS::Glue::SchemaVersion; nothing stateful is lost.
    expect(plan.resources.some((r) => r.type === 'AWS::Glue::SchemaVersion' && r.action === 'add' && r.product === 'customer/customer-events-v1')).toBe(true);
    expect(plan.summary.replaced).toBe(0);
    expect(result.ok).toBe(true);
  });

  it('lowering the partition count fails, naming the topic, at the port', async () => {
    const { root, git } = repo();
    edit(root, 'infra/config.yaml', 'partitions: 6', 'partitions: 3');
    git('commit', '-q', '-am', 'fewer partitions');
    const result = await planChange(root, { base: 'HEAD~1' });
    expect(result.plan!.head.workTree).toBe(true);
    const decreases = result.diagnostics.filter((d) => d.code === 'MESH513');
    expect(decreases.length).toBeGreaterThan(0);
    const events = decreases.find((d) => d.file === EVENTS_SPEC);
    expect(events).toMatchObject({ severity: 'error' });
    expect(events!.message).toMatch(/customer\/customer-events-v1 \(port \w+\): Kafka topic \S+ .* would go from 6 to 3 partitions/);
    expect(events!.line).toBeGreaterThan(10);
    expect(result.ok).toBe(false);
  });

  it('moving the topics to another cluster replaces them (the library\'s replacement analysis): data retained but orphaned', async () => {
    const { root, git } = repo();
    edit(root, 'infra/config.yaml', 'cluster/data-mesh/', 'cluster/data-mesh-2/');
    git('commit', '-q', '-am', 'new cluster');
    const result = await planChange(root, { base: 'HEAD~1', head: 'HEAD' });
    const topics = result.plan!.resources.filter((r) => r.type === 'AWS::MSK::Topic');
    expect(topics.length).toBeGreaterThan(0);
    for (const t of topics) expect(t).toMatchObject({ action: 'replace', stateful: true, replacing: expect.arrayContaining(['ClusterArn']), dataFate: 'retained-orphaned' });
    const events = result.diagnostics.find((d) => d.code === 'MESH511' && d.file === EVENTS_SPEC);
    expect(events!.message).toMatch(/Kafka topic \w+ in DataMesh-Customer would be replaced \(ClusterArn changes\): CloudFormation creates a new, empty one; the old one and its data are retained \(UpdateReplacePolicy: Retain\)/);
  });

  it('a removed product that is still read fails naming its consumer (the diff\'s MESH211)', async () => {
    const { root, git } = repo();
    git('rm', '-q', '-r', 'domains/logistics/inventory-snapshot-hourly');
    edit(root, 'domains/domain-map.yaml', /\n\s+- inventory-snapshot-hourly[^\n]*/, '');
    git('commit', '-q', '-am', 'remove inventory snapshots');
    const result = await planChange(root, { base: 'HEAD~1', head: 'HEAD' });
    expect(result.ok).toBe(false);
    const removal = result.diagnostics.filter((d) => d.code === 'MESH211');
    expect(removal).toHaveLength(1);
    expect(removal[0]!.message).toContain('logistics/inventory-snapshot-hourly is removed but logistics/fulfillment-kpis');
  });

  it('an erasure request reaches the policy decision function (its data) and the erasure jobs, and nothing else', async () => {
    const { root, git } = repo();
    const erasures = path.join(root, 'governance/erasures/2026-q4.yaml');
    fs.appendFileSync(erasures, '  - subject_id: cust-099999\n    requested_at: "2026-11-30"\n    ticket: DPO-4600\n');
    git('commit', '-q', '-am', 'erase cust-099999');
    const result = await planChange(root, { base: 'HEAD~1', head: 'HEAD' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = result.plan!;
    // customer is the only domain with products subject to erasure
    expect(plan.scope.domains).toEqual(['customer']);
    const changed = plan.resources.map((r) => `${r.action} ${r.stack} ${r.type}`);
    expect(changed).toContain('modify DataMesh-Governance AWS::Lambda::Function');
    expect(changed.filter((c) => !c.startsWith('modify DataMesh-Governance'))).toEqual(expect.arrayContaining(['modify DataMesh-Customer AWS::StepFunctions::StateMachine']));
    expect(plan.resources.filter((r) => r.action !== 'modify')).toEqual([]);
  });

  it('a base that is not a commit is a GitError, not a stack trace', async () => {
    const { root } = repo();
    await expect(planChange(root, { base: 'no-such-branch' })).rejects.toThrow(/not a commit/);
  });
});
