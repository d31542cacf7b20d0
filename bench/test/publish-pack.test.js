'use strict';
/**
 * What `npm publish` would put in each publishable package's tarball (`npm pack --dry-run
 * --json`), and the publishing fields of its package.json. The publishable packages are the
 * fixed group of .changeset/config.json (one version for all: they depend on each other's exact
 * versions). Needs the packages built (npm run build): a missing dist is a failure that says so.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, '..', '..');
const root = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const { fixed } = JSON.parse(fs.readFileSync(path.join(REPO, '.changeset', 'config.json'), 'utf8'));
const PUBLISHABLE = fixed[0];

/** Workspace folder of each package name under packages/. */
const DIRS = Object.fromEntries(
  fs
    .readdirSync(path.join(REPO, 'packages'))
    .filter((d) => fs.existsSync(path.join(REPO, 'packages', d, 'package.json')))
    .map((d) => [JSON.parse(fs.readFileSync(path.join(REPO, 'packages', d, 'package.json'), 'utf8')).name, `packages/${d}`]),
);

/** The files of a folder, relative to it, without node_modules. */
function walk(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** The file paths an exports map points at (conditions and subpaths flattened). */
function exportTargets(exp) {
  if (typeof exp === 'string') return [exp];
  if (exp === null || typeof exp !== 'object') return [];
  return Object.values(exp).flatMap(exportTargets);
}

const packs = new Map();
/** `npm pack --dry-run --json` of one package: its file list. */
function pack(name) {
  if (!packs.has(name)) {
    const dir = path.join(REPO, DIRS[name]);
    if (!fs.existsSync(path.join(dir, 'dist'))) throw new Error(`${name} is not built (${DIRS[name]}/dist is missing): npm run build`);
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    packs.set(name, JSON.parse(out)[0].files.map((f) => f.path));
  }
  return packs.get(name);
}

test('the publishable set is the packages that are not private, and each exists', () => {
  expect(PUBLISHABLE.length).toBeGreaterThanOrEqual(6);
  for (const name of PUBLISHABLE) expect({ name, dir: DIRS[name] ?? 'missing' }).toEqual({ name, dir: expect.stringMatching(/^packages\//) });
  const notPrivate = Object.entries(DIRS)
    .filter(([, dir]) => !JSON.parse(fs.readFileSync(path.join(REPO, dir, 'package.json'), 'utf8')).private)
    .map(([name]) => name);
  expect([...notPrivate].sort()).toEqual([...PUBLISHABLE].sort());
});

test('changesets ignores every private workspace (infra, bench, the Action, the Python SDK): never versioned or published', () => {
  const { ignore } = JSON.parse(fs.readFileSync(path.join(REPO, '.changeset', 'config.json'), 'utf8'));
  const privates = root.workspaces
    .flatMap((w) => (w.endsWith('/*') ? fs.readdirSync(path.join(REPO, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w]))
    .filter((d) => fs.existsSync(path.join(REPO, d, 'package.json')))
    .map((d) => JSON.parse(fs.readFileSync(path.join(REPO, d, 'package.json'), 'utf8')))
    .filter((p) => p.private)
    .map((p) => p.name);
  expect(privates.length).toBeGreaterThanOrEqual(4);
  expect([...ignore].sort()).toEqual([...privates].sort());
});

describe.each(PUBLISHABLE)('%s', (name) => {
  const dir = () => DIRS[name];
  const manifest = () => JSON.parse(fs.readFileSync(path.join(REPO, dir(), 'package.json'), 'utf8'));

  test('package.json has the publishing fields', () => {
    const pkg = manifest();
    expect({
      engines: pkg.engines,
      repository: pkg.repository,
      publishConfig: pkg.publishConfig,
      hasExports: typeof pkg.exports === 'object' && pkg.exports !== null && '.' in pkg.exports,
      types: typeof pkg.types,
      files: Array.isArray(pkg.files),
    }).toEqual({
      engines: { node: root.engines.node },
      repository: { type: 'git', url: root.repository.url, directory: dir() },
      publishConfig: { access: 'public', provenance: true },
      hasExports: true,
      types: 'string',
      files: true,
    });
  });

  test('it depends at run time only on published packages (never the private infra app)', () => {
    const pkg = manifest();
    const internal = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies }).filter((d) => d.startsWith('@data-mesh/'));
    expect(internal.filter((d) => !PUBLISHABLE.includes(d))).toEqual([]);
  });

  test('the tarball holds no tests, fixtures, sources, source maps or build info, and its entry points', () => {
    const files = pack(name);
    const unwanted = files.filter(
      (f) => /(^|\/)(test|tests|__tests__|fixtures?|__fixtures__)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(f) || /\.map$/.test(f) || /\.tsbuildinfo$/.test(f) || /\.api\.md$/.test(f) || (/^src\//.test(f)) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)),
    );
    expect(unwanted).toEqual([]);
    const pkg = manifest();
    const targets = [pkg.main, pkg.types, ...exportTargets(pkg.exports), ...Object.values(pkg.bin ?? {})].filter(Boolean).map((t) => t.replace(/^\.\//, ''));
    const missing = targets.filter((t) => (t.includes('*') ? !files.some((f) => new RegExp(`^${t.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('\\*', '.+').replace('*', '.+')}$`).test(f)) : !files.includes(t)));
    expect(missing).toEqual([]);
  });

  test('no file in the tarball names this checkout\'s absolute path', () => {
    const leaking = pack(name).filter((f) => {
      const full = path.join(REPO, dir(), f);
      return fs.statSync(full).size < 20 * 1024 * 1024 && fs.readFileSync(full, 'utf8').includes(REPO);
    });
    expect(leaking).toEqual([]);
  });
});

test('@data-mesh/cdk ships every Lambda handler file', () => {
  const lambda = walk(path.join(REPO, 'packages/cdk/lambda')).map((f) => `lambda/${f}`);
  expect(lambda.length).toBeGreaterThanOrEqual(6);
  expect(lambda.filter((f) => !pack('@data-mesh/cdk').includes(f))).toEqual([]);
});

test('@data-mesh/spec ships its JSON schemas and the compiled validators', () => {
  const files = pack('@data-mesh/spec');
  const schemas = fs.readdirSync(path.join(REPO, 'packages/spec/schemas')).filter((f) => f.endsWith('.json')).map((f) => `schemas/${f}`);
  expect(schemas.length).toBeGreaterThanOrEqual(3);
  expect([...schemas, 'dist/schema-validators.fast.js', 'dist/schema-validators.detailed.js', 'dist/parallel/shard-worker.js'].filter((f) => !files.includes(f))).toEqual([]);
});

test('@data-mesh/cli ships the bundle its bin runs, and @data-mesh/catalog the site assets', () => {
  expect(pack('@data-mesh/cli')).toEqual(expect.arrayContaining(['bin/mesh.js', 'bin/compile-cache.js', 'dist/mesh.bundle.js']));
  const assets = walk(path.join(REPO, 'packages/catalog/assets')).map((f) => `assets/${f}`);
  expect(assets.filter((f) => !pack('@data-mesh/catalog').includes(f))).toEqual([]);
});
