#!/usr/bin/env node
// Bundles the Action into dist/ (committed: a runner executes dist/index.js as is).
//
//   node scripts/bundle.js [--outdir DIR] [--ref REV]
//
// --ref REV builds from the sources committed at REV (git archive of packages/ and this folder
// into a temporary tree, node_modules linked from the checkout), not from the working tree:
// what to commit as dist/ when others' uncommitted work shares the working tree.
//
// - @data-mesh/* resolve to the workspace *sources* (packages/<name>/src/index.ts, or src/<entry>.ts
//   for a subpath such as @data-mesh/spec/core), like jest,
//   so the bundle never picks up a stale packages/*/dist.
// - CommonJS for node; @actions/core and @actions/github are ESM-only and esbuild converts them.
// - dist/parallel/shard-worker.js is the worker thread @data-mesh/spec's parallel validation
//   starts (it looks for it beside its own module); dist/schemas/ holds the contract's JSON Schemas
//   @data-mesh/spec reads at run time.
// - The Action must start fast: the build fails if anything pulls in aws-cdk-lib.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const { execFileSync } = require('node:child_process');
const Module = require('node:module');
const os = require('node:os');

const CHECKOUT = path.resolve(__dirname, '..', '..', '..');
const ACTION_DIR = path.join('actions', 'mesh-check');
let REPO = CHECKOUT;
/** --engine FILE: a stand-in for @data-mesh/check (only while the engine is being written). */
let ENGINE;

/** Extracts packages/ and the Action's sources at `ref` into a temporary tree whose node_modules are the checkout's. */
function committedTree(ref) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-check-src-'));
  const tar = execFileSync('git', ['-C', CHECKOUT, 'archive', '--format=tar', ref, '--', 'packages', ACTION_DIR, 'tsconfig.base.json'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  fs.symlinkSync(path.join(CHECKOUT, 'node_modules'), path.join(dir, 'node_modules'));
  for (const p of fs.readdirSync(path.join(dir, 'packages'))) {
    const nm = path.join(CHECKOUT, 'packages', p, 'node_modules');
    if (fs.existsSync(nm)) fs.symlinkSync(nm, path.join(dir, 'packages', p, 'node_modules'));
  }
  return dir;
}

let validatorsBuild;
/** The tree's packages/spec/src/json-schema-build.ts, compiled and loaded where it lies (it reads ../schemas). */
function standaloneValidators() {
  if (validatorsBuild) return validatorsBuild;
  const file = path.join(REPO, 'packages', 'spec', 'src', 'json-schema-build.ts');
  const out = esbuild.buildSync({ entryPoints: [file], bundle: true, platform: 'node', format: 'cjs', packages: 'external', write: false, logLevel: 'warning' });
  const loaded = new Module(file);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  loaded._compile(out.outputFiles[0].text, file);
  return (validatorsBuild = loaded.exports);
}

function workspaceSources(schemaDirFromBundle) {
  return {
    name: 'workspace-sources',
    setup(build) {
      // A subpath entry (@data-mesh/spec/core) is src/<subpath>.ts of its package.
      build.onResolve({ filter: /^@data-mesh\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
        const [name, entry = 'index'] = args.path.slice('@data-mesh/'.length).split('/');
        if (name === 'check' && ENGINE) return { path: ENGINE };
        const file = path.join(REPO, 'packages', name, 'src', `${entry}.ts`);
        if (!fs.existsSync(file)) return { errors: [{ text: `${args.path}: ${path.relative(REPO, file)} does not exist (yet)` }] };
        return { path: file };
      });
      // The spec package's build writes ajv's standalone validators into its dist/; the bundle
      // takes the same code, generated here from the tree's own schemas, so the Action compiles
      // no schema at run time.
      build.onResolve({ filter: /^\.\/schema-validators\.(fast|detailed)\.js$/ }, (args) => ({ path: args.path, namespace: 'standalone-validators' }));
      build.onLoad({ filter: /.*/, namespace: 'standalone-validators' }, (args) => ({
        contents: standaloneValidators().standaloneSource(/\.(fast|detailed)\.js$/.exec(args.path)[1]),
        loader: 'js',
        resolveDir: path.join(REPO, 'packages', 'spec', 'src'),
      }));
      // @data-mesh/spec finds its JSON Schemas at <module dir>/../schemas; in the bundle they sit
      // at dist/schemas, so the one expression that says where is rewritten (and must exist).
      const jsonSchema = path.join(REPO, 'packages', 'spec', 'src', 'json-schema.ts');
      build.onLoad({ filter: /[\\/]json-schema\.ts$/ }, async (args) => {
        if (path.resolve(args.path) !== jsonSchema) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        const expr = /nodePath\.join\(__dirname, '\.\.', 'schemas'\)/;
        if (!expr.test(source)) {
          return { errors: [{ text: "packages/spec/src/json-schema.ts no longer says nodePath.join(__dirname, '..', 'schemas'): update actions/mesh-check/scripts/bundle.js" }] };
        }
        return { contents: source.replace(expr, `nodePath.join(__dirname, ${JSON.stringify(schemaDirFromBundle)})`), loader: 'ts' };
      });
    },
  };
}

async function bundle(entry, outfile, schemaDirFromBundle) {
  const result = await esbuild.build({
    // Paths in the bundle's comments are relative to this: the same output from any cwd and
    // from the temporary tree of --ref.
    absWorkingDir: path.join(REPO, ACTION_DIR),
    // --ref links the checkout's node_modules into the temporary tree: keep those paths as seen.
    preserveSymlinks: true,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    conditions: ['node', 'import', 'require'],
    legalComments: 'none',
    minifySyntax: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [workspaceSources(schemaDirFromBundle)],
    banner: { js: '// Generated by actions/mesh-check/scripts/bundle.js: do not edit. `npm run build -w actions/mesh-check`.' },
  });
  const heavy = Object.keys(result.metafile.inputs).filter((f) => /node_modules[\\/](aws-cdk-lib|constructs|@aws-cdk)[\\/]/.test(f));
  if (heavy.length) throw new Error(`the Action must not import aws-cdk-lib, but ${outfile} pulls in:\n  ${heavy.slice(0, 10).join('\n  ')}`);
  return result;
}

async function main() {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const outdir = path.resolve(arg('--outdir') ?? path.join(CHECKOUT, ACTION_DIR, 'dist'));
  const ref = arg('--ref');
  if (arg('--engine')) ENGINE = path.resolve(arg('--engine'));
  if (ref) REPO = committedTree(ref);
  const ACTION = path.join(REPO, ACTION_DIR);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outdir, 'schemas'), { recursive: true });
  await bundle(path.join(ACTION, 'src', 'index.ts'), path.join(outdir, 'index.js'), 'schemas');
  await bundle(path.join(REPO, 'packages', 'spec', 'src', 'parallel', 'shard-worker.ts'), path.join(outdir, 'parallel', 'shard-worker.js'), '../schemas');
  const schemas = path.join(REPO, 'packages', 'spec', 'schemas');
  for (const f of fs.readdirSync(schemas).filter((n) => n.endsWith('.json')).sort()) {
    fs.copyFileSync(path.join(schemas, f), path.join(outdir, 'schemas', f));
  }
  if (ref) fs.rmSync(REPO, { recursive: true, force: true });
  const size = fs.statSync(path.join(outdir, 'index.js')).size;
  console.log(`bundle: ${path.relative(process.cwd(), outdir) || '.'}/index.js ${(size / 1024).toFixed(0)} KiB`);
}

main().catch((error) => {
  console.error(`bundle: ${error.message}`);
  process.exit(1);
});
