import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOpa, findTool, readToolVersions, requireTool, runPolicyTests, ToolMissingError, INSTALL_COMMAND } from '../src';
import { requireOpa, ROOT } from './helpers';

describe('toolchain', () => {
  test('tools/versions.env pins OPA and Regal, and the installed opa is the pinned one', async () => {
    const versions = readToolVersions(ROOT);
    expect(versions.opa).toMatch(/^\d+\.\d+\.\d+$/);
    expect(versions.regal).toMatch(/^\d+\.\d+\.\d+$/);
    const opa = await requireOpa();
    expect(opa).toBe(path.join(ROOT, '.tools/bin/opa'));
    const found = await findOpa(ROOT);
    expect(found).toMatchObject({ found: true, version: versions.opa, pinned: versions.opa });
  }, 30_000);

  test('regal is installed at the pinned version', async () => {
    const regal = await findTool(ROOT, 'regal');
    if (!regal.found) throw new Error(`${regal.diagnostic}: run ${regal.installCommand}`);
    expect(regal.version).toBe(readToolVersions(ROOT).regal);
  }, 30_000);

  test('the setup script is idempotent: with the tools in place it only reports', () => {
    const out = execFileSync('bash', [path.join(ROOT, 'scripts/setup-tools.sh')], { encoding: 'utf8' });
    expect(out).toMatch(/opa \S+ already in/);
    expect(out).toMatch(/regal \S+ already in/);
    expect(out).not.toMatch(/installing/);
    expect(execFileSync('bash', [path.join(ROOT, 'scripts/setup-tools.sh'), '--check'], { encoding: 'utf8' })).toMatch(/already in/);
  }, 60_000);

  test('a repository that pins no versions gets a typed error that says so, not a crash', async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-no-pins-'));
    const found = await findOpa(bare);
    expect(found).toEqual({ found: false, diagnostic: expect.stringMatching(/pinned nowhere \(tools\/versions\.env is missing in /), installCommand: INSTALL_COMMAND });
    await expect(requireTool(bare, 'opa')).rejects.toBeInstanceOf(ToolMissingError);
    fs.writeFileSync(path.join(bare, 'README'), '');
    fs.mkdirSync(path.join(bare, 'tools'));
    fs.writeFileSync(path.join(bare, 'tools/versions.env'), 'OPA_VERSION=1.22.3\n');
    expect(await findOpa(bare)).toEqual(expect.objectContaining({ found: false, diagnostic: expect.stringMatching(/must set OPA_VERSION and REGAL_VERSION/) }));
    fs.rmSync(bare, { recursive: true, force: true });
  });

  test('with a cache folder, a binary is asked its version once, and again when it is replaced', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-tool-cache-'));
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent'; // only the fake below is a candidate
    try {
      fs.mkdirSync(path.join(root, 'tools'));
      fs.copyFileSync(path.join(ROOT, 'tools/versions.env'), path.join(root, 'tools/versions.env'));
      const pinned = readToolVersions(ROOT).opa;
      const bin = path.join(root, '.tools/bin/opa');
      const asked = path.join(root, 'asked');
      const fake = (version: string) => fs.writeFileSync(bin, `#!/bin/sh\necho x >> "${asked}"\necho "Version: ${version}"\n`, { mode: 0o755 });
      fs.mkdirSync(path.dirname(bin), { recursive: true });
      fake(pinned);
      const cacheDir = path.join(root, 'cache');
      const times = () => fs.readFileSync(asked, 'utf8').split('\n').filter(Boolean).length;
      expect(await findTool(root, 'opa', { cacheDir })).toMatchObject({ found: true, version: pinned });
      expect(await findTool(root, 'opa', { cacheDir })).toMatchObject({ found: true, version: pinned });
      expect(times()).toBe(1);
      fake('0.0.1-replaced');
      const mtime = new Date(Date.now() + 5_000);
      fs.utimesSync(bin, mtime, mtime);
      expect(await findTool(root, 'opa', { cacheDir })).toMatchObject({ found: false, diagnostic: expect.stringContaining('0.0.1-replaced') });
      expect(times()).toBe(2);
      fs.writeFileSync(path.join(cacheDir, 'tool-versions.json'), 'not json');
      expect(await findTool(root, 'opa', { cacheDir })).toMatchObject({ found: false });
      expect(times()).toBe(3);
    } finally {
      process.env.PATH = savedPath;
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  describe('without opa', () => {
    let root: string;
    const savedPath = process.env.PATH;
    beforeAll(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-no-opa-'));
      fs.mkdirSync(path.join(root, 'tools'));
      fs.copyFileSync(path.join(ROOT, 'tools/versions.env'), path.join(root, 'tools/versions.env'));
      process.env.PATH = '/nonexistent';
    });
    afterAll(() => {
      process.env.PATH = savedPath;
      fs.rmSync(root, { recursive: true, force: true });
    });

    test('findOpa returns a diagnostic with the install command', async () => {
      const found = await findOpa(root);
      expect(found.found).toBe(false);
      if (found.found) return;
      expect(found.installCommand).toBe(INSTALL_COMMAND);
      expect(found.diagnostic).toMatch(/opa \S+ is not installed/);
    });

    test('the functions that need opa reject with a typed error carrying the install command', async () => {
      await expect(requireTool(root, 'opa')).rejects.toBeInstanceOf(ToolMissingError);
      const error = await runPolicyTests(root).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolMissingError);
      expect((error as ToolMissingError).installCommand).toBe('bash scripts/setup-tools.sh');
      expect((error as ToolMissingError).code).toBe('MESH300');
    });

    test('an opa of another version is reported, not used', async () => {
      const bin = path.join(root, '.tools/bin');
      fs.mkdirSync(bin, { recursive: true });
      fs.writeFileSync(path.join(bin, 'opa'), '#!/bin/sh\necho "Version: 0.0.1"\n', { mode: 0o755 });
      const found = await findOpa(root);
      expect(found.found).toBe(false);
      if (!found.found) expect(found.diagnostic).toMatch(/is 0\.0\.1, pinned is/);
    });
  });
});
