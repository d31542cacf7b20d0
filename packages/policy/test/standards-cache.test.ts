import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPolicyData, buildPolicyWasm, checkStandards, CompiledPolicy, loadPolicyMesh, type MeshLike } from '../src';
import { SourceDocument } from '@data-mesh/spec/core';
import { requireOpa, ROOT } from './helpers';

beforeAll(requireOpa);

/** The mesh with one spec's retention changed (a finding appears or goes). */
function withRetention(mesh: MeshLike, id: string, days: number): MeshLike {
  const products = [...(mesh.products as Map<string, { domain: string; name: string; spec: { spec: { governance: object } } }>).entries()].map(([key, p]) =>
    [key, `${p.domain}/${p.name}` === id ? { ...p, spec: { ...p.spec, spec: { ...p.spec.spec, governance: { ...p.spec.spec.governance, retention_days: days } } } } : p] as const,
  );
  return { ...mesh, products: new Map(products) } as MeshLike;
}

describe('checkStandards keeps each spec\'s findings between runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-standards-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a second run gives the same diagnostics without loading the policy; a changed spec alone is evaluated again', async () => {
    const mesh = loadPolicyMesh(ROOT);
    const { data } = buildPolicyData(ROOT, mesh);
    const build = await buildPolicyWasm(ROOT);
    expect(build.wasmDigest).toMatch(/^[0-9a-f]{64}$/);
    const cache = { dir, wasmDigest: build.wasmDigest! };
    const evaluated: string[] = [];
    const loader = async () => {
      const policy = await CompiledPolicy.load(build.wasm!, data);
      const evaluate = policy.evaluate.bind(policy);
      policy.evaluate = (input, entrypoint) => {
        evaluated.push((input as { metadata: { name: string } }).metadata.name);
        return evaluate(input, entrypoint);
      };
      return policy;
    };
    const uncached = await checkStandards(ROOT, mesh, { data });
    const first = await checkStandards(ROOT, mesh, { data, policy: loader, cache });
    expect(first.diagnostics).toEqual(uncached.diagnostics);
    expect(evaluated.length).toBe(mesh.products instanceof Map ? mesh.products.size : 0);

    evaluated.length = 0;
    const second = await checkStandards(ROOT, mesh, { data, policy: () => Promise.reject(new Error('must not load')), cache });
    expect(second.diagnostics).toEqual(uncached.diagnostics);

    const changed = withRetention(mesh, 'customer/customer-360', 99_999);
    const third = await checkStandards(ROOT, changed, { data, policy: loader, cache });
    expect(evaluated).toEqual(['customer-360']);
    expect(third.diagnostics.some((d) => d.code === 'MESH315')).toBe(true);
    expect(third.diagnostics).toEqual((await checkStandards(ROOT, changed, { data })).diagnostics);
  }, 60_000);

  test("keeps the findings' positions for the same text, and finds them again when the text moved", async () => {
    const mesh = loadPolicyMesh(ROOT);
    const { data } = buildPolicyData(ROOT, mesh);
    const build = await buildPolicyWasm(ROOT);
    const cache = { dir, wasmDigest: build.wasmDigest! };
    let located = 0;
    /** The mesh with every spec's text prefixed, and each locate counted. */
    const counted = (prefix: string): MeshLike => {
      const products = [...(mesh.products as Map<string, { file: string; spec: unknown; document: SourceDocument }>).entries()].map(([key, p]) => {
        const document = new SourceDocument(p.file, prefix + p.document.text, p.spec);
        return [key, { ...p, document: { text: document.text, locate: (at: Parameters<SourceDocument['locate']>[0]) => (located++, document.locate(at)) } }] as const;
      });
      return { ...mesh, products: new Map(products) } as MeshLike;
    };
    const policy = () => CompiledPolicy.load(build.wasm!, data);
    const first = await checkStandards(ROOT, counted(''), { data, policy, cache });
    const warnings = first.diagnostics.filter((d) => d.code === 'MESH317');
    expect(warnings).toHaveLength(2);
    expect(located).toBe(2);

    located = 0;
    const second = await checkStandards(ROOT, counted(''), { data, policy: () => Promise.reject(new Error('must not load')), cache });
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect(located).toBe(0);

    // the same specs, their text one line lower: the positions are found again, one line lower
    const moved = await checkStandards(ROOT, counted('# moved\n'), { data, policy: () => Promise.reject(new Error('must not load')), cache });
    expect(located).toBe(2);
    expect(moved.diagnostics.filter((d) => d.code === 'MESH317').map((d) => d.line)).toEqual(warnings.map((d) => d.line + 1));
  }, 60_000);

  test('other policy data, another module or an unreadable cache file is a miss, never a stale answer', async () => {
    const mesh = loadPolicyMesh(ROOT);
    const { data } = buildPolicyData(ROOT, mesh);
    const build = await buildPolicyWasm(ROOT);
    const loads: string[] = [];
    const loader = (why: string, d: typeof data) => async () => {
      loads.push(why);
      return CompiledPolicy.load(build.wasm!, d);
    };
    await checkStandards(ROOT, mesh, { data, policy: loader('first', data), cache: { dir, wasmDigest: build.wasmDigest! } });
    const stricter = { ...data, standards: { ...data.standards, gdpr: { ...data.standards!.gdpr, max_stream_erasure_days: 10_000 } } };
    const relaxed = await checkStandards(ROOT, mesh, { data: stricter, policy: loader('data', stricter), cache: { dir, wasmDigest: build.wasmDigest! } });
    expect(relaxed.diagnostics.filter((d) => d.code === 'MESH317')).toEqual([]);
    await checkStandards(ROOT, mesh, { data, policy: loader('module', data), cache: { dir, wasmDigest: '0'.repeat(64) } });
    for (const file of fs.readdirSync(path.join(dir, 'standards'))) fs.writeFileSync(path.join(dir, 'standards', file), '{"format":2,"results":');
    const broken = await checkStandards(ROOT, mesh, { data, policy: loader('corrupt', data), cache: { dir, wasmDigest: '0'.repeat(64) } });
    expect(broken.diagnostics.filter((d) => d.code === 'MESH317')).toHaveLength(2);
    expect(loads).toEqual(['first', 'data', 'module', 'corrupt']);
  }, 60_000);
});
