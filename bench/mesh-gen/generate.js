#!/usr/bin/env node
'use strict';
/**
 * Deterministic synthetic data-mesh generator (docs/contract.md, spec v1).
 *
 *   node bench/mesh-gen/generate.js --domains N --products M --out DIR [--seed S]
 *
 * --products is the TOTAL number of products (spread round-robin over the domains);
 * --products-per-domain K is an alternative (total = N x K).
 *
 * Library use (other benchmarks):
 *   const { generateMesh, writeMesh } = require('./bench/mesh-gen/generate.js');
 *   const mesh = generateMesh({ domains: 10, products: 100, seed: 1 });   // in memory
 *   generateMesh({ domains: 10, products: 100, seed: 1, out: 'bench/out/m' }); // and writes it
 *
 * The result follows the contract exactly and is meant to validate clean:
 *  - lineage is a DAG across domains: a product only consumes products that come earlier in
 *    the global generation order, and always from another domain;
 *  - freshness is consistent: every input's freshest port is strictly fresher than every
 *    output port of the consumer (ladder index arithmetic, see FRESHNESS);
 *  - uptime composes: the product of the inputs' (worst) port uptimes is >= every output
 *    port's uptime; sources are 99.99%, fan-in is 1-3;
 *  - every referenced field (input fields, quality-rule columns, pii_fields) exists in the
 *    right schema; bare input-field names match exactly one leaf;
 *  - tags follow governance: `pii` iff pii_fields, pii => confidential|restricted,
 *    `gdpr-scoped` iff gdpr_subject_to_erasure, restricted => access_policy
 *    opa://<domain>-domain/<product>-access plus the Rego package it names
 *    (domains/<domain>/policies/<product_id>_access.rego), retention within
 *    governance/standards.yaml's limits, tier-N from the WORST port uptime.
 * Only Node built-ins; output is a pure function of (domains, products, seed, options).
 */

const fs = require('fs');
const path = require('path');

// ---------------------------------------------------------------- PRNG (sfc32, seeded)
function makeRng(seed) {
  // hash the seed (string or number) into four 32-bit words
  let h = 1779033703 ^ String(seed).length;
  const s = String(seed);
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next32 = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
  let a = next32(), b = next32(), c = next32(), d = next32();
  const rnd = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) rnd();
  const rng = {
    next: rnd,
    int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)), // inclusive
    pick: (arr) => arr[Math.floor(rnd() * arr.length)],
    chance: (p) => rnd() < p,
    weighted: (pairs) => { // [[value, weight], ...]
      let total = 0;
      for (const p of pairs) total += p[1];
      let r = rnd() * total;
      for (const p of pairs) { if ((r -= p[1]) < 0) return p[0]; }
      return pairs[pairs.length - 1][0];
    },
    sample: (arr, k) => { // k distinct elements, order preserved by draw
      const copy = arr.slice();
      const out = [];
      for (let i = 0; i < k && copy.length; i++) {
        const j = Math.floor(rnd() * copy.length);
        out.push(copy[j]);
        copy[j] = copy[copy.length - 1];
        copy.pop();
      }
      return out;
    },
  };
  return rng;
}

// ---------------------------------------------------------------- vocabulary
const THEMES = [
  ['customer', 'customer-platform', ['customer', 'profile', 'session', 'consent', 'preference', 'account', 'household']],
  ['payments', 'payments-engineering', ['transaction', 'refund', 'chargeback', 'payout', 'settlement', 'card', 'authorization']],
  ['logistics', 'logistics-data', ['shipment', 'parcel', 'route', 'carrier', 'delivery', 'pickup', 'dock']],
  ['inventory', 'inventory-data', ['stock', 'sku', 'replenishment', 'reservation', 'bin', 'transfer']],
  ['orders', 'order-management', ['order', 'cart', 'checkout', 'basket', 'order-line', 'return']],
  ['marketing', 'growth-marketing', ['campaign', 'impression', 'click', 'attribution', 'audience', 'email-send']],
  ['finance', 'finance-data', ['ledger', 'revenue', 'cost', 'budget', 'forecast', 'journal']],
  ['support', 'customer-support', ['ticket', 'chat', 'call', 'survey', 'escalation', 'agent']],
  ['catalog', 'catalog-team', ['product', 'category', 'price', 'listing', 'brand', 'review']],
  ['identity', 'identity-platform', ['login', 'device', 'credential', 'mfa-challenge', 'token']],
  ['fraud', 'trust-and-safety', ['risk-score', 'alert', 'case', 'rule-hit', 'blocklist']],
  ['pricing', 'pricing-team', ['quote', 'discount', 'promotion', 'price-change', 'coupon']],
  ['people', 'people-analytics', ['employee', 'payroll', 'timesheet', 'candidate', 'leave-request']],
  ['search', 'search-relevance', ['query', 'result', 'suggestion', 'ranking']],
  ['recommendations', 'recsys-team', ['recommendation', 'embedding', 'feedback', 'model-score']],
  ['billing', 'billing-platform', ['subscription', 'usage', 'plan', 'credit-note', 'invoice']],
  ['procurement', 'procurement-data', ['purchase-order', 'vendor', 'contract', 'receipt']],
  ['manufacturing', 'plant-data', ['work-order', 'machine', 'sensor-reading', 'lot', 'defect']],
  ['risk', 'risk-analytics', ['exposure', 'limit', 'breach', 'scenario']],
  ['ads', 'ads-platform', ['bid', 'auction', 'creative', 'placement']],
];
const REGIONS = ['eu', 'us', 'apac', 'latam', 'mea', 'uk', 'nordics', 'dach', 'anz', 'india'];

// product-name kinds by role and by the type of the product's primary (freshest) port
const KINDS = {
  source: { stream: ['events', 'changes', 'stream', 'log', 'signals'], batch: ['snapshot', 'records', 'extract', 'master-data'] },
  consumer: {
    stream: ['enriched', 'scores', 'alerts', 'live-features', 'timeline', 'live-status'],
    batch: ['360', 'daily-summary', 'kpis', 'metrics', 'hourly-rollup', 'aggregates', 'report', 'facts', 'cohorts',
      'insights', 'reconciliation', 'features'],
  },
};

const NOUNS = ['account', 'order', 'item', 'product', 'shipment', 'carrier', 'warehouse', 'payment', 'invoice',
  'discount', 'tax', 'fee', 'session', 'device', 'page', 'campaign', 'channel', 'region', 'store', 'merchant',
  'supplier', 'contract', 'agent', 'ticket', 'risk', 'credit', 'price', 'line', 'batch', 'route', 'vehicle',
  'driver', 'package', 'label', 'promo', 'coupon', 'plan', 'subscription', 'usage', 'balance', 'refund',
  'review', 'rating', 'category', 'brand', 'sku', 'stock', 'location', 'zone', 'slot', 'source', 'model',
  'feature', 'partner', 'branch', 'terminal', 'queue', 'shift', 'lead', 'quote'];

// suffix -> type maker; kinds drive quality-rule templates
const ATTRS = [
  ['id', 'uuid'], ['code', 'string'], ['name', 'string'], ['status', 'enum'], ['type', 'enum'],
  ['amount', 'decimal'], ['total', 'decimal'], ['currency', 'string'], ['count', 'int'], ['quantity', 'int'],
  ['score', 'double'], ['rate', 'double'], ['ratio', 'float'], ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
  ['date', 'date'], ['time', 'time'], ['flag', 'boolean'], ['url', 'string'], ['country', 'string'],
  ['version', 'long'], ['tags', 'array'], ['attributes', 'map'], ['duration_ms', 'long'], ['seen_at', 'timestamp_us'],
  ['reference', 'string'], ['weight_kg', 'double'], ['sequence', 'long'], ['checksum', 'bytes'], ['is_active', 'boolean'],
];
const ENUM_SYMBOLS = {
  status: ['PENDING', 'ACTIVE', 'COMPLETED', 'CANCELLED', 'FAILED', 'ON_HOLD', 'EXPIRED'],
  type: ['STANDARD', 'EXPRESS', 'PREMIUM', 'INTERNAL', 'PARTNER', 'TRIAL'],
  event_type: ['CREATED', 'UPDATED', 'DELETED', 'STATUS_CHANGED', 'MERGED'],
};
const PII = [
  ['email_hash', 'string'], ['phone_hash', 'string'], ['full_name', 'string'], ['date_of_birth', 'date'],
  ['ip_address', 'string'], ['postal_code', 'string'], ['street_address', 'string'], ['national_id_hash', 'string'],
  ['device_fingerprint', 'string'], ['payment_card_last4', 'string'],
];
// retention choices per classification, all within governance/standards.yaml's max_retention_days
const RETENTION = {
  public: [365, 730, 1095, 1825, 3650], internal: [90, 365, 730, 1095, 1825],
  confidential: [180, 365, 730, 1095], restricted: [30, 90, 180, 365, 730],
};
const NESTED = ['payload', 'details', 'dimensions', 'context', 'measures'];
const TOPICS = ['finance', 'operations', 'analytics', 'ml-feature', 'reference-data', 'reporting', 'realtime', 'regulatory'];

// ------------------------------------------------------------- SLA ladders
// Freshness, ordered by worst-case staleness (minutes); daily deadlines are 24h + N.
const FRESHNESS = [
  ['< 30 seconds', 0.5], ['< 1 minute', 1], ['< 2 minutes', 2], ['< 5 minutes', 5], ['< 10 minutes', 10],
  ['< 15 minutes', 15], ['< 30 minutes', 30], ['< 1 hour', 60], ['< 2 hours', 120], ['< 4 hours', 240],
  ['< 6 hours', 360], ['< 12 hours', 720], ['< 1 day', 1440], ['< 1 hour after midnight UTC', 1500],
  ['< 2 hours after midnight UTC', 1560], ['< 3 hours after 02:00 UTC', 1620], ['< 4 hours after 01:00 UTC', 1680],
  ['< 6 hours after midnight UTC', 1800], ['< 2 days', 2880], ['< 3 days', 4320], ['< 7 days', 10080],
];
const STREAM_MAX_F = 7; // a stream port promises at most '< 1 hour'
const BATCH_MIN_F = 7; // a batch port promises at least '< 1 hour'
const MAX_INPUT_F = 15; // only products whose freshest port is <= this can be consumed
// Uptime ladder in basis points of a percent (9999 = 99.99%).
const UPTIME = [9999, 9995, 9990, 9975, 9950, 9900, 9850, 9800, 9700, 9500];
const MIN_UPTIME = 9500;
const fmtUptime = (bp) => {
  const s = (bp / 100).toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
  return `${s}%`;
};

// ---------------------------------------------------------------- helpers
const snake = (s) => s.replace(/-/g, '_');
const pascal = (s) => s.split(/[-_]/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const stripVersion = (s) => s.replace(/-v\d+$/, '');

function domainNames(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const theme = THEMES[i % THEMES.length];
    const round = Math.floor(i / THEMES.length);
    let name = theme[0];
    if (round > 0) {
      const r = round - 1;
      name = r < REGIONS.length ? `${theme[0]}-${REGIONS[r]}` : `${theme[0]}-${r + 1}`;
    }
    const team = round === 0 ? theme[1] : `${theme[1]}-${name.slice(theme[0].length + 1)}`;
    out.push({ name, team, entities: theme[2], oncall: `${name}-data-oncall` });
  }
  return out;
}

// ---------------------------------------------------------------- Avro schemas
// JSON text of each non-enum type, written the way people write .avsc fields
const TYPE_TEXT = {
  uuid: '{"type": "string", "logicalType": "uuid"}',
  string: '"string"', int: '"int"', long: '"long"', double: '"double"', float: '"float"',
  boolean: '"boolean"', bytes: '"bytes"',
  decimal: '{"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}',
  timestamp: '{"type": "long", "logicalType": "timestamp-millis"}',
  timestamp_us: '{"type": "long", "logicalType": "timestamp-micros"}',
  date: '{"type": "int", "logicalType": "date"}',
  time: '{"type": "int", "logicalType": "time-millis"}',
  array: '{"type": "array", "items": "string"}',
  map: '{"type": "map", "values": "string"}',
};
const DEFAULT_TEXT = { int: '0', long: '0', boolean: 'false', array: '[]', map: '{}' };
const DEFAULT_RATE = { int: 0.3, long: 0.3, boolean: 0.5, array: 0.5, map: 0.5 };

/**
 * Build one record schema as .avsc text (one field per line, the nested record expanded).
 * Every leaf name is unique inside the schema (nested included), so a bare name always
 * matches exactly one leaf. Returns { text, leaves } with leaves
 * [{ name, path, kind, symbols?, nullable, top, line }] (line: the field's JSON, for reuse).
 */
function buildSchema(rng, opts) {
  const { domain, subject, entity, shape, fieldCount, pii, inherit } = opts;
  const used = new Set();
  const top = []; // field lines at the top level
  const leaves = [];
  const recordName = pascal(subject.replace(/_v\d+$/, ''));

  const fieldLine = (name, kind, nullable, doc) => {
    let t;
    let symbols;
    if (kind === 'enum') {
      const pool = ENUM_SYMBOLS[name.endsWith('event_type') ? 'event_type' : name.endsWith('status') ? 'status' : 'type'];
      symbols = pool.slice(0, rng.int(3, pool.length));
      t = `{"type": "enum", "name": "${pascal(name)}", "symbols": ["${symbols.join('", "')}"]}`;
    } else t = TYPE_TEXT[kind];
    let line = `{"name": "${name}", "type": ${nullable ? `["null", ${t}]` : t}`;
    if (doc) line += `, "doc": ${JSON.stringify(doc)}`;
    if (nullable) line += ', "default": null';
    else if (DEFAULT_RATE[kind] && rng.chance(DEFAULT_RATE[kind])) line += `, "default": ${DEFAULT_TEXT[kind]}`;
    return { line: line + '}', symbols };
  };
  const addTop = (name, kind, nullable, doc) => {
    used.add(name);
    const f = fieldLine(name, kind, nullable, doc);
    top.push(f.line);
    leaves.push({ name, path: name, kind, symbols: f.symbols, nullable, top: true, line: f.line });
  };
  const freshName = () => {
    for (let tries = 0; tries < 1000; tries++) {
      const a = ATTRS[Math.floor(rng.next() * ATTRS.length)];
      const noun = NOUNS[Math.floor(rng.next() * NOUNS.length)];
      const name = a[0] === 'is_active' ? `is_${noun}_active` : `${noun}_${a[0]}`;
      if (!used.has(name)) { used.add(name); return [name, a[1]]; }
    }
    throw new Error('field vocabulary exhausted');
  };

  const what = entity.replace(/-/g, ' ');
  addTop(`${snake(entity)}_id`, 'string', false, `Business key of the ${what}.`);
  if (shape === 'events') {
    addTop('event_id', 'uuid', false, 'Unique id of the event (idempotency key).');
    addTop('event_type', 'enum', false);
    addTop('occurred_at', 'timestamp', false, 'When the event happened at the source (UTC).');
    addTop('ingested_at', 'timestamp', false, 'When the platform received the event (UTC).');
  } else {
    addTop('snapshot_date', 'date', false, 'Business date of the snapshot.');
    addTop('valid_from', 'timestamp', false, 'Start of validity of this row (SCD type 2).');
    addTop('valid_to', 'timestamp', true, 'End of validity; null for the current row.');
  }
  for (const [name, kind] of pii) addTop(name, kind, rng.chance(0.4), 'PII: masked for readers without pii_authorized.');
  // fields carried over from a sibling port's schema (same name, same type, same line)
  if (inherit) {
    for (const leaf of inherit) {
      if (used.has(leaf.name)) continue;
      used.add(leaf.name);
      top.push(leaf.line);
      leaves.push(leaf);
    }
  }
  // one nested record (not nullable, so dotted paths traverse plain records)
  const nestedName = shape === 'events' ? 'payload' : NESTED[1 + Math.floor(rng.next() * (NESTED.length - 1))];
  used.add(nestedName);
  const nestedCount = rng.int(3, Math.max(3, Math.min(12, Math.floor(fieldCount / 6))));
  const nested = [];
  for (let i = 0; i < nestedCount; i++) {
    const [name, kind] = freshName();
    const nullable = rng.chance(0.25);
    const f = fieldLine(name, kind, nullable);
    nested.push(f.line);
    leaves.push({ name, path: `${nestedName}.${name}`, kind, symbols: f.symbols, nullable, top: false, line: f.line });
  }
  top.push(`{"name": "${nestedName}", "type": {\n      "type": "record",\n      "name": "${recordName}${pascal(nestedName)}",\n      "fields": [\n        ` +
    nested.join(',\n        ') + `\n      ]\n    }, "doc": "Nested ${nestedName} of the ${what}."}`);
  if (shape === 'events') addTop('metadata', 'map', false, 'Free-form producer metadata (headers, trace ids).');
  // fill up to fieldCount leaves with mixed attributes
  while (leaves.length < fieldCount) {
    const [name, kind] = freshName();
    addTop(name, kind, rng.chance(0.3));
  }
  const text = `{\n  "type": "record",\n  "name": "${recordName}",\n  "namespace": "com.datamesh.${snake(domain)}",\n` +
    `  "doc": ${JSON.stringify(opts.doc)},\n  "fields": [\n    ${top.join(',\n    ')}\n  ]\n}\n`;
  return { text, leaves };
}

// ---------------------------------------------------------------- quality rules
function qualityChecks(rng, key, leaves) {
  const tops = leaves.filter((l) => l.top);
  const byKind = (kinds) => tops.filter((l) => kinds.includes(l.kind));
  const checks = [{ rule: `${key} IS NOT NULL` }];
  const templates = [
    () => { const l = rng.pick(tops); return l && { rule: `completeness(${l.name}) >= 0.${rng.int(90, 99)}`, severity: 'warning' }; },
    () => { const l = rng.pick(byKind(['decimal', 'double', 'int', 'long'])); return l && { rule: `${l.name} >= 0` }; },
    () => { const l = rng.pick(byKind(['enum'])); return l && { rule: `${l.name} IN (${l.symbols.slice(0, rng.int(2, l.symbols.length)).map((s) => `'${s}'`).join(', ')})` }; },
    () => { const l = rng.pick(byKind(['timestamp'])); return l && { rule: `${l.name} > (NOW() - INTERVAL ${rng.pick([1, 7, 30, 90])} DAY)`, severity: 'warning' }; },
    () => { const l = rng.pick(byKind(['int', 'long'])); return l && { rule: `${l.name} BETWEEN 0 AND ${rng.pick([100, 1000, 10000, 1000000])}` }; },
    () => { const l = rng.pick(byKind(['uuid'])); return l && { rule: `uniqueness(${l.name}) >= 0.999` }; },
    () => ({ rule: `count(${key}) > 0` }),
    () => { const a = rng.pick(tops.filter((l) => l.nullable)); const b = rng.pick(byKind(['double', 'float', 'int'])); return a && b && a !== b && { rule: `${a.name} IS NULL OR ${b.name} > 0` }; },
    () => { const l = rng.pick(byKind(['double', 'float'])); return l && { rule: `max(${l.name}) <= ${rng.pick(['1.0', '100', '1000000.5'])}`, severity: rng.pick(['warning', 'error']) }; },
    () => { const l = rng.pick(byKind(['string'])); return l && { rule: `NOT (${l.name} = '')` }; },
    () => { const l = rng.pick(byKind(['enum'])); return l && { rule: `${l.name} NOT IN ('${l.symbols[l.symbols.length - 1]}') OR ${key} IS NOT NULL` }; },
  ];
  const want = rng.int(2, 4);
  for (let tries = 0; checks.length < want && tries < 20; tries++) {
    const c = rng.pick(templates)();
    if (c && !checks.some((x) => x.rule === c.rule)) checks.push(c);
  }
  return checks;
}

// ---------------------------------------------------------------- access policies
/**
 * The Rego package an access_policy reference names (packages/policy README):
 * opa://<bundle>/<name> -> data_mesh.access.<bundle_id>.<name_id>, ids with '-' -> '_',
 * declaring policy_ref (the same reference) and a set `deny` of {code, message}.
 */
function accessPolicyRego(rng, domain, product, ref, portNames) {
  const pkg = `data_mesh.access.${snake(domain)}_domain.${snake(product)}_access`;
  const id = `${domain}/${product}`;
  const purposes = rng.sample(['customer-support', 'regulatory-reporting', 'fraud-investigation', 'finance-close', 'audit'], rng.int(1, 3)).sort();
  const L = [
    '# METADATA',
    `# title: Access policy of ${id}`,
    '# description: >-',
    '#   Referenced by the spec as',
    `#   access_policy: "${ref}".`,
    '#   Adds product-specific reasons to deny on top of the central rules in',
    '#   data_mesh.governance. Generated by bench/mesh-gen.',
    '# scope: package',
    `package ${pkg}`,
    '',
    `policy_ref := "${ref}"`,
    '',
    `export_purposes := {${purposes.map((p) => `"${p}"`).join(', ')}}`,
    '',
    `known_ports := {${portNames.map((p) => `"${p}"`).join(', ')}}`,
    '',
    '# Helper rules, not inline `not x in s`: that is undefined, not true, when x is missing.',
    'export_purpose_declared if input.subject.purpose in export_purposes',
    '',
    'team_named if is_string(input.subject.team)',
    '',
    '# METADATA',
    '# description: Exports need a declared purpose.',
    'deny contains {',
    '\t"code": "export_purpose",',
    '\t"message": concat("", [',
    `\t\t"exports of ${id} need subject.purpose in: ",`,
    '\t\tconcat(", ", sort(export_purposes)),',
    '\t]),',
    '} if {',
    '\tinput.action == "export"',
    '\tnot export_purpose_declared',
    '}',
    '',
    '# METADATA',
    "# description: A named port must be one of the product's output ports.",
    'deny contains {',
    '\t"code": "unknown_port",',
    '\t"message": concat("", [',
    `\t\t"${id} has no output port '",`,
    '\t\tinput.resource.port,',
    `\t\t"'",`,
    '\t]),',
    '} if {',
    '\tis_string(input.resource.port)',
    '\tnot input.resource.port in known_ports',
    '}',
    '',
    '# METADATA',
    '# description: Restricted data is served to identified teams only.',
    'deny contains {',
    '\t"code": "team_required",',
    `\t"message": "reads of ${id} need subject.team (the consuming team)",`,
    '} if {',
    '\tnot team_named',
    '}',
  ];
  return L.join('\n') + '\n';
}

// ---------------------------------------------------------------- the mesh
/**
 * Generate a mesh. Options:
 *   domains (N, >= 2), products (total M, >= 1) or productsPerDomain, seed (default 1),
 *   sourceRate (0.25), maxFanIn (3), deprecatedRate (0: share of v2+ products that keep a
 *   deprecated previous-major port, making a third port), out (write to this dir).
 * Returns { domains, products, files: [{ path, content }], stats }.
 */
function generateMesh(options = {}) {
  const nDomains = options.domains | 0;
  const nProducts = options.productsPerDomain ? nDomains * (options.productsPerDomain | 0) : options.products | 0;
  if (nDomains < 2) throw new Error('--domains must be >= 2 (lineage crosses domains)');
  if (nProducts < 1) throw new Error('--products must be >= 1');
  const seed = options.seed === undefined ? 1 : options.seed;
  const sourceRate = options.sourceRate === undefined ? 0.25 : options.sourceRate;
  const maxFanIn = options.maxFanIn || 3;
  const deprecatedRate = options.deprecatedRate || 0;
  const rng = makeRng(`mesh-gen:${seed}:${nDomains}:${nProducts}`);

  const domains = domainNames(nDomains).map((d) => Object.assign(d, { sources: [], consumers: [] }));
  const products = [];
  const usedNames = new Set();
  const files = [];
  let fieldTotal = 0;

  const nameFor = (dom, isSource, type, major) => {
    for (let tries = 0; tries < 30; tries++) {
      const entity = rng.pick(dom.entities);
      const kind = rng.pick(KINDS[isSource ? 'source' : 'consumer'][type]);
      let base = `${entity}-${kind}`;
      if (tries >= 10) base = `${base}-${tries - 8}`;
      if (usedNames.has(base)) continue;
      const versioned = isSource && kind === 'events' ? `${base}-v${major}` : base;
      if (versioned.length > 40) continue;
      usedNames.add(base);
      return { name: versioned, base, entity };
    }
    // guaranteed unique fallback
    const entity = dom.entities[0];
    const base = `${entity}-${isSource ? 'events' : 'facts'}-${products.length}`;
    usedNames.add(base);
    return { name: base, base, entity };
  };

  const firstSources = Math.max(nDomains, Math.ceil(nProducts * 0.05));
  for (let i = 0; i < nProducts; i++) {
    const dom = domains[i % nDomains];
    // --- inputs (chosen before the name so a would-be consumer with no candidate becomes a source)
    let inputs = [];
    if (i >= firstSources && !rng.chance(sourceRate)) {
      const fanIn = rng.weighted([[1, 50], [2, 35], [3, 15]].filter((p) => p[0] <= maxFanIn));
      const chosen = new Set();
      for (let tries = 0; tries < fanIn * 8 && inputs.length < fanIn; tries++) {
        const j = Math.floor(rng.next() * i);
        const p = products[j];
        if (p.domain === dom.name || chosen.has(j) || p.freshest > MAX_INPUT_F) continue;
        // the uptime of an input is taken conservatively: its worst port
        const prod = inputs.reduce((acc, q) => acc * q.minUptime / 10000, p.minUptime / 10000);
        if (prod * 10000 < MIN_UPTIME + 1) continue;
        chosen.add(j);
        inputs.push(p);
      }
    }
    const isSource = inputs.length === 0;

    // --- SLAs
    let freshest;
    let uptimeCap; // basis points
    if (isSource) {
      freshest = rng.chance(0.8) ? rng.int(0, 5) : rng.int(8, 13);
      uptimeCap = 9999;
    } else {
      const lower = Math.max(...inputs.map((p) => p.freshest)) + 1;
      freshest = Math.min(lower + rng.int(0, 1), FRESHNESS.length - 1);
      const prodUp = inputs.reduce((acc, p) => acc * (p.minUptime / 10000), 1);
      uptimeCap = inputs.length === 1 ? inputs[0].minUptime : Math.floor(prodUp * 10000 - 1e-6);
    }
    const up1 = UPTIME.find((u) => u <= uptimeCap && (isSource || rng.chance(0.6))) || UPTIME.find((u) => u <= uptimeCap);
    const ports = [];
    const primaryType = freshest <= STREAM_MAX_F && (freshest < BATCH_MIN_F || rng.chance(0.5)) ? 'stream' : 'batch';
    const major0 = rng.weighted([[1, 60], [2, 30], [3, 10]]);
    const named = nameFor(dom, isSource, primaryType, major0);
    const m = /-v(\d+)$/.exec(named.name);
    const major = m ? Number(m[1]) : major0;
    const version = `${major}.${rng.int(0, 9)}.${rng.int(0, 5)}`;
    const baseSnake = snake(named.base);

    ports.push({ type: primaryType, f: freshest, up: up1 });
    // a second port, slower (and never more available than the first), when the ladder allows
    if (rng.chance(0.55) && freshest + 2 < FRESHNESS.length) {
      const f2 = Math.max(Math.min(freshest + rng.int(2, 7), FRESHNESS.length - 1), BATCH_MIN_F + 1);
      const up2 = UPTIME.find((u) => u <= up1 && rng.chance(0.5)) || up1;
      ports.push({ type: 'batch', f: f2, up: up2 });
    }

    // --- governance first (PII columns go into the schemas)
    const hasPii = rng.chance(0.3);
    const pii = hasPii ? rng.sample(PII, rng.int(1, 4)) : [];
    const classification = hasPii ? rng.pick(['confidential', 'restricted']) : rng.weighted([['public', 20], ['internal', 60], ['confidential', 20]]);
    const gdpr = hasPii && rng.chance(0.7);

    // --- schemas
    const fieldCount = () => 20 + Math.floor(181 * Math.pow(rng.next(), 3)); // 20..200, median ~42
    const sharedSchema = ports.length === 2 && ports[0].type === 'stream' && rng.chance(0.3);
    const schemas = [];
    ports.forEach((port, k) => {
      if (k === 1 && sharedSchema) { port.schema = schemas[0]; return; }
      const shape = port.type === 'stream' ? 'events' : 'snapshot';
      const subject = k === 0 ? `${baseSnake}_v${major}` : `${baseSnake}_${port.f >= 12 ? 'daily' : 'hourly'}_v${major}`;
      const inherit = k === 1 ? rng.sample(schemas[0].leaves.filter((l) => l.top && l.kind !== 'enum' && !['event_id', 'event_type', 'occurred_at', 'ingested_at', 'metadata'].includes(l.name)), rng.int(2, 10)) : null;
      const s = buildSchema(rng, {
        domain: dom.name, subject, entity: named.entity, shape, fieldCount: fieldCount(),
        pii: k === 0 ? pii : [], inherit,
        doc: `${named.name} ${port.type === 'stream' ? 'stream envelope' : 'table'} (${dom.name} domain), major version ${major}.`,
      });
      s.subject = subject;
      schemas.push(s);
      port.schema = s;
      fieldTotal += s.leaves.length;
      files.push({ path: `domains/${dom.name}/schemas/${subject}.avsc`, content: s.text });
    });
    // leaf-name occurrence across the product's distinct schemas
    // (one schema: every name occurs once, no bookkeeping needed)
    const leafCount = new Map();
    if (schemas.length > 1) for (const s of schemas) for (const l of s.leaves) leafCount.set(l.name, (leafCount.get(l.name) || 0) + 1);
    const occursOnce = (name) => leafCount.size === 0 || leafCount.get(name) === 1;

    // --- output ports
    const portDocs = [];
    ports.forEach((port, k) => {
      const suffix = port.type === 'stream' ? 'stream' : k === 0 ? 'snapshot' : port.f >= 12 ? 'daily' : 'hourly';
      const pname = `${baseSnake}_${suffix}`;
      port.name = pname;
      const d = {
        name: pname,
        type: port.type,
        format: port.type === 'stream' ? 'avro' : rng.pick(['parquet', 'iceberg']),
        schema: `schema-registry://${dom.name}/${port.schema.subject}`,
      };
      if (port.type === 'stream') d.topic = `${dom.name}-domain.${named.name}.v${major}`;
      else d.location = `s3://data-mesh-prod/${dom.name}-domain/${named.name}/${k === 0 ? '' : `${suffix}/`}v${major}/`;
      if (port.type === 'batch' && rng.chance(0.7)) d.partitioning = port.f >= 12 ? 'year/month/day' : 'year/month/day/hour';
      if (rng.chance(0.35)) d.compatibility = rng.weighted([['BACKWARD_TRANSITIVE', 5], ['BACKWARD', 2], ['FULL_TRANSITIVE', 2], ['FORWARD', 1], ['NONE', 1]]);
      d.freshness = FRESHNESS[port.f][0];
      d.uptime = fmtUptime(port.up);
      portDocs.push(d);
    });
    if (deprecatedRate > 0 && major >= 2 && ports[0].type === 'stream' && rng.chance(deprecatedRate)) {
      const old = major - 1;
      const subject = `${baseSnake}_v${old}`;
      const s = buildSchema(rng, {
        domain: dom.name, subject, entity: named.entity, shape: 'events', fieldCount: fieldCount(), pii: [],
        doc: `${named.name} stream envelope, major version ${old} (deprecated).`,
      });
      files.push({ path: `domains/${dom.name}/schemas/${subject}.avsc`, content: s.text });
      fieldTotal += s.leaves.length;
      if (leafCount.size === 0) for (const l of schemas[0].leaves) leafCount.set(l.name, 1);
      for (const l of s.leaves) leafCount.set(l.name, (leafCount.get(l.name) || 0) + 1);
      portDocs.push({
        name: `${baseSnake}_stream_v${old}`, type: 'stream', format: 'avro',
        schema: `schema-registry://${dom.name}/${subject}`, topic: `${dom.name}-domain.${named.name}.v${old}`,
        deprecated: true, sunset: `2027-0${rng.int(1, 9)}-${rng.pick(['01', '15', '28'])}`,
        freshness: portDocs[0].freshness, uptime: portDocs[0].uptime,
      });
    }

    // --- input ports: pin the source's freshest port (or leave unpinned), name real fields
    const inputDocs = inputs.map((src) => {
      const pin = src.ports.length === 1 ? rng.chance(0.5) : rng.chance(0.85);
      // PII stays upstream: consumers never pick the source's pii_fields (excluded from the refs)
      const candidates = pin ? src.pinRefs : src.anyRefs; // paths; nested ones contain a dot
      const picks = rng.sample(candidates, rng.int(2, 6));
      const fields = picks.map((ref) => { const dot = ref.indexOf('.'); return dot > 0 && rng.chance(0.5) ? ref.slice(dot + 1) : ref; });
      if (!fields.includes(src.key) && rng.chance(0.8) && (pin || src.keyUnique)) fields.unshift(src.key);
      const d = { sourceProduct: `${src.domain}/${src.name}`, fields };
      if (pin) d.port = src.ports[0].name;
      return d;
    });

    // --- quality checks and governance blocks (names from the product's own schemas)
    let allLeaves = schemas[0].leaves;
    if (schemas.length > 1) {
      allLeaves = [];
      const seen = new Set();
      for (const s of schemas) for (const l of s.leaves) if (!seen.has(l.name)) { seen.add(l.name); allLeaves.push(l); }
    }
    const key = `${snake(named.entity)}_id`;
    const checks = qualityChecks(rng, key, allLeaves);

    // a tier promises its uptime on EVERY output port (governance/standards.yaml: tier-1 >= 99.9%)
    const worstUp = Math.min(...ports.map((p) => p.up));
    const tier = worstUp >= 9990 ? 'tier-1' : worstUp >= 9950 ? 'tier-2' : 'tier-3';
    const tags = [tier];
    if (hasPii) tags.push('pii');
    if (gdpr) tags.push('gdpr-scoped');
    if (ports.some((p) => p.type === 'stream')) tags.push('streaming');
    const topic = rng.pick(TOPICS);
    if (!tags.includes(topic)) tags.push(topic);
    // within governance/standards.yaml's limit for the classification
    // and a GDPR-scoped stream keeps an erased subject's records at most 30 days (MESH317)
    const picked = rng.pick(RETENTION[classification]);
    const retention = gdpr && ports.some((p) => p.type === 'stream') ? Math.min(picked, 30) : picked;

    const L = [];
    L.push('# yaml-language-server: $schema=../../../packages/spec/schemas/data-product.schema.json');
    L.push('apiVersion: data-mesh/v1');
    L.push('kind: DataProduct');
    L.push('metadata:');
    L.push(`  name: ${named.name}`);
    L.push(`  version: "${version}"`);
    L.push(`  owner: ${dom.team}`);
    L.push(`  domain: ${dom.name}`);
    L.push(`  tags: [${tags.join(', ')}]`);
    L.push('spec:');
    const what = named.entity.replace(/-/g, ' ');
    L.push(isSource
      ? `  description: Source-aligned ${what} data published by the ${dom.name} domain from its operational systems.`
      : `  description: Consumer-aligned ${what} ${named.base.slice(named.entity.length + 1).replace(/-/g, ' ')} built from ${inputs.map((p) => p.name).join(', ')}.`);
    L.push('  outputPorts:');
    for (const d of portDocs) {
      L.push(`    - name: ${d.name}`);
      L.push(`      type: ${d.type}`);
      L.push(`      format: ${d.format}`);
      L.push(`      schema: "${d.schema}"`);
      if (d.topic) L.push(`      topic: "${d.topic}"`);
      if (d.location) L.push(`      location: "${d.location}"`);
      if (d.partitioning) L.push(`      partitioning: "${d.partitioning}"`);
      if (d.compatibility) L.push(`      compatibility: ${d.compatibility}`);
      if (d.deprecated) { L.push('      deprecated: true'); L.push(`      sunset: "${d.sunset}"`); }
      L.push('      sla:');
      L.push(`        freshness: "${d.freshness}"`);
      L.push(`        uptime: "${d.uptime}"`);
    }
    if (inputDocs.length) {
      L.push('  inputPorts:');
      for (const d of inputDocs) {
        L.push(`    - sourceProduct: ${d.sourceProduct}`);
        if (d.port) L.push(`      port: ${d.port}`);
        L.push(`      fields: [${d.fields.join(', ')}]`);
      }
    }
    L.push('  qualityChecks:');
    for (const c of checks) {
      L.push(`    - rule: "${c.rule}"`);
      if (c.severity) L.push(`      severity: ${c.severity}`);
    }
    L.push('  governance:');
    if (pii.length) L.push(`    pii_fields: [${pii.map((p) => p[0]).join(', ')}]`);
    L.push(`    data_classification: ${classification}`);
    L.push(`    retention_days: ${retention}`);
    L.push(`    gdpr_subject_to_erasure: ${gdpr}`);
    // every port's schema starts with the entity's business key (schemaFor)
    if (gdpr) L.push(`    subject_id_field: ${snake(named.entity)}_id`);
    if (classification === 'restricted') {
      const ref = `opa://${dom.name}-domain/${named.name}-access`;
      L.push(`    access_policy: "${ref}"`);
      files.push({ path: `domains/${dom.name}/policies/${snake(named.name)}_access.rego`, content: accessPolicyRego(rng, dom.name, named.name, ref, portDocs.map((d) => d.name)) });
    }
    files.push({ path: `domains/${dom.name}/${named.name}/data-product.yaml`, content: L.join('\n') + '\n' });

    // what later consumers may reference: PII stays upstream (never picked by consumers);
    // pinned inputs use the freshest port's schema (leaf names are unique in a schema),
    // unpinned ones only names that occur once across the product's schemas
    const piiNames = new Set(pii.map((q) => q[0]));
    const notPii = (l) => !piiNames.has(l.name);
    const pinRefs = ports[0].schema.leaves.filter(notPii).map((l) => l.path);
    const anyRefs = leafCount.size === 0 ? pinRefs : allLeaves.filter((l) => notPii(l) && occursOnce(l.name)).map((l) => l.path);
    const product = {
      index: i, domain: dom.name, name: named.name, version, isSource,
      inputs: inputs.map((p) => `${p.domain}/${p.name}`),
      freshest: Math.min(...ports.map((p) => p.f)),
      minUptime: Math.min(...ports.map((p) => p.up)),
      ports: ports.map((p) => ({ name: p.name, type: p.type, subject: p.schema.subject, f: p.f, up: p.up })),
      pinRefs, anyRefs, key, keyUnique: occursOnce(key),
      classification, pii: pii.map((p) => p[0]),
    };
    products.push(product);
    (isSource ? dom.sources : dom.consumers).push(named.name);
  }

  // --- domain map (seed shape)
  const M = ['# yaml-language-server: $schema=../packages/spec/schemas/domain-map.schema.json',
    `# Synthetic domain boundary map: ${nDomains} domains, ${nProducts} products (bench/mesh-gen, seed ${seed})`,
    'domains:'];
  for (const d of domains) {
    M.push(`  ${d.name}:`);
    M.push(`    owner_team: ${d.team}`);
    M.push(`    oncall_pagerduty: ${d.oncall}`);
    M.push(d.sources.length ? '    source_products:' : '    source_products: []');
    for (const p of d.sources) M.push(`      - ${p}`);
    M.push(d.consumers.length ? '    consumer_products:' : '    consumer_products: []');
    for (const p of d.consumers) M.push(`      - ${p}`);
  }
  files.unshift({ path: 'domains/domain-map.yaml', content: M.join('\n') + '\n' });

  const mesh = {
    seed,
    domains: domains.map((d) => ({ name: d.name, owner_team: d.team, oncall_pagerduty: d.oncall, source_products: d.sources, consumer_products: d.consumers })),
    products: products.map((p) => ({
      domain: p.domain, name: p.name, version: p.version, source: p.isSource, inputs: p.inputs,
      classification: p.classification, pii_fields: p.pii,
      ports: p.ports.map((q) => ({ name: q.name, type: q.type, subject: q.subject, freshness: FRESHNESS[q.f][0], uptime: fmtUptime(q.up) })),
      file: `domains/${p.domain}/${p.name}/data-product.yaml`,
    })),
    files,
    stats: {
      domains: nDomains, products: nProducts,
      specs: nProducts, schemas: files.filter((f) => f.path.endsWith('.avsc')).length,
      policies: files.filter((f) => f.path.endsWith('.rego')).length,
      fields: fieldTotal, edges: products.reduce((a, p) => a + p.inputs.length, 0),
      bytes: files.reduce((a, f) => a + f.content.length, 0),
    },
  };
  if (options.out) writeMesh(mesh, options.out);
  return mesh;
}

const MARKER = '.mesh-gen.json';

/** Write a generated mesh under dir. Replaces a previous generator output there, refuses anything else. */
function writeMesh(mesh, dir) {
  const root = path.resolve(dir);
  const domainsDir = path.join(root, 'domains');
  if (fs.existsSync(domainsDir)) {
    if (!fs.existsSync(path.join(root, MARKER))) {
      throw new Error(`${domainsDir} exists and was not written by mesh-gen (no ${MARKER}); refusing to overwrite it`);
    }
    fs.rmSync(domainsDir, { recursive: true, force: true });
  }
  fs.mkdirSync(root, { recursive: true });
  const made = new Set();
  for (const f of mesh.files) {
    const full = path.join(root, f.path);
    const d = path.dirname(full);
    if (!made.has(d)) { fs.mkdirSync(d, { recursive: true }); made.add(d); }
    fs.writeFileSync(full, f.content);
  }
  fs.writeFileSync(path.join(root, MARKER), JSON.stringify({ generator: 'bench/mesh-gen', seed: mesh.seed, stats: mesh.stats }, null, 2) + '\n');
  return root;
}

// ---------------------------------------------------------------- CLI
function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--domains': opts.domains = Number(val()); break;
      case '--products': opts.products = Number(val()); break;
      case '--products-per-domain': opts.productsPerDomain = Number(val()); break;
      case '--out': opts.out = val(); break;
      case '--seed': opts.seed = val(); break;
      case '--deprecated-rate': opts.deprecatedRate = Number(val()); break;
      case '--json': opts.json = true; break;
      case '-h': case '--help': opts.help = true; break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  return opts;
}

const USAGE = `usage: node bench/mesh-gen/generate.js --domains N (--products M | --products-per-domain K) --out DIR [--seed S] [--deprecated-rate R] [--json]
  --products M            total number of products, spread round-robin over the N domains
  --seed S                PRNG seed (default 1); same arguments => byte-identical output
  --deprecated-rate R     share (0..1) of v2+ stream products that keep a deprecated v<major-1> port (default 0)
  --json                  print the stats as JSON`;

if (require.main === module) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.help) { console.log(USAGE); process.exit(0); }
    if (!opts.out || !opts.domains || !(opts.products || opts.productsPerDomain)) throw new Error('--domains, --products and --out are required');
    if (opts.seed !== undefined && /^\d+$/.test(opts.seed)) opts.seed = Number(opts.seed);
    const t0 = process.hrtime.bigint();
    const mesh = generateMesh(Object.assign({}, opts, { out: undefined }));
    const t1 = process.hrtime.bigint();
    writeMesh(mesh, opts.out);
    const t2 = process.hrtime.bigint();
    const stats = Object.assign({}, mesh.stats, {
      out: path.resolve(opts.out), generateMs: Number(t1 - t0) / 1e6, writeMs: Number(t2 - t1) / 1e6,
    });
    if (opts.json) console.log(JSON.stringify(stats));
    else {
      console.log(`mesh-gen: ${stats.domains} domains, ${stats.products} products, ${stats.schemas} schemas, ` +
        `${stats.fields} fields, ${stats.edges} lineage edges, ${(stats.bytes / 1048576).toFixed(1)} MiB -> ${stats.out} ` +
        `(generate ${stats.generateMs.toFixed(0)} ms, write ${stats.writeMs.toFixed(0)} ms)`);
    }
  } catch (err) {
    console.error(`mesh-gen: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
}

module.exports = { generateMesh, writeMesh, makeRng, FRESHNESS, UPTIME };
