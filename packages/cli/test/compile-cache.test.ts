import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_FIXTURE, REPO_ROOT } from './helpers';

const BIN = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');
const uid = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;

/** The built binary, with the temp folder (where the compile cache lives) at `tmp`. */
function run(tmp: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, 'validate', '--no-policy', '--root', BASE_FIXTURE], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/mesh.js keeps V8 compiled code of the bundle between runs', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-compile-cache-test-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const cacheDir = () => path.join(tmp, `mesh-compile-cache-${uid}`);
  const cacheFiles = () => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()) : []);

  it('writes one cache per command, reads it back unchanged, and the output is the same', () => {
    const first = run(tmp);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    expect(cacheFiles()).toEqual([expect.stringMatching(/^[0-9a-f]{32}-validate\.bin$/)]);
    const file = path.join(cacheDir(), cacheFiles()[0]!);
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(fs.statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const written = fs.statSync(file).mtimeMs;
    expect(run(tmp)).toEqual(first);
    expect(fs.statSync(file).mtimeMs).toBe(written); // accepted by V8, so not rewritten
  });

  it('a corrupt cache is refused by V8, the run is unaffected and the cache is written anew', () => {
    const first = run(tmp);
    const file = path.join(cacheDir(), cacheFiles()[0]!);
    fs.writeFileSync(file, Buffer.alloc(4096, 7));
    expect(run(tmp)).toEqual(first);
    expect(fs.readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('NODE_DISABLE_COMPILE_CACHE turns it off; a cache folder others may write is not used', () => {
    const first = run(tmp, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(first.status).toBe(0);
    expect(fs.existsSync(cacheDir())).toBe(false);
    fs.mkdirSync(cacheDir(), { mode: 0o777 });
    fs.chmodSync(cacheDir(), 0o777);
    expect(run(tmp)).toEqual(first);
    expect(cacheFiles()).toEqual([]);
  });
});
