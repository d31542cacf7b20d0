import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitError, validateChange, validateMesh, type Diagnostic } from '../src';
import { applyEdits, gitMesh, MAP, meshWith, ORDER_SCHEMA, ORDERS, replace, REVENUE, REVENUE_SCHEMA } from './helpers';

const CACHE_FILE = 'spec-index.json';

function lines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);
}

function cacheDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-spec-cache-'));
}

describe('validateChange', () => {
  it('runs every rule on the changed product and the rules across products on its readers', () => {
    const { root } = gitMesh();
    applyEdits(root, { [ORDER_SCHEMA]: replace('{ "name": "amount", "type": "double" },\n', '') });
    const change = validateChange(root, { base: 'HEAD' });
    expect(change.scope.changed).toEqual(['orders/order-events-v1']);
    expect(change.scope.readers).toEqual(['finance/revenue-daily']);
    expect(change.scope.changedFiles).toEqual([ORDER_SCHEMA]);
    // The reader's field reference breaks, although its own spec did not change.
    expect(lines(change.diagnostics).some((l) => l.startsWith(`MESH109 ${REVENUE}:`) && l.includes('"amount"'))).toBe(true);
    expect(lines(change.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
    expect(change.summary).toEqual(validateMesh(root).summary);
  });

  it('judges again a product whose REFERENCES rule reads a changed product, with both schemas', () => {
    const { root, commit } = gitMesh();
    commit({ [ORDERS]: replace('    - rule: "order_id IS NOT NULL"\n', '    - rule: "order_id IS NOT NULL"\n    - rule: "amount REFERENCES finance/revenue-daily.revenue_by_day.revenue_usd"\n') });
    expect(validateMesh(root).diagnostics).toEqual([]);
    applyEdits(root, { [REVENUE_SCHEMA]: replace('"name": "revenue_usd", "type": "double"', '"name": "revenue_usd", "type": "string"') });
    const change = validateChange(root, { base: 'HEAD' });
    expect(change.scope.changed).toEqual(['finance/revenue-daily']);
    expect(change.scope.readers).toEqual(['orders/order-events-v1']);
    // orders does not read revenue through a port, yet its rule can no longer find a value
    expect(lines(change.diagnostics).some((l) => l.startsWith(`MESH404 ${ORDERS}:`) && l.includes('amount is a number and revenue_usd a text'))).toBe(true);
    expect(lines(change.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
  });

  it('reaches every product of a domain whose map entry changed', () => {
    const { root } = gitMesh();
    applyEdits(root, { [MAP]: replace(/owner_team: [a-z-]+/, 'owner_team: new-owners') });
    const change = validateChange(root, { base: 'HEAD' });
    expect(change.scope.changed.length).toBeGreaterThan(0);
    expect(change.diagnostics.some((d) => d.code === 'MESH103')).toBe(true);
    expect(lines(change.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
  });

  it('parses each spec once per content and keeps the parse between runs', () => {
    const { root } = gitMesh();
    const dir = cacheDir();
    const first = validateChange(root, { base: 'HEAD', cacheDir: dir });
    const products = first.scope.products;
    expect(first.scope.cache).toEqual({ hits: 0, parsed: products, notes: [] });
    applyEdits(root, { [ORDERS]: replace(/description: .*/, 'description: Reworded.') });
    const second = validateChange(root, { base: 'HEAD', cacheDir: dir });
    // The changed spec is parsed again; every other one comes from the cache.
    expect(second.scope.cache).toEqual({ hits: products - 1, parsed: 1, notes: [] });
    expect(lines(second.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
  });

  describe('a cache it cannot trust is ignored, said so, and rebuilt', () => {
    const cases: [string, (file: string) => void, RegExp][] = [
      ['a flipped byte in the body', (f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"metadata"', '"metadatb"')), /corrupt \(its checksum does not match\)/],
      ['a truncated file', (f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 200)), /corrupt/],
      ['another format', (f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('mesh-spec-cache/1', 'mesh-spec-cache/0')), /another format/],
      ['other JSON Schemas', (f) => fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/"schemas":"[0-9a-f]+"/, '"schemas":"0"')), /other versions of the contract/],
      ['not a cache at all', (f) => fs.writeFileSync(f, 'hello'), /not a spec cache/],
      ['a header that is not JSON', (f) => fs.writeFileSync(f, '{oops\n{}'), /not a spec cache/],
    ];
    it.each(cases)('%s', (_name, damage, note) => {
      const { root } = gitMesh();
      const dir = cacheDir();
      const clean = validateChange(root, { base: 'HEAD', cacheDir: dir });
      damage(path.join(dir, CACHE_FILE));
      const damaged = validateChange(root, { base: 'HEAD', cacheDir: dir });
      expect(damaged.scope.cache.hits).toBe(0);
      expect(damaged.scope.cache.notes).toEqual([expect.stringMatching(note)]);
      expect(lines(damaged.diagnostics)).toEqual(lines(clean.diagnostics));
      // Rewritten: the next run uses it again.
      expect(validateChange(root, { base: 'HEAD', cacheDir: dir }).scope.cache).toEqual({ hits: clean.scope.products, parsed: 0, notes: [] });
    });

    it('a cache directory that cannot be written costs only the cache', () => {
      const { root } = gitMesh();
      const notADirectory = path.join(cacheDir(), 'file');
      fs.writeFileSync(notADirectory, '');
      const change = validateChange(root, { base: 'HEAD', cacheDir: notADirectory });
      expect(change.scope.cache.notes).toEqual([expect.stringMatching(/^could not write /)]);
      expect(lines(change.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
    });
  });

  it('a spec that fails its JSON Schema (here: .inf where an integer belongs) is parsed every time, never cached', () => {
    const { root, commit } = gitMesh();
    commit({ [ORDERS]: replace(/retention_days: \d+/, 'retention_days: .inf') });
    const dir = cacheDir();
    validateChange(root, { base: 'HEAD', cacheDir: dir });
    const again = validateChange(root, { base: 'HEAD', cacheDir: dir });
    expect(again.scope.cache.parsed).toBeGreaterThanOrEqual(1);
    expect(lines(again.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
  });

  it('works on a mesh in a folder of a larger repository', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-monorepo-'));
    const root = path.join(repo, 'data', 'mesh');
    fs.mkdirSync(path.dirname(root), { recursive: true });
    fs.cpSync(meshWith(), root, { recursive: true });
    fs.writeFileSync(path.join(repo, 'README.md'), 'other things\n');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.email=mesh@example.com', '-c', 'user.name=mesh', ...args]);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const dir = cacheDir();
    validateChange(root, { base: 'HEAD', cacheDir: dir });
    applyEdits(root, { [ORDER_SCHEMA]: replace('{ "name": "amount", "type": "double" },\n', '') });
    const change = validateChange(root, { base: 'HEAD', cacheDir: dir });
    expect(change.scope.changedFiles).toEqual([ORDER_SCHEMA]);
    expect(change.scope.readers).toEqual(['finance/revenue-daily']);
    expect(change.scope.cache.hits).toBe(change.scope.products);
    expect(lines(change.diagnostics)).toEqual(lines(validateMesh(root).diagnostics));
  });

  it('an unknown base or a folder outside git is an environment error', () => {
    const { root } = gitMesh();
    expect(() => validateChange(root, { base: 'no-such-branch' })).toThrow(GitError);
    expect(() => validateChange(root, { base: '--output=/tmp/x' })).toThrow(GitError);
    expect(() => validateChange(fs.mkdtempSync(path.join(os.tmpdir(), 'not-git-')), { base: 'HEAD' })).toThrow(GitError);
  });
});
