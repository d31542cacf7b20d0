'use strict';
/**
 * The Node versions the repository supports, stated once: the root package.json's
 * `engines.node`. Every workspace says the same, the Node running the tests is one of them,
 * and every package in package-lock.json accepts every version in that range, so `npm ci`
 * on a supported Node prints no EBADENGINE warning (npm records each package's `engines` in
 * the lockfile; the overrides in the root package.json pin the few that would not).
 */
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');

const REPO = path.resolve(__dirname, '..', '..');
const root = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8'));
const RANGE = root.engines.node;

/** The workspace folders the root's `workspaces` globs name (`dir/*` or a folder). */
function workspaces() {
  return root.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const dir = pattern.slice(0, -2);
    return fs.readdirSync(path.join(REPO, dir)).map((d) => `${dir}/${d}`).filter((d) => fs.existsSync(path.join(REPO, d, 'package.json')));
  });
}

test('the root declares one valid range of Node versions', () => {
  expect(semver.validRange(RANGE)).not.toBeNull();
  expect(root.workspaces).toContain('bench');
});

test('every workspace declares the root range', () => {
  const found = workspaces().map((dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, dir, 'package.json'), 'utf8'));
    return { dir, node: pkg.engines?.node };
  });
  expect(found.length).toBeGreaterThanOrEqual(9);
  expect(found).toEqual(found.map(({ dir }) => ({ dir, node: RANGE })));
});

test('the Node running the tests is a supported one', () => {
  expect({ node: process.version, supported: semver.satisfies(process.version, RANGE) }).toEqual({ node: process.version, supported: true });
});

test('the lockfile records the ranges package.json declares', () => {
  expect(lock.packages[''].engines?.node).toBe(RANGE);
  for (const dir of workspaces()) expect({ dir, node: lock.packages[dir]?.engines?.node }).toEqual({ dir, node: RANGE });
});

test('every locked package accepts every supported Node (npm ci prints no EBADENGINE)', () => {
  const refused = Object.entries(lock.packages)
    .filter(([, p]) => p.engines?.node && !semver.subset(RANGE, p.engines.node))
    .map(([key, p]) => `${key}@${p.version} wants node ${p.engines.node}`);
  expect(refused).toEqual([]);
});
