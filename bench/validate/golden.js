#!/usr/bin/env node
'use strict';
/**
 * Captures what `mesh validate` prints, to prove that a performance change left the output
 * byte-identical.
 *
 *   node bench/validate/golden.js --out DIR [--cli packages/cli/bin/mesh.js] [--meshes a,b,...]
 *   diff -r DIR-before DIR-after
 *
 * For each mesh it runs `mesh validate --format json|text|github`, with the default threads
 * and with `--jobs 1` and `--jobs 2` (so the sharded path is compared too), and writes
 * stdout plus the exit code to DIR/<mesh>.<format>.<jobs>.txt. The meshes:
 *   repo       the repository's own domains/ (--root .)
 *   fixture    packages/spec/test/fixtures/base
 *   gen-1000   bench/out/validate-1000 (a clean generated mesh; made if missing)
 *   planted    a copy of gen-1000 with about 20 kinds of errors planted in one product of
 *              every 7 (malformed YAML, unknown keys, broken and non-Avro schemas, missing
 *              fields and columns, bad SLAs, wrong owners, dangling sources, aliases, ...)
 *   gen2       bench/out/validate2-1000 (bench/mesh-gen2's shape; made if missing)
 *   planted2   gen2 with the same kinds of errors planted
 *   gen-10000  bench/out/validate-10000 (only when listed in --meshes)
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const REPO = path.resolve(__dirname, '..', '..');
const OUT_BASE = path.join(REPO, 'bench', 'out');

function args(argv) {
  const o = { cli: path.join(REPO, 'packages', 'cli', 'bin', 'mesh.js'), meshes: ['repo', 'fixture', 'gen-1000', 'planted', 'gen2', 'planted2'] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') o.out = path.resolve(argv[++i]);
    else if (argv[i] === '--cli') o.cli = path.resolve(argv[++i]);
    else if (argv[i] === '--meshes') o.meshes = argv[++i].split(',');
    else throw new Error(`golden: unknown argument ${argv[i]}`);
  }
  if (!o.out) throw new Error('golden: --out DIR is required');
  return o;
}

function ensureGenerated(dir, generator, products) {
  if (fs.existsSync(path.join(dir, '.mesh-gen.json'))) return dir;
  const { generateMesh, writeMesh } = require(generator);
  writeMesh(generateMesh({ domains: Math.round(Math.sqrt(products)), products, seed: 1 }), dir);
  return dir;
}

/** Each mutation rewrites one product's spec (or its first schema); null when it does not apply. */
const MUTATIONS = [
  ['malformed-yaml', 'spec', (t) => t.replace(/^ {2}description: /m, '  description: note: ')],
  ['unknown-key', 'spec', (t) => t.replace(/^ {2}owner: (.*)$/m, '  owner: $1\n  ownr: typo')],
  ['wrong-owner', 'spec', (t) => t.replace(/^ {2}owner: .*$/m, '  owner: someone-else')],
  ['missing-input-field', 'spec', (t) => t.replace(/fields: \[/, 'fields: [no_such_field_x, ')],
  ['schema-not-json', 'schema', () => '{"type": "record", "name": \n'],
  ['schema-not-avro', 'schema', () => '{\n  "type": "record",\n  "name": "Broken"\n}\n'],
  ['quality-missing-column', 'spec', (t) => t.replace(/- rule: "([^"]*)"/, '- rule: "missing_col_zz > 0"')],
  ['quality-bad-syntax', 'spec', (t) => t.replace(/- rule: "([^"]*)"/, '- rule: "a >>> ( 3"')],
  ['bad-freshness', 'spec', (t) => t.replace(/freshness: "[^"]*"/, 'freshness: "soon-ish"')],
  ['version-suffix', 'spec', (t) => t.replace(/^ {2}version: "(\d+)\./m, (m, major) => `  version: "${Number(major) + 1}.`)],
  ['pii-missing', 'spec', (t) => (/pii_fields: \[/.test(t) ? t.replace(/pii_fields: \[/, 'pii_fields: [ghost_column, ') : null)],
  ['dangling-source', 'spec', (t) => t.replace(/sourceProduct: ([a-z0-9-]+)\/([a-z0-9-]+)/, 'sourceProduct: $1/$2-gone')],
  ['yaml-alias', 'spec', (t) => t.replace(/^metadata:\n/m, 'x-anchor: &anchor\n  a: 1\nmetadata:\n').replace(/^kind: DataProduct$/m, 'kind: DataProduct\nx-alias: *anchor')],
  ['duplicate-key', 'spec', (t) => t.replace(/^ {2}owner: (.*)$/m, '  owner: $1\n  owner: $1')],
  ['tab-indent', 'spec', (t) => t.replace(/^ {2}name: /m, '\tname: ')],
  ['retention-type', 'spec', (t) => t.replace(/retention_days: \d+/, 'retention_days: "forever"')],
  ['bad-uptime', 'spec', (t) => t.replace(/uptime: "[^"]*"/, 'uptime: "always"')],
  ['bad-schema-ref', 'spec', (t) => t.replace(/schema-registry:\/\/([a-z0-9-]+)\/([a-z0-9_]+)/, 'schema-registry://$1/$2_missing')],
  ['empty-file', 'spec', () => ''],
  ['bad-classification', 'spec', (t) => t.replace(/data_classification: \w+/, 'data_classification: secret')],
  ['no-spec-file', 'delete', null],
  ['bad-access-policy', 'spec', (t) => (/access_policy: /.test(t) ? t.replace(/access_policy: "opa:\/\/([^/]+)\/([^"]+)"/, 'access_policy: "opa://$1/$2-nope"') : null)],
  ['dotted-missing', 'spec', (t) => t.replace(/fields: \[/, 'fields: [payload.nope_zz, ')],
];

function plant(src, dir) {
  if (fs.existsSync(path.join(dir, '.planted'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(src, dir, { recursive: true });
  const dom = path.join(dir, 'domains');
  const products = [];
  for (const d of fs.readdirSync(dom).sort()) {
    const ddir = path.join(dom, d);
    if (!fs.statSync(ddir).isDirectory()) continue;
    for (const p of fs.readdirSync(ddir).sort()) if (p !== 'schemas' && p !== 'policies') products.push([d, p]);
  }
  const applied = {};
  let m = 0;
  for (let i = 3; i < products.length; i += 7) {
    const [d, p] = products[i];
    const specFile = path.join(dom, d, p, 'data-product.yaml');
    const [name, target, rewrite] = MUTATIONS[m++ % MUTATIONS.length];
    if (target === 'delete') {
      fs.rmSync(specFile);
      applied[name] = (applied[name] ?? 0) + 1;
      continue;
    }
    const spec = fs.readFileSync(specFile, 'utf8');
    let file = specFile;
    let text = spec;
    if (target === 'schema') {
      const ref = /schema-registry:\/\/([a-z0-9-]+)\/([a-z0-9_]+)/.exec(spec);
      if (!ref) continue;
      file = path.join(dom, ref[1], 'schemas', `${ref[2]}.avsc`);
      text = fs.readFileSync(file, 'utf8');
    }
    const after = rewrite(text);
    if (after === null || after === text) continue;
    fs.writeFileSync(file, after);
    applied[name] = (applied[name] ?? 0) + 1;
  }
  fs.writeFileSync(path.join(dir, '.planted'), JSON.stringify(applied, null, 1));
  return dir;
}

function meshDir(name) {
  switch (name) {
    case 'repo': return REPO;
    case 'fixture': return path.join(REPO, 'packages', 'spec', 'test', 'fixtures', 'base');
    case 'gen-1000': return ensureGenerated(path.join(OUT_BASE, 'validate-1000'), '../mesh-gen/generate.js', 1000);
    case 'gen-10000': return ensureGenerated(path.join(OUT_BASE, 'validate-10000'), '../mesh-gen/generate.js', 10000);
    case 'gen2': return ensureGenerated(path.join(OUT_BASE, 'validate2-1000'), '../mesh-gen2/generate.js', 1000);
    case 'planted': return plant(meshDir('gen-1000'), path.join(OUT_BASE, 'planted-1000'));
    case 'planted2': return plant(meshDir('gen2'), path.join(OUT_BASE, 'planted2-1000'));
    default: throw new Error(`golden: unknown mesh ${name}`);
  }
}

function main() {
  const o = args(process.argv.slice(2));
  fs.mkdirSync(o.out, { recursive: true });
  for (const name of o.meshes) {
    const root = meshDir(name);
    for (const format of ['json', 'text', 'github']) {
      for (const jobs of ['default', '1', '2']) {
        if (format === 'github' && jobs !== 'default') continue;
        const cmd = [o.cli, 'validate', '--root', root, '--format', format, ...(jobs === 'default' ? [] : ['--jobs', jobs])];
        const r = spawnSync(process.execPath, cmd, { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
        fs.writeFileSync(path.join(o.out, `${name}.${format}.${jobs}.txt`), `${r.stdout}\n--- stderr\n${r.stderr}\n--- exit ${r.status}\n`);
        process.stdout.write(`${name} ${format} jobs=${jobs}: exit ${r.status}, ${r.stdout.length} bytes\n`);
      }
    }
  }
}

main();
