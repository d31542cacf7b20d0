#!/usr/bin/env node
'use strict';
/**
 * Independent self-check of a generated mesh against docs/contract.md (not the validator:
 * a second, deliberately simple reading of the contract, used to tell generator bugs from
 * validator bugs).
 *
 *   node bench/mesh-gen/check.js DIR        exit 0 when clean, 1 with the problems listed
 */
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SNAKE = /^[a-z][a-z0-9_]*$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// the central limits; the generator must respect them too
const STANDARDS = {
  classifications: { public: { max_retention_days: 3650 }, internal: { max_retention_days: 1825 }, confidential: { max_retention_days: 1095 }, restricted: { max_retention_days: 730 } },
  tiers: { 'tier-1': { min_uptime_percent: 99.9 } },
};
try { Object.assign(STANDARDS, yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'governance', 'standards.yaml'), 'utf8'))); } catch { /* defaults above */ }
const UNIT_MIN = { second: 1 / 60, minute: 1, hour: 60, day: 1440 };

function staleness(s) {
  const m = /^< (\d+) (second|minute|hour|day)s?(?: after (?:midnight|([01]\d|2[0-3]):([0-5]\d)) UTC)?$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]) * UNIT_MIN[m[2]];
  return / after /.test(s) ? 1440 + n : n;
}
function uptime(s) {
  const m = /^(\d{1,3}(?:\.\d+)?)%$/.exec(s);
  return m && Number(m[1]) <= 100 ? Number(m[1]) / 100 : null;
}

/** leaves of an Avro record: [{ path, name }] (records are walked, nullable records too) */
function leaves(schema, prefix, out, problems, file, names) {
  for (const f of schema.fields || []) {
    if (!AVRO_NAME.test(f.name)) problems.push(`${file}: bad field name ${f.name}`);
    const p = prefix ? `${prefix}.${f.name}` : f.name;
    let t = f.type;
    const union = Array.isArray(t);
    if (union) {
      if ('default' in f && f.default !== null && t[0] === 'null') problems.push(`${file}: ${p} default must match the first branch`);
      const nonNull = t.filter((x) => x !== 'null');
      t = nonNull.length === 1 ? nonNull[0] : t;
    }
    if (t && typeof t === 'object' && !Array.isArray(t)) {
      if (t.type === 'record' || t.type === 'enum') {
        if (!AVRO_NAME.test(t.name)) problems.push(`${file}: bad type name ${t.name}`);
        if (names.has(t.name)) problems.push(`${file}: type ${t.name} defined twice`);
        names.add(t.name);
      }
      if (t.type === 'record') { leaves(t, p, out, problems, file, names); continue; }
      if (t.type === 'enum' && !union && 'default' in f && !t.symbols.includes(f.default)) problems.push(`${file}: ${p} enum default`);
    }
    out.push({ path: p, name: f.name, top: !prefix });
  }
  return out;
}

function check(root) {
  const problems = [];
  const dom = path.join(root, 'domains');
  const map = yaml.load(fs.readFileSync(path.join(dom, 'domain-map.yaml'), 'utf8')).domains;
  const products = new Map(); // domain/name -> info
  const schemaCache = new Map();
  const loadSchema = (ref, file) => {
    const m = /^schema-registry:\/\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\/([a-z][a-z0-9_]*)$/.exec(ref);
    if (!m) { problems.push(`${file}: bad schema ref ${ref}`); return null; }
    const p = path.join(dom, m[1], 'schemas', `${m[2]}.avsc`);
    if (schemaCache.has(p)) return schemaCache.get(p);
    let s = null;
    try {
      const avro = JSON.parse(fs.readFileSync(p, 'utf8'));
      if (avro.type !== 'record') throw new Error('not a record');
      s = { path: p, leaves: leaves(avro, '', [], problems, p, new Set([avro.name])) };
    } catch (e) { problems.push(`${file}: schema ${ref}: ${e.message}`); }
    schemaCache.set(p, s);
    return s;
  };

  const folders = fs.readdirSync(dom, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const d of folders) {
    if (!map[d]) problems.push(`domain folder ${d} not in the map`);
    const listed = map[d] ? [...(map[d].source_products || []), ...(map[d].consumer_products || [])] : [];
    const pf = fs.readdirSync(path.join(dom, d), { withFileTypes: true }).filter((x) => x.isDirectory() && x.name !== 'schemas' && x.name !== 'policies').map((x) => x.name);
    for (const p of pf) if (!listed.includes(p)) problems.push(`${d}/${p} not listed in the map`);
    for (const p of listed) if (!pf.includes(p)) problems.push(`${d}/${p} listed but has no folder`);
    for (const p of pf) {
      const file = `domains/${d}/${p}/data-product.yaml`;
      const doc = yaml.load(fs.readFileSync(path.join(root, file), 'utf8'));
      const md = doc.metadata;
      const sp = doc.spec;
      if (doc.apiVersion !== 'data-mesh/v1' || doc.kind !== 'DataProduct') problems.push(`${file}: apiVersion/kind`);
      if (md.name !== p || md.domain !== d || md.owner !== map[d].owner_team) problems.push(`${file}: ownership`);
      if (!KEBAB.test(p) || p.length > 40) problems.push(`${file}: bad name`);
      if (!SEMVER.test(md.version)) problems.push(`${file}: version ${md.version}`);
      const major = Number(String(md.version).split('.')[0]);
      const names = new Set();
      const ports = [];
      for (const o of sp.outputPorts) {
        if (names.has(o.name)) problems.push(`${file}: duplicate port ${o.name}`);
        names.add(o.name);
        if (!SNAKE.test(o.name)) problems.push(`${file}: port name ${o.name}`);
        if (o.type === 'stream' ? !o.topic || o.location : !o.location || o.topic) problems.push(`${file}: ${o.name} topic/location`);
        const where = o.topic || o.location;
        const vm = /v(\d+)\/?$/.exec(where);
        if (!o.deprecated && (!vm || Number(vm[1]) !== major)) problems.push(`${file}: ${o.name} suffix ${where} vs ${md.version}`);
        if (o.deprecated && !o.sunset) problems.push(`${file}: ${o.name} deprecated without sunset`);
        if (o.sunset) {
          const dt = new Date(`${o.sunset}T00:00:00Z`);
          if (Number.isNaN(dt.getTime()) || dt.toISOString().slice(0, 10) !== o.sunset) problems.push(`${file}: ${o.name} sunset ${o.sunset} is not a calendar date`);
        }
        const st = staleness(o.sla.freshness);
        const up = uptime(o.sla.uptime);
        if (st === null || up === null) problems.push(`${file}: ${o.name} SLA grammar`);
        ports.push({ name: o.name, schema: loadSchema(o.schema, file), st, up, deprecated: !!o.deprecated });
      }
      products.set(`${d}/${p}`, { file, doc, ports, domain: d });
    }
  }
  const hasLeaf = (schemas, ref) => {
    if (ref.includes('.')) return schemas.some((s) => s && s.leaves.some((l) => l.path === ref));
    return schemas.some((s) => s && s.leaves.filter((l) => l.name === ref).length === 1);
  };
  const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'BETWEEN', 'NOW', 'INTERVAL', 'DAY', 'HOUR',
    'COMPLETENESS', 'UNIQUENESS', 'COUNT', 'MIN', 'MAX', 'AVG', 'SUM']);
  // lineage: edges, cycles, cross-domain, SLA algebra, fields
  for (const [id, pr] of products) {
    const sp = pr.doc.spec;
    const mine = pr.ports.map((q) => q.schema);
    for (const ip of sp.inputPorts || []) {
      const src = products.get(ip.sourceProduct);
      if (!src) { problems.push(`${pr.file}: unknown source ${ip.sourceProduct}`); continue; }
      if (src.domain === pr.domain) problems.push(`${pr.file}: same-domain input ${ip.sourceProduct}`);
      let schemas = src.ports.map((q) => q.schema);
      if (ip.port) {
        const q = src.ports.find((x) => x.name === ip.port);
        if (!q) { problems.push(`${pr.file}: unknown port ${ip.port}`); continue; }
        schemas = [q.schema];
      }
      for (const f of ip.fields) if (!hasLeaf(schemas, f)) problems.push(`${pr.file}: field ${f} of ${ip.sourceProduct}${ip.port ? `/${ip.port}` : ''} does not resolve`);
      const freshest = Math.min(...src.ports.map((q) => q.st));
      for (const o of pr.ports) if (!(freshest < o.st)) problems.push(`${pr.file}: MESH111 ${o.name} (${o.st} min) not staler than ${ip.sourceProduct} (${freshest} min)`);
    }
    const ups = (sp.inputPorts || []).map((ip) => { const s = products.get(ip.sourceProduct); return s ? Math.min(...s.ports.map((q) => q.up)) : 1; });
    if (ups.length) {
      const prod = ups.reduce((a, b) => a * b, 1);
      for (const o of pr.ports) if (prod < o.up - 1e-12) problems.push(`${pr.file}: MESH112 ${o.name} uptime ${o.up} above inputs' product ${prod}`);
    }
    for (const c of sp.qualityChecks || []) {
      const idents = c.rule.replace(/'[^']*'/g, ' ').match(/[A-Za-z_][A-Za-z0-9_.]*/g) || [];
      for (const t of idents) if (!KEYWORDS.has(t.toUpperCase()) && !hasLeaf(mine, t) && !mine.some((s) => s && s.leaves.some((l) => l.name === t))) problems.push(`${pr.file}: rule column ${t}`);
    }
    const g = sp.governance;
    const pii = g.pii_fields || [];
    for (const f of pii) if (!mine.some((s) => s && s.leaves.some((l) => l.name === f || l.path === f))) problems.push(`${pr.file}: pii field ${f}`);
    const tags = pr.doc.metadata.tags || [];
    if ((pii.length > 0) !== tags.includes('pii')) problems.push(`${pr.file}: pii tag`);
    if (pii.length && !['confidential', 'restricted'].includes(g.data_classification)) problems.push(`${pr.file}: pii but ${g.data_classification}`);
    if (!!g.gdpr_subject_to_erasure !== tags.includes('gdpr-scoped')) problems.push(`${pr.file}: gdpr tag`);
    if (g.data_classification === 'restricted' && g.access_policy !== `opa://${pr.domain}-domain/${pr.doc.metadata.name}-access`) problems.push(`${pr.file}: access policy`);
    if (g.access_policy && !/^opa:\/\/[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/.test(g.access_policy)) problems.push(`${pr.file}: access policy form`);
    if (g.access_policy) { // packages/policy: opa://<bundle>/<name> -> data_mesh.access.<bundle_id>.<name_id>
      const [bundle, name] = g.access_policy.slice('opa://'.length).split('/');
      const pkg = `data_mesh.access.${bundle.replace(/-/g, '_')}.${name.replace(/-/g, '_')}`;
      const rego = path.join(dom, pr.domain, 'policies', `${name.replace(/-/g, '_')}.rego`);
      const text = fs.existsSync(rego) ? fs.readFileSync(rego, 'utf8') : '';
      if (!text.includes(`\npackage ${pkg}\n`) || !text.includes(`policy_ref := "${g.access_policy}"`)) problems.push(`${pr.file}: ${g.access_policy} does not resolve to package ${pkg} in ${path.relative(root, rego)}`);
    }
    // governance/standards.yaml
    const limit = STANDARDS.classifications[g.data_classification];
    if (!limit || !(g.retention_days <= limit.max_retention_days)) problems.push(`${pr.file}: retention_days ${g.retention_days} over the ${g.data_classification} limit`);
    for (const [tier, level] of Object.entries(STANDARDS.tiers || {})) {
      if (tags.includes(tier)) for (const o of pr.ports) if (o.up * 100 < level.min_uptime_percent - 1e-9) problems.push(`${pr.file}: ${tier} but ${o.name} promises ${o.up * 100}%`);
    }
  }
  // cycles (DFS)
  const state = new Map();
  const visit = (id, stack) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) { problems.push(`cycle: ${stack.join(' -> ')} -> ${id}`); return; }
    state.set(id, 1);
    for (const ip of products.get(id).doc.spec.inputPorts || []) if (products.has(ip.sourceProduct)) visit(ip.sourceProduct, stack.concat(id));
    state.set(id, 2);
  };
  for (const id of products.keys()) visit(id, []);
  return { products: products.size, schemas: schemaCache.size, problems };
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root) { console.error('usage: node bench/mesh-gen/check.js DIR'); process.exit(2); }
  const r = check(root);
  for (const p of r.problems.slice(0, 50)) console.log(p);
  console.log(`check: ${r.products} products, ${r.schemas} schemas, ${r.problems.length} problems`);
  process.exit(r.problems.length ? 1 : 0);
}
module.exports = { check };
