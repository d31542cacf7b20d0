import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh, validateLoadedMesh, type Diagnostic } from '@data-mesh/spec';
import { buildMeshApp, loadInfraConfig } from '../src';

// What mesh validate passes, the app builds: generated meshes (both generators) that validate
// clean raise no MESH505/MESH502 (a product the constructs reject), and a port the constructs
// would reject fails validation at its own line (MESH121 for partitioning).
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

/* eslint-disable @typescript-eslint/no-require-imports */
const generators: Record<string, { generateMesh(o: object): unknown; writeMesh(m: unknown, dir: string): void }> = {
  'mesh-gen': require(path.join(ROOT, 'bench/mesh-gen/generate.js')),
  'mesh-gen2': require(path.join(ROOT, 'bench/mesh-gen2/generate.js')),
};
/* eslint-enable @typescript-eslint/no-require-imports */

function generated(name: string, products: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `mesh-agree-${name}-`));
  generators[name]!.writeMesh(generators[name]!.generateMesh({ domains: 6, products, seed: 3 }), root);
  return root;
}

function validateAndBuild(root: string): { contract: Diagnostic[]; build: Diagnostic[] } {
  const loaded = loadInfraConfig(root, path.join(ROOT, 'infra/config.example.yaml'));
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  const validation = validateLoadedMesh(loadMesh(root));
  const build: Diagnostic[] = [];
  buildMeshApp(validation.mesh, loaded.config, build, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-agree-out-')) });
  return { contract: validation.diagnostics.filter((d) => d.severity === 'error'), build: build.filter((d) => d.code === 'MESH505' || d.code === 'MESH502') };
}

describe.each(Object.keys(generators))('%s', (name) => {
  it('a mesh that validates clean builds every product', () => {
    const { contract, build } = validateAndBuild(generated(name, 60));
    expect(contract).toEqual([]);
    expect(build).toEqual([]);
  });
});

it('a partitioning the Iceberg table rejects fails mesh validate at the port\'s partitioning line', () => {
  const root = generated('mesh-gen', 60);
  const spec = fs.readdirSync(path.join(root, 'domains'), { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(root, 'domains', f))
    .find((f) => f.endsWith('data-product.yaml') && /partitioning: "year\/month\/day"/.test(fs.readFileSync(f, 'utf8')))!;
  const text = fs.readFileSync(spec, 'utf8').replace(/partitioning: "year\/month\/day"/, 'partitioning: "day(no_such_column)"');
  fs.writeFileSync(spec, text);
  const line = text.split('\n').findIndex((l) => l.includes('day(no_such_column)')) + 1;
  const { contract } = validateAndBuild(root);
  expect(contract.map((d) => ({ code: d.code, file: path.join(root, d.file), line: d.line }))).toEqual([{ code: 'MESH121', file: spec, line }]);
});
