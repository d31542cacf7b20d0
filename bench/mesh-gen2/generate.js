#!/usr/bin/env node
'use strict';
/**
 * A SECOND synthetic mesh generator, written apart from bench/mesh-gen so that a validator
 * tuned to one generator's shape is measured on another. Same contract (docs/contract.md),
 * different shape:
 *
 *   - fewer, wider schemas: one schema per product, shared by all its output ports,
 *     of 60–320 leaves (median about 125);
 *   - deeper nesting: records inside records up to 4 levels, arrays and maps of records,
 *     nullable unions of records, a named record defined once and reused by name (so the
 *     same leaf name occurs under two paths and consumers must write the dotted path),
 *     enums, fixed, and logical types;
 *   - more inputs per product: 3–8 upstream products from other domains;
 *   - flow-style YAML: ports, SLAs, input ports and governance as `{ ... }` mappings and
 *     `[ ... ]` lists, a folded `>-` description, comments between entries; the domain
 *     map in flow style too.
 *
 *   node bench/mesh-gen2/generate.js --products M --out DIR [--domains N] [--seed S]
 *
 * Default domains: about sqrt(M)/2 (at least 4). As a library it has mesh-gen's interface:
 *   const { generateMesh, writeMesh } = require('./bench/mesh-gen2/generate.js');
 *   writeMesh(generateMesh({ domains: 16, products: 1000, seed: 1 }), 'bench/out/g2');
 * The output validates clean: lineage is a DAG across domains, every input's freshest port
 * is strictly fresher than the consumer's ports, uptimes compose, every referenced field
 * and column exists (bare names only where they match one leaf), restricted products get
 * their Rego package. Only Node built-ins; a pure function of (domains, products, seed).
 */
const fs = require('fs');
const path = require('path');

/** mulberry32: a small seeded PRNG (different from mesh-gen's sfc32 on purpose). */
function rngFor(seedText) {
  let s = 0x9e3779b9;
  for (let i = 0; i < seedText.length; i++) s = Math.imul(s ^ seedText.charCodeAt(i), 0x85ebca6b) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(next() * a.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

const AREAS = ['treasury', 'fleet', 'claims', 'energy', 'clinic', 'retail', 'telemetry', 'learning', 'travel', 'media', 'legal', 'farming'];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma', 'kappa', 'lambda', 'theta', 'zeta'];
const ENTITIES = ['asset', 'policy', 'meter', 'visit', 'basket', 'probe', 'course', 'booking', 'title', 'matter', 'field', 'voyage', 'tariff', 'ledger'];
const SUFFIXES = ['feed', 'facts', 'view', 'mart', 'cube', 'graph', 'index', 'digest', 'ledger', 'trail'];
const ATOMS = ['amount', 'label', 'score', 'code', 'level', 'count', 'ratio', 'stamp', 'state', 'note', 'weight', 'flag', 'key', 'rank', 'size', 'hash'];
const STEMS = ['north', 'south', 'east', 'west', 'inner', 'outer', 'upper', 'lower', 'prime', 'spare', 'local', 'remote', 'first', 'last', 'peak', 'base', 'mid', 'core'];
const PII = ['holder_email', 'holder_phone', 'holder_name', 'home_address', 'birth_date', 'tax_number'];
const RETENTION = { public: [365, 3650], internal: [90, 1825], confidential: [180, 1095], restricted: [30, 730] };
/** Freshness ladder, ordered by worst-case staleness. */
const FRESH = ['< 1 minute', '< 5 minutes', '< 15 minutes', '< 1 hour', '< 3 hours', '< 8 hours', '< 1 day',
  '< 3 hours after midnight UTC', '< 5 hours after 03:00 UTC', '< 2 days', '< 4 days', '< 8 days', '< 14 days', '< 30 days'];
const MAX_INPUT_RUNG = 9;
/** Uptime ladder in hundredths of a percent. */
const UPTIME = [9999, 9998, 9995, 9990, 9980, 9970, 9950, 9920, 9900, 9850, 9800, 9700, 9600, 9500];

const snake = (s) => s.replace(/-/g, '_');
const camel = (s) => s.split(/[-_]/).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const percent = (bp) => `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** Builds one wide, deep record. Returns the JSON value and its leaves: { path, name, kind, top }. */
function wideSchema(rng, { domain, product, entity, pii, width }) {
  const names = new Set();
  const leaves = [];
  let typeCount = 0;
  const freshName = () => {
    for (;;) {
      const n = `${rng.pick(STEMS)}_${rng.pick(ATOMS)}${names.size > 150 ? `_${rng.int(1, 99)}` : ''}`;
      if (!names.has(n)) { names.add(n); return n; }
    }
  };
  const typeName = (base) => `${camel(base)}T${++typeCount}`;
  const primitive = (name) => {
    const kind = rng.pick(['string', 'long', 'int', 'double', 'boolean', 'ts', 'date', 'decimal', 'enum', 'fixed', 'uuid', 'bytes', 'float']);
    switch (kind) {
      case 'ts': return { kind: 'long', type: { type: 'long', logicalType: rng.pick(['timestamp-millis', 'timestamp-micros', 'local-timestamp-millis']) } };
      case 'date': return { kind: 'int', type: { type: 'int', logicalType: 'date' } };
      case 'decimal': return { kind: 'decimal', type: { type: 'bytes', logicalType: 'decimal', precision: rng.int(10, 38), scale: rng.int(0, 6) } };
      case 'uuid': return { kind: 'string', type: { type: 'string', logicalType: 'uuid' } };
      case 'enum': return { kind: 'enum', type: { type: 'enum', name: typeName(name), symbols: WORDS.slice(0, rng.int(2, WORDS.length)).map((w) => w.toUpperCase()) } };
      case 'fixed': return { kind: 'fixed', type: { type: 'fixed', name: typeName(name), size: rng.pick([4, 8, 16]) } };
      default: return { kind, type: kind };
    }
  };
  const DEFAULTS = { long: 0, int: 0, double: 0.0, float: 1.5, boolean: true, string: '' };
  const leafField = (prefix, top) => {
    const name = freshName();
    const p = primitive(name);
    const field = { name };
    if (rng.chance(0.3)) { field.type = ['null', p.type]; field.default = null; }
    else { field.type = p.type; if (typeof p.type === 'string' && p.type in DEFAULTS && rng.chance(0.4)) field.default = DEFAULTS[p.type]; }
    if (rng.chance(0.2)) field.doc = `The ${name.replace(/_/g, ' ')} of the ${entity}.`;
    leaves.push({ path: prefix ? `${prefix}.${name}` : name, name, kind: p.kind, top, nullable: Array.isArray(field.type) });
    return field;
  };
  let budget = width;
  /** A record of `n` fields at `depth`; some fields are nested records (wrapped as array/map/nullable). */
  const record = (base, prefix, depth, n) => {
    const fields = [];
    for (let i = 0; i < n && budget > 0; i++) {
      if (depth < 4 && budget > 12 && rng.chance(depth === 1 ? 0.12 : 0.18)) {
        const name = freshName();
        const inner = record(name, prefix ? `${prefix}.${name}` : name, depth + 1, rng.int(3, 9));
        const wrap = rng.pick(['plain', 'plain', 'array', 'map', 'nullable']);
        const type = wrap === 'array' ? { type: 'array', items: inner } : wrap === 'map' ? { type: 'map', values: inner } : wrap === 'nullable' ? ['null', inner] : inner;
        fields.push(wrap === 'nullable' ? { name, type, default: null } : { name, type });
        continue;
      }
      fields.push(leafField(prefix, depth === 1));
      budget--;
    }
    return { type: 'record', name: typeName(base), fields };
  };
  const key = `${snake(entity)}_key`;
  names.add(key);
  const topFields = [{ name: key, type: 'string', doc: `Business key of the ${entity}.` }];
  leaves.push({ path: key, name: key, kind: 'string', top: true, nullable: false });
  // the record time a batch port's retention deletes by (MESH119)
  names.add('recorded_on');
  topFields.push({ name: 'recorded_on', type: { type: 'int', logicalType: 'date' }, doc: 'The day the record belongs to.' });
  leaves.push({ path: 'recorded_on', name: 'recorded_on', kind: 'int', top: true, nullable: false });
  for (const name of pii) {
    names.add(name);
    topFields.push({ name, type: ['null', 'string'], default: null, doc: 'Personal data.' });
    leaves.push({ path: name, name, kind: 'string', top: true, nullable: true });
  }
  // a small named record defined once and used again by name below: its leaves occur twice
  const auditName = 'AuditStamp';
  const auditLeaves = ['recorded_by', 'recorded_at'];
  topFields.push({ name: 'created', type: { type: 'record', name: auditName, fields: [{ name: 'recorded_by', type: 'string' }, { name: 'recorded_at', type: { type: 'long', logicalType: 'timestamp-millis' } }] } });
  topFields.push({ name: 'changed', type: ['null', auditName], default: null });
  for (const p of ['created', 'changed']) for (const n of auditLeaves) leaves.push({ path: `${p}.${n}`, name: n, kind: 'dup', top: false, nullable: false });
  const body = record(`${product}-body`, '', 1, width * 2);
  const schema = {
    type: 'record',
    name: camel(product),
    namespace: `org.meshgen2.${snake(domain)}`,
    doc: `${product}: a wide record (bench/mesh-gen2).`,
    fields: [...topFields, ...body.fields],
  };
  return { schema, leaves };
}

function generateMesh(options = {}) {
  const products = options.products | 0;
  if (products < 1) throw new Error('--products must be >= 1');
  const nDomains = options.domains ? options.domains | 0 : Math.max(4, Math.round(Math.sqrt(products) / 2));
  const seed = options.seed === undefined ? 1 : options.seed;
  const rng = rngFor(`mesh-gen2/${seed}/${nDomains}/${products}`);
  const domains = Array.from({ length: nDomains }, (_, i) => {
    const name = i < AREAS.length ? AREAS[i] : `${AREAS[i % AREAS.length]}-${Math.floor(i / AREAS.length) + 1}`;
    return { name, team: `${name}-squad`, oncall: `pd-${name}`, sources: [], consumers: [] };
  });
  const files = [];
  const made = [];
  const taken = new Set();
  let fields = 0;
  let edges = 0;
  for (let i = 0; i < products; i++) {
    const dom = domains[i % nDomains];
    const entity = rng.pick(ENTITIES);
    let name;
    do name = `${entity}-${rng.pick(SUFFIXES)}-${rng.int(1, 9999)}`; while (taken.has(name));
    taken.add(name);
    // inputs: 3-8 earlier products of other domains, fresh enough, while uptime composes >= 95%
    const inputs = [];
    if (i >= nDomains * 2 && !rng.chance(0.15)) {
      const want = rng.int(3, 8);
      let product = 1;
      for (let tries = 0; tries < want * 10 && inputs.length < want; tries++) {
        const src = made[Math.floor(rng.next() * i)];
        if (src.domain === dom.name || inputs.includes(src) || src.rung > MAX_INPUT_RUNG) continue;
        if (product * (src.uptime / 10000) < 0.95) continue;
        product *= src.uptime / 10000;
        inputs.push(src);
      }
    }
    const source = inputs.length === 0;
    edges += inputs.length;
    const rung = source ? rng.int(0, 4) : Math.min(Math.max(...inputs.map((s) => s.rung)) + rng.int(1, 2), FRESH.length - 1);
    const composed = inputs.reduce((acc, s) => acc * (s.uptime / 10000), 1) * 10000;
    const uptime = source ? rng.pick(UPTIME.slice(0, 4)) : UPTIME.find((u) => u <= composed - 1e-6) ?? 9500;
    const major = rng.int(1, 4);
    const version = `${major}.${rng.int(0, 12)}.${rng.int(0, 3)}`;
    const piiCount = rng.chance(0.25) ? rng.int(1, 3) : 0;
    const pii = PII.slice(0, piiCount);
    const classification = piiCount ? rng.pick(['confidential', 'restricted']) : rng.pick(['public', 'internal', 'internal', 'confidential']);
    const width = 60 + Math.floor(260 * rng.next() * rng.next());
    const subject = `${snake(name)}_v${major}`;
    const { schema, leaves } = wideSchema(rng, { domain: dom.name, product: name, entity, pii, width });
    fields += leaves.length;
    files.push({ path: `domains/${dom.name}/schemas/${subject}.avsc`, content: JSON.stringify(schema, null, rng.chance(0.25) ? 2 : 0) + '\n' });

    // ports: all share the one wide schema; the first is the freshest
    const portCount = rng.int(1, 3);
    const ports = [];
    for (let k = 0; k < portCount; k++) {
      const stream = k === 0 && rung <= 3 && rng.chance(0.7);
      const portRung = Math.min(rung + k * 2, FRESH.length - 1);
      const pname = `${snake(entity)}_${stream ? 'live' : ['table', 'rollup', 'archive'][k]}`;
      const port = { name: pname, type: stream ? 'stream' : 'batch', format: stream ? 'avro' : rng.pick(['iceberg', 'parquet', 'json']), schema: `schema-registry://${dom.name}/${subject}` };
      if (stream) port.topic = `mesh2.${dom.name}.${name}.v${major}`;
      else port.location = `s3://mesh2-lake-${dom.name}/${name}/${pname}/v${major}/`;
      port.sla = { freshness: FRESH[portRung], uptime: percent(uptime) };
      ports.push(port);
    }
    const unique = new Map();
    for (const l of leaves) unique.set(l.name, (unique.get(l.name) ?? 0) + 1);
    const inputPorts = inputs.map((src) => {
      const chosen = new Set();
      const n = rng.int(3, 10);
      for (let tries = 0; tries < n * 3 && chosen.size < n; tries++) {
        const l = rng.pick(src.refs);
        chosen.add(l.bare && rng.chance(0.5) ? l.name : l.path);
      }
      const ip = { sourceProduct: `${src.domain}/${src.name}`, fields: [...chosen] };
      if (rng.chance(0.6)) ip.port = src.ports[0];
      return ip;
    });
    const tops = leaves.filter((l) => l.top && !pii.includes(l.name));
    const numeric = tops.filter((l) => ['long', 'int', 'double', 'float', 'decimal'].includes(l.kind));
    const checks = [`${snake(entity)}_key IS NOT NULL`];
    const extra = rng.int(2, 6);
    for (let c = 0; c < extra; c++) {
      const a = rng.pick(tops);
      const b = numeric.length ? rng.pick(numeric) : a;
      checks.push(rng.pick([
        `completeness(${a.name}) >= 0.9${rng.int(0, 9)}`,
        `${b.name} >= 0 OR ${a.name} IS NULL`,
        `NOT (${b.name} < -${rng.int(1, 50)}) AND count(*) > 0`,
        `uniqueness(${a.name}) > 0.5`,
        `${b.name} BETWEEN -1 AND ${rng.int(10, 99999)}`,
      ]));
    }
    const tags = [`tier-${uptime >= 9990 ? 1 : uptime >= 9950 ? 2 : 3}`, 'mesh2'];
    if (piiCount) tags.push('pii');
    const gdpr = piiCount > 0 && rng.chance(0.5);
    if (gdpr) tags.push('gdpr-scoped');
    const governance = { pii_fields: pii, data_classification: classification, retention_days: rng.int(...RETENTION[classification]), gdpr_subject_to_erasure: gdpr };
    // the ports share one schema whose first field is the entity's key
    if (gdpr) governance.subject_id_field = `${snake(entity)}_key`;
    // a GDPR-scoped stream keeps an erased subject's records at most 30 days (MESH317)
    if (gdpr && ports.some((p) => p.type === 'stream')) governance.retention_days = Math.min(governance.retention_days, 30);
    if (classification === 'restricted') {
      governance.access_policy = `opa://${dom.name}-domain/${name}-access`;
      const pkg = `data_mesh.access.${snake(dom.name)}_domain.${snake(name)}_access`;
      files.push({
        path: `domains/${dom.name}/policies/${snake(name)}_access.rego`,
        content: `package ${pkg}\n\npolicy_ref := "${governance.access_policy}"\n\n# Reads need a named team.\ndeny contains {"code": "team_required", "message": "name the consuming team"} if {\n\tnot input.subject.team\n}\n`,
      });
    }
    if (!piiCount) delete governance.pii_fields;

    const flow = (o) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${scalar(v)}`).join(', ')} }`;
    const scalar = (v) => (Array.isArray(v) ? `[${v.map(scalar).join(', ')}]` : v && typeof v === 'object' ? flow(v) : typeof v === 'string' ? (/^[a-z][a-z0-9_-]*$/.test(v) ? v : JSON.stringify(v)) : String(v));
    const Y = [
      '# bench/mesh-gen2: flow-style spec',
      'apiVersion: data-mesh/v1',
      'kind: DataProduct',
      `metadata: { name: ${name}, version: "${version}", owner: ${dom.team}, domain: ${dom.name}, tags: [${tags.join(', ')}] }`,
      'spec:',
      '  description: >-',
      `    The ${entity} ${name.split('-')[1]} of the ${dom.name} domain,`,
      `    ${source ? 'published from its operational systems' : `derived from ${inputs.length} upstream products`}.`,
      '  outputPorts:',
      ...ports.map((p) => `    - ${flow(p)}`),
    ];
    if (inputPorts.length) {
      Y.push('  # upstream products, read field by field');
      Y.push('  inputPorts: [');
      inputPorts.forEach((p, k) => Y.push(`      ${flow(p)}${k + 1 < inputPorts.length ? ',' : ''}`));
      Y.push('    ]');
    }
    Y.push(`  qualityChecks: [${checks.map((r, k) => flow(k % 3 === 2 ? { rule: r, severity: 'warning' } : { rule: r })).join(', ')}]`);
    Y.push(`  governance: ${flow(governance)}`);
    files.push({ path: `domains/${dom.name}/${name}/data-product.yaml`, content: Y.join('\n') + '\n' });

    const refs = leaves.filter((l) => !pii.includes(l.name)).map((l) => ({ path: l.path, name: l.name, bare: unique.get(l.name) === 1 }));
    made.push({ domain: dom.name, name, rung, uptime, ports: ports.map((p) => p.name), refs });
    (source ? dom.sources : dom.consumers).push(name);
  }
  const M = ['# bench/mesh-gen2 domain map (flow style)', 'domains:'];
  for (const d of domains) {
    M.push(`  ${d.name}: { owner_team: ${d.team}, oncall_pagerduty: ${d.oncall},`);
    M.push(`    source_products: [${d.sources.join(', ')}],`);
    M.push(`    consumer_products: [${d.consumers.join(', ')}] }`);
  }
  files.unshift({ path: 'domains/domain-map.yaml', content: M.join('\n') + '\n' });
  const stats = {
    domains: nDomains, products, specs: products, schemas: products, fields,
    policies: files.filter((f) => f.path.endsWith('.rego')).length,
    edges, bytes: files.reduce((a, f) => a + f.content.length, 0),
  };
  const mesh = { seed, files, products: made.map(({ domain, name }) => ({ domain, name })), stats };
  if (options.out) writeMesh(mesh, options.out);
  return mesh;
}

const MARKER = '.mesh-gen.json';

/** Writes a generated mesh under dir; replaces only a domains/ folder a generator wrote. */
function writeMesh(mesh, dir) {
  const root = path.resolve(dir);
  if (fs.existsSync(path.join(root, 'domains'))) {
    if (!fs.existsSync(path.join(root, MARKER))) throw new Error(`${root}/domains was not written by a generator; refusing to replace it`);
    fs.rmSync(path.join(root, 'domains'), { recursive: true, force: true });
  }
  for (const f of mesh.files) {
    fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    fs.writeFileSync(path.join(root, f.path), f.content);
  }
  fs.writeFileSync(path.join(root, MARKER), JSON.stringify({ generator: 'bench/mesh-gen2', seed: mesh.seed, stats: mesh.stats }, null, 2) + '\n');
  return root;
}

if (require.main === module) {
  const o = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const v = argv[++i];
    if (argv[i - 1] === '--products') o.products = Number(v);
    else if (argv[i - 1] === '--domains') o.domains = Number(v);
    else if (argv[i - 1] === '--seed') o.seed = v;
    else if (argv[i - 1] === '--out') o.out = v;
    else { console.error(`mesh-gen2: unknown argument ${argv[i - 1]}`); process.exit(2); }
  }
  if (!o.products || !o.out) { console.error('usage: node bench/mesh-gen2/generate.js --products M --out DIR [--domains N] [--seed S]'); process.exit(2); }
  const mesh = generateMesh(o);
  writeMesh(mesh, o.out);
  console.log(`mesh-gen2: ${JSON.stringify(mesh.stats)} -> ${path.resolve(o.out)}`);
}

module.exports = { generateMesh, writeMesh };
