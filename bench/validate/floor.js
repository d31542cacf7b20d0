#!/usr/bin/env node
'use strict';
/**
 * The FLOOR of `mesh validate`: what reading and parsing the mesh alone costs.
 *
 *   node bench/validate/floor.js --root DIR
 *
 * Reads domains/domain-map.yaml, every domains/<domain>/<product>/data-product.yaml
 * (js-yaml) and every domains/<domain>/schemas/*.avsc (JSON.parse), single-threaded, and
 * prints {"specs":N,"schemas":N,"bytes":N} as JSON. No validation, no positions: a
 * validator cannot be faster than this on one core.
 */
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

function floor(root) {
  const dom = path.join(root, 'domains');
  let specs = 0, schemas = 0, bytes = 0, fields = 0;
  const readYaml = (p) => { const t = fs.readFileSync(p, 'utf8'); bytes += t.length; return yaml.load(t); };
  const map = readYaml(path.join(dom, 'domain-map.yaml'));
  if (!map || typeof map.domains !== 'object') throw new Error('domain-map.yaml has no domains');
  for (const d of fs.readdirSync(dom, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    const ddir = path.join(dom, d.name);
    for (const e of fs.readdirSync(ddir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === 'schemas') {
        const sdir = path.join(ddir, 'schemas');
        for (const f of fs.readdirSync(sdir)) {
          if (!f.endsWith('.avsc')) continue;
          const t = fs.readFileSync(path.join(sdir, f), 'utf8');
          bytes += t.length;
          fields += JSON.parse(t).fields.length;
          schemas++;
        }
      } else if (e.name !== 'policies') {
        const doc = readYaml(path.join(ddir, e.name, 'data-product.yaml'));
        if (!doc || !doc.metadata) throw new Error(`${d.name}/${e.name}: not a data product`);
        specs++;
      }
    }
  }
  return { specs, schemas, bytes, fields };
}

if (require.main === module) {
  const i = process.argv.indexOf('--root');
  const root = i > 0 ? process.argv[i + 1] : process.cwd();
  process.stdout.write(JSON.stringify(floor(root)) + '\n');
}
module.exports = { floor };
