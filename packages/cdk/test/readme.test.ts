// The README's examples, compiled and run as a consumer outside this repository would: each ```ts
// block becomes a file of a temporary project whose node_modules holds the packages in their
// published shape (package.json and the folders its `files` lists: dist/*.d.ts and *.js, never
// src/), type-checked by tsc (strict, node16 resolution), then run on a copy of the example mesh.
// A block must be complete (its imports included): a reader copies it as it is.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(240_000);

const REPO = path.resolve(__dirname, '..', '..', '..');
const READMES = [path.join(REPO, 'packages', 'cdk', 'README.md'), path.join(REPO, 'README.md')];
const PACKAGES = { '@data-mesh/cdk': 'packages/cdk', '@data-mesh/spec': 'packages/spec', '@data-mesh/schema-compat': 'packages/schema-compat' };
const THIRD_PARTY = ['aws-cdk-lib', 'constructs', '@types/node'];

/** The ```ts (or ```typescript) blocks of a markdown file, with the line each starts at. */
function tsBlocks(file: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** A built package as npm installs it: its package.json and its `files`, nothing else. */
function installPublished(modules: string, name: string, dir: string): void {
  const source = path.join(REPO, dir);
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { files: string[]; types: string };
  const target = path.join(modules, name);
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(source, 'package.json'), path.join(target, 'package.json'));
  // the folders it ships; `!` patterns only leave files out of them (source maps, build info)
  for (const entry of manifest.files.filter((f) => !f.startsWith('!'))) fs.symlinkSync(path.join(source, entry), path.join(target, entry));
  const types = path.join(source, manifest.types);
  if (!fs.existsSync(types)) throw new Error(`${name} is not built (${path.relative(REPO, types)} is missing): npm run build`);
  const newest = (d: string): number => Math.max(0, ...fs.readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).mtimeMs)));
  if (newest(path.join(source, 'src')) > fs.statSync(types).mtimeMs) throw new Error(`${name}'s dist is older than its src: npm run build -w ${dir}`);
}

/** The example mesh, with a batch port's schema carrying the types a Glue type string loses. */
function exampleMesh(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-readme-mesh-'));
  for (const entry of ['domains', 'governance', 'platform.yaml']) fs.cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  const file = path.join(root, 'domains', 'customer', 'schemas', 'customer_snapshot_v2.avsc');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { fields: unknown[] };
  schema.fields.push(
    { name: 'account_id', type: ['null', { type: 'string', logicalType: 'uuid' }], default: null },
    { name: 'fingerprint', type: ['null', { type: 'fixed', name: 'Fingerprint', size: 16 }], default: null },
    { name: 'local_updated_at', type: ['null', { type: 'long', logicalType: 'local-timestamp-micros' }], default: null },
  );
  fs.writeFileSync(file, JSON.stringify(schema, null, 2));
  return root;
}

describe('the README examples compile and run outside the repository', () => {
  const blocks = READMES.flatMap((file) => tsBlocks(file).map((b) => ({ ...b, file })));
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-readme-'));
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it('the cdk README has examples', () => {
    expect(blocks.filter((b) => b.file === READMES[0]).length).toBeGreaterThan(0);
  });

  it('each ts block type-checks against the packages\' public entry points, and the app synthesizes the Iceberg types', () => {
    const modules = path.join(project, 'node_modules');
    for (const [name, dir] of Object.entries(PACKAGES)) installPublished(modules, name, dir);
    for (const name of THIRD_PARTY) {
      fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
      fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name));
    }
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true }));
    const files = blocks.map((b, i) => {
      const name = `example-${i + 1}.ts`;
      fs.writeFileSync(path.join(project, name), `// ${path.relative(REPO, b.file)}:${b.line}\n${b.code}\nexport {};\n`);
      return name;
    });
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, outDir: 'out', types: ['node'], skipLibCheck: false },
      files,
    }));
    try {
      execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    } catch (error) {
      throw new Error(`tsc failed on the README examples:\n${(error as { stdout: string }).stdout}`);
    }

    // Run the app: the batch port's table has the Iceberg types of the Avro schema.
    const mesh = exampleMesh();
    const outdir = path.join(project, 'cdk.out');
    try {
      execFileSync(process.execPath, [path.join(project, 'out', 'example-1.js')], { cwd: mesh, env: { ...process.env, CDK_OUTDIR: outdir }, encoding: 'utf8', stdio: 'pipe' });
    } finally {
      fs.rmSync(mesh, { recursive: true, force: true });
    }
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Customer.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const tables = Object.values(template.Resources).filter((r) => r.Type === 'Custom::IcebergTable');
    expect(tables).toHaveLength(1);
    const schema = JSON.parse(tables[0].Properties.Schema as string) as { fields: { name: string; type: unknown }[] };
    const types = Object.fromEntries(schema.fields.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      snapshot_date: 'date',
      updated_at: 'timestamptz',
      local_updated_at: 'timestamp',
      account_id: 'uuid',
      fingerprint: 'fixed[16]',
      lifetime_value_usd: 'decimal(18, 2)',
    });
  });
});
