import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh } from './helpers';

describe('mesh catalog build', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-cli-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes the site of the example mesh, and replaces it on the next build', async () => {
    const out = path.join(tmp, 'site');
    const run = await mesh(['catalog', 'build', '--out', out, '--no-history', '--base-url', 'https://example.org/mesh/']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✔ catalog: \d+ products in \d+ domains, \d+ files \([\d.]+ MB\) in .*site; open .*index\.html\n$/);
    expect(fs.readFileSync(path.join(out, 'products/logistics/fulfillment-kpis.html'), 'utf8')).toContain('<link rel="canonical" href="https://example.org/mesh/products/logistics/fulfillment-kpis.html">');
    fs.writeFileSync(path.join(out, 'stale.html'), 'from an old build');
    expect((await mesh(['catalog', 'build', '--out', out, '--no-history'])).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'stale.html'))).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual(['site']);
  });

  it.each([
    [['--base-url', 'javascript:alert(1)'], /--base-url javascript:alert\(1\): an http\(s\) URL is expected/],
    [['--base-url', 'not a url'], /--base-url not a url: not an absolute URL/],
  ])('refuses %j with exit 2', async (args, message) => {
    const run = await mesh(['catalog', 'build', '--out', path.join(tmp, 'site'), ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a folder it did not write, and a file, with exit 2 and leaves them as they were', async () => {
    fs.writeFileSync(path.join(tmp, 'notes.txt'), 'mine');
    const run = await mesh(['catalog', 'build', '--out', tmp]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the folder is not empty and was not written by mesh catalog build');
    expect(fs.readFileSync(path.join(tmp, 'notes.txt'), 'utf8')).toBe('mine');
    const file = await mesh(['catalog', 'build', '--out', path.join(tmp, 'notes.txt')]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('a file, not a folder');
  });

  it('outside a mesh: exit 2 naming where it looked', async () => {
    const run = await mesh(['catalog', 'build', '--out', path.join(tmp, 'site')], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no domains/domain-map.yaml');
  });
});
