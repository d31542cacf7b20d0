'use strict';
/**
 * scripts/api-check.js on a fixture package in a git repository of its own, with the real API
 * Extractor: a report not updated fails; an export removed (or narrowed) since the released
 * report fails without a major changeset and passes with one; additions and doc comments need none.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { checkApi, lostLines } = require('../../scripts/api-check.js');

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '..', '..');
const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-api-check-'));
const pkgDir = path.join(repo, 'packages', 'fx');
const pkg = { name: '@data-mesh/fx', dir: pkgDir, version: '1.0.0' };
const git = (...args) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
const dts = (text) => fs.writeFileSync(path.join(pkgDir, 'dist', 'index.d.ts'), text);
const changeset = (bump) => fs.writeFileSync(path.join(repo, '.changeset', 'fx.md'), `---\n"@data-mesh/fx": ${bump}\n---\n\nwhy\n`);
const check = (options) => checkApi(repo, [pkg], options);

const V1 = 'export declare function parse(text: string | number): number;\nexport declare const LIMIT: number;\nexport interface Options {\n    readonly strict?: boolean;\n}\n';

beforeAll(() => {
  fs.mkdirSync(path.join(pkgDir, 'dist'), { recursive: true });
  fs.mkdirSync(path.join(repo, '.changeset'));
  fs.copyFileSync(path.join(REPO, 'api-extractor.base.json'), path.join(repo, 'api-extractor.base.json'));
  fs.copyFileSync(path.join(REPO, 'packages', 'cdk', 'api-extractor.json'), path.join(pkgDir, 'api-extractor.json'));
  fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, types: 'dist/index.d.ts' }, null, 2));
  fs.writeFileSync(path.join(pkgDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, types: [] }, files: ['dist/index.d.ts'] }));
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
  dts(V1);
  git('init', '-q');
  expect(check({ update: true })).toEqual([]);
  git('add', '-A');
  git('commit', '-qm', 'release 1.0.0 with its API report');
});
// Each test starts from the release: its d.ts and committed report, no pending changeset.
beforeEach(() => {
  git('checkout', '-q', '--', '.');
  fs.rmSync(path.join(repo, '.changeset', 'fx.md'), { force: true });
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

test('the released API, unchanged: passes', () => {
  expect(check()).toEqual([]);
});

test('an API change without the report updated: fails, naming the report and what was lost', () => {
  dts(V1.replace('export declare const LIMIT: number;\n', ''));
  expect(check()).toEqual([expect.stringMatching(/^@data-mesh\/fx: the API changed and packages\/fx\/etc\/fx\.api\.md was not updated \(lost: export const LIMIT: number;\): node scripts\/api-check\.js --update/)]);
});

test('an export removed, report updated, no changeset or a minor one: fails; a major changeset: passes', () => {
  dts(V1.replace('export declare const LIMIT: number;\n', ''));
  expect(check({ update: true })).toEqual([expect.stringMatching(/^@data-mesh\/fx: exports removed or narrowed since 1\.0\.0 without a major changeset \(none pending\): export const LIMIT: number;/)]);
  expect(check()).toHaveLength(1);
  changeset('minor');
  expect(check()).toEqual([expect.stringMatching(/without a major changeset \(the pending one is minor\)/)]);
  changeset('major');
  expect(check()).toEqual([]);
});

test('a parameter narrowed: fails without a major changeset', () => {
  dts(V1.replace('text: string | number', 'text: string'));
  expect(check({ update: true })).toEqual([expect.stringMatching(/exports removed or narrowed since 1\.0\.0 .*export function parse\(text: string \| number\): number;/)]);
});

test('an export added and a doc comment written: the report changes, no changeset needed', () => {
  dts(`/** Parses. */\n${V1}export declare const EXTRA = 1;\n`);
  expect(check()).toEqual([expect.stringMatching(/was not updated \(additions only\)/)]);
  expect(check({ update: true })).toEqual([]);
  expect(check()).toEqual([]);
});

test('lostLines counts repeated lines (one of two identical members removed is lost)', () => {
  expect(lostLines('```ts\n    a: number;\n    a: number;\n```\n', '```ts\n    a: number;\n```\n')).toEqual(['a: number;']);
});
