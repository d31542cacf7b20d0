import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPolicyWasm, CompiledPolicy, ENTRYPOINTS, requireTool, startPolicyBuild } from '../src';
import { requireOpa, scratchRepo } from './helpers';

beforeAll(requireOpa);

/**
 * The compiled policy kept between runs. Each build here uses its own copy of the policies
 * (the in-process cache is keyed by the root), so only the cache directory can carry a build
 * from one to the next, as between two `mesh check` processes.
 */
describe('the compiled-policy cache', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-wasm-cache-'));
  const cached = () => fs.readdirSync(path.join(cache, 'policy-wasm')).filter((f) => f.endsWith('.wasm'));

  test('a second run with the same policies builds nothing and evaluates the same', async () => {
    const first = await buildPolicyWasm(scratchRepo().root, { cacheDir: cache });
    expect(first.commands.length).toBeGreaterThan(0);
    expect(cached()).toHaveLength(1);
    const second = await buildPolicyWasm(scratchRepo().root, { cacheDir: cache });
    expect(second.commands).toEqual([]);
    expect(second.wasm?.equals(first.wasm!)).toBe(true);
    const policy = await CompiledPolicy.load(second.wasm!, { products: {}, pii_registry: {}, erased_subjects: {} });
    expect(policy.entrypoints).toEqual(expect.arrayContaining(Object.values(ENTRYPOINTS)));
  });

  test('a corrupt cached module is rebuilt, never loaded', async () => {
    const [file] = cached();
    const full = path.join(cache, 'policy-wasm', file!);
    const bytes = fs.readFileSync(full);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(full, bytes);
    const rebuilt = await buildPolicyWasm(scratchRepo().root, { cacheDir: cache });
    expect(rebuilt.commands.length).toBeGreaterThan(0);
    expect(rebuilt.wasm?.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    expect(fs.readFileSync(full).equals(rebuilt.wasm!)).toBe(true);
  });

  test('a module without its checksum file is rebuilt', async () => {
    const [file] = cached();
    fs.rmSync(path.join(cache, 'policy-wasm', `${file}.sha256`));
    expect((await buildPolicyWasm(scratchRepo().root, { cacheDir: cache })).commands.length).toBeGreaterThan(0);
  });

  test('an edited policy is a different key: built again, and the old module is dropped', async () => {
    const repo = scratchRepo();
    repo.edit('governance/policies/access.rego', 'default allow := false', 'default allow := false\n\n# an edit');
    const before = cached();
    const edited = await buildPolicyWasm(repo.root, { cacheDir: cache });
    expect(edited.commands.length).toBeGreaterThan(0);
    expect(cached()).toHaveLength(1);
    expect(cached()).not.toEqual(before);
  });

  test('startPolicyBuild has opa build running when it returns', async () => {
    const repo = scratchRepo();
    const opa = await requireTool(repo.root, 'opa');
    const scratch = () => new Set(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('mesh-policy-wasm-')));
    const before = scratch();
    const build = startPolicyBuild(repo.root, opa);
    // Before this thread yields: the capabilities are written and opa build is started in that folder.
    const started = [...scratch()].filter((d) => !before.has(d));
    expect(started).toHaveLength(1);
    expect(fs.existsSync(path.join(os.tmpdir(), started[0]!, 'capabilities.json'))).toBe(true);
    const result = await build;
    expect(result.wasm).toBeDefined();
    expect(result.commands.map((c) => c[0])).toEqual(['capabilities', 'build']);
  });
});
