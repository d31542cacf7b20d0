'use strict';
/**
 * Writes each data product's samples: `domains/<domain>/<product>/samples/<port>.jsonl`, a few
 * hundred rows shaped by the Avro schema of the port the quality rules read, and
 * `samples/manifest.json` (the generator, the seed, the instant the times are relative to).
 *
 * Values come from the schema (types, logical types, enum symbols) and from the rules (the
 * values an `IN` list accepts, the bounds of `BETWEEN`); rows the row-level rules reject are
 * dropped by running those rules on the candidates with `mesh quality run`'s own engine, and
 * the samples written are checked again with every rule: the script fails rather than write
 * samples that contradict their contract. The same seed and `--now` give the same files.
 *
 *   npm run build && node scripts/generate-samples.js [--root DIR] [--rows 300] [--now ISO] [--seed N] [<domain>/<product> ...]
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const spec = require(path.join(REPO, 'packages/spec/dist/index.js'));
const { runQuality, choosePort } = require(path.join(REPO, 'packages/cli/dist/quality/run.js'));

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const root = path.resolve(flag('root', REPO));
const rowCount = Number(flag('rows', '300'));
const seed = Number(flag('seed', '20261205'));
const now = new Date(flag('now', new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString()));
const only = new Set(args);
if (!Number.isInteger(rowCount) || rowCount < 1 || Number.isNaN(now.getTime()) || !Number.isInteger(seed)) {
  console.error('usage: node scripts/generate-samples.js [--root DIR] [--rows N] [--now ISO-8601] [--seed N] [<domain>/<product> ...]');
  process.exit(2);
}

/** mulberry32: small, seeded, the same on every machine. */
function random(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the rules say about each column: values an IN list accepts, BETWEEN bounds, aggregates over it. */
function hintsOf(product) {
  const hints = new Map();
  const hint = (name) => hints.get(name) ?? hints.set(name, {}).get(name);
  const walk = (e) => {
    if (!e || typeof e !== 'object') return;
    if (e.kind === 'in' && !e.negated && e.operand.kind === 'column' && e.values.every((v) => v.kind === 'string' || v.kind === 'number')) hint(e.operand.name).accepted = e.values.map((v) => v.value);
    if (e.kind === 'between' && !e.negated && e.operand.kind === 'column' && e.low.kind === 'number' && e.high.kind === 'number') Object.assign(hint(e.operand.name), { low: e.low.value, high: e.high.value });
    if (e.kind === 'aggregate' && e.column) hint(e.column.name).aggregated = true;
    // avg/min(c) >= k and avg/max(c) <= k: draw c from inside the bound.
    if (e.kind === 'compare' && e.left.kind === 'aggregate' && e.left.column && e.right.kind === 'number' && ['avg', 'min', 'max'].includes(e.left.fn)) {
      if (['>=', '>'].includes(e.op) && e.left.fn !== 'max') hint(e.left.column.name).low = e.right.value;
      if (['<=', '<'].includes(e.op) && e.left.fn !== 'min') hint(e.left.column.name).high = e.right.value;
    }
    for (const key of ['left', 'right', 'operand', 'low', 'high']) walk(e[key]);
    for (const v of e.values ?? []) walk(v);
  };
  for (const parse of spec.parsedQualityChecks(product)) if (parse.ok) walk(parse.expression);
  return hints;
}

const nonNull = (type) => (Array.isArray(type) ? type.find((t) => t !== 'null') : type);

function generator(product, hints, next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const hex = (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const hoursAgo = (max) => new Date(now.getTime() - next() * max * 3_600_000);
  const KNOWN = {
    currency: ['USD', 'EUR', 'GBP'], country: ['US', 'DE', 'GB', 'FR', 'NL', 'ES'], carrier: ['UPS', 'DHL', 'FEDEX', 'DPD'],
    service_level: ['standard', 'express', 'same_day'], channel: ['web', 'ios', 'android', 'email', 'support', 'crm'],
  };
  const value = (name, type, row) => {
    const t = nonNull(type);
    const h = hints.get(name) ?? {};
    if (h.accepted) return pick(h.accepted);
    if (t && typeof t === 'object' && !Array.isArray(t)) {
      if (t.type === 'enum') return pick(t.symbols);
      if (t.type === 'record') return Object.fromEntries(t.fields.map((f) => [f.name, value(f.name, f.type, row)]));
      if (t.type === 'array') return [];
      if (t.type === 'map') return {};
      if (t.logicalType === 'timestamp-millis' || t.logicalType === 'timestamp-micros') return hoursAgo(/expected|valid_to/.test(name) ? -48 : 20).toISOString();
      if (t.logicalType === 'date') return hoursAgo(24 * 7).toISOString().slice(0, 10);
      if (t.logicalType === 'uuid') return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      if (t.logicalType === 'decimal') return Math.round(next() * 100_000) / 100;
      return value(name, t.type, row);
    }
    const low = h.low ?? (/rate$|_rate_/.test(name) ? 0 : undefined);
    const high = h.high ?? (/rate$|_rate_/.test(name) ? 1 : undefined);
    switch (t) {
      case 'boolean': return next() < 0.5;
      case 'int': case 'long': return Math.floor((low ?? 1) + next() * ((high ?? 200) - (low ?? 1) + 1));
      case 'float': case 'double':
        if (/fx_rate/.test(name)) return Math.round((0.5 + next()) * 10_000) / 10_000;
        return Math.round(((low ?? 0) + next() * ((high ?? 1000) - (low ?? 0))) * 10_000) / 10_000;
      case 'string': {
        const known = Object.entries(KNOWN).find(([k]) => name === k || name.startsWith(`${k}_`) || name.endsWith(`_${k}`));
        if (known) return pick(known[1]);
        if (/email$/.test(name)) return `user${Math.floor(next() * 1e6)}@example.com`;
        if (/email_domain$/.test(name)) return pick(['example.com', 'example.org', 'example.net']);
        if (/_id$/.test(name)) return `${name.slice(0, -3).replace(/_/g, '-')}-${hex(10)}`;
        return `${name}-${Math.floor(next() * 1000)}`;
      }
      case 'bytes': return hex(8);
      default: return null;
    }
  };
  return (fields, index) => {
    const row = {};
    for (const f of fields) {
      const nullable = Array.isArray(f.type) && f.type.includes('null');
      const aggregated = hints.get(f.name)?.aggregated;
      row[f.name] = nullable && !aggregated && next() < 0.05 ? null : value(f.name, f.type, row);
    }
    row.sample_row = index;
    return row;
  };
}

const writeJsonl = (file, rows) => fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

async function samplesFor(product) {
  const port = choosePort(product, undefined);
  const fields = port?.schemaFile?.schema && port.schemaFile.text ? JSON.parse(port.schemaFile.text).fields : undefined;
  if (!port || !fields) return { product: product.id, skipped: 'no output port with a readable Avro schema' };
  const next = random(seed ^ [...product.id].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
  const hints = hintsOf(product);
  const make = generator(product, hints, next);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-samples-'));
  try {
    let kept = [];
    for (let round = 0; kept.length < rowCount && round < 8; round++) {
      const candidates = Array.from({ length: rowCount * 4 }, (_, i) => make(fields, round * rowCount * 4 + i));
      const file = path.join(tmp, 'candidates.jsonl');
      writeJsonl(file, candidates);
      const report = await runQuality(product, { files: [file], format: 'jsonl', port: port.name, now: now.toISOString(), failingRowLimit: candidates.length });
      const rejected = new Set(report.rules.flatMap((r) => (r.failingRowCount !== undefined ? r.failingRows.map((row) => row.sample_row) : [])));
      kept = kept.concat(candidates.filter((row) => !rejected.has(row.sample_row)));
    }
    if (kept.length < rowCount) throw new Error(`${product.id}: only ${kept.length} of ${rowCount} generated rows meet the row-level rules`);
    const rows = kept.slice(0, rowCount).map(({ sample_row: _, ...row }) => row);
    const dir = path.join(root, path.dirname(product.file), 'samples');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${port.name}.jsonl`);
    writeJsonl(file, rows);
    const manifest = { generator: 'scripts/generate-samples.js', seed, now: now.toISOString(), port: port.name, rows: rows.length, note: 'rules about NOW() judge these samples against "now"; regenerate with: node scripts/generate-samples.js ' + product.id };
    fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const check = await runQuality(product, { files: [file], format: 'jsonl', port: port.name, now: now.toISOString() });
    const failing = [...check.types.map((t) => `type ${t.column}`), ...check.rules.filter((r) => r.verdict !== 'pass').map((r) => `${r.rule}: ${r.verdict} (${r.observed ?? r.message})`)];
    if (failing.length > 0) throw new Error(`${product.id}: the samples fail their own rules:\n  ${failing.join('\n  ')}`);
    return { product: product.id, file: path.relative(root, file), rows: rows.length, rules: check.rules.length };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const mesh = spec.loadMesh(root);
  const products = mesh.validProducts().filter((p) => only.size === 0 || only.has(p.id));
  if (only.size > 0 && products.length !== only.size) throw new Error(`not in the mesh (or invalid): ${[...only].filter((id) => !products.some((p) => p.id === id)).join(', ')}`);
  for (const product of products) {
    const result = await samplesFor(product);
    console.log(result.skipped ? `${result.product}: skipped, ${result.skipped}` : `${result.product}: ${result.file}, ${result.rows} rows, ${result.rules} rules pass`);
  }
}

main().catch((error) => {
  console.error(`generate-samples: ${error.message}`);
  process.exit(1);
});
