import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { DOMAIN_MAP_FILE, DOMAINS_DIR, RESERVED_DOMAIN_FOLDERS, SPEC_FILE_NAME } from './load';
import type { Mesh } from './mesh';

/** A source product publishes raw events from a domain's systems (a stream port); a consumer product aggregates or joins (a batch table). */
export type ProductKind = 'source' | 'consumer';

export interface ScaffoldRequest {
  readonly domain: string;
  readonly product: string;
  readonly kind: ProductKind;
}

/** A file the scaffold writes, relative to the mesh root. */
export interface ScaffoldFile {
  readonly file: string;
  readonly content: string;
  /** True for a new file (never overwrite one); false for the domain map, which is edited. */
  readonly create: boolean;
}

export type ScaffoldResult =
  | { readonly ok: true; readonly files: readonly ScaffoldFile[]; readonly specFile: string; readonly schemaFile: string }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME = 40;
const VERSIONED = /-v(\d+)$/;
const DEFAULT_BUCKET = 'data-mesh-lake';

/** Why a domain or product name is not valid, or undefined. */
export function nameProblem(kind: 'domain' | 'product', name: string): string | undefined {
  if (!NAME.test(name)) return `"${name}" is not a valid ${kind} name: kebab-case, lowercase letters and digits separated by single hyphens, starting with a letter`;
  if (name.length > MAX_NAME) return `"${name}" is ${name.length} characters long; a ${kind} name has at most ${MAX_NAME}`;
  if (RESERVED_DOMAIN_FOLDERS.includes(name)) return `"${name}" is a reserved folder name and cannot name a ${kind}`;
  return undefined;
}

/**
 * The files of a new data product that validates as written (docs/contract.md): its spec, one
 * Avro schema, and the domain map with the product listed under its domain (the map's text
 * kept as it is, comments and all, with one entry added). A source product gets a stream port,
 * a consumer product a batch (Iceberg) table whose record-time field retention goes by; both are
 * `internal`, without PII and without inputs, for the team to fill in. The domain must be in
 * the map already: a new domain's owner team and on-call are the platform team's to add (and
 * `.github/CODEOWNERS` with them). Never touches the file system; reads it only to see what exists.
 */
export function scaffoldProduct(mesh: Mesh, request: ScaffoldRequest): ScaffoldResult {
  const { domain, product, kind } = request;
  const problem = nameProblem('domain', domain) ?? nameProblem('product', product);
  if (problem) return { ok: false, message: problem, hint: 'name it <domain>/<product>, e.g. payments/refund-events-v1' };
  const map = mesh.domainMap;
  if (!map) return { ok: false, message: `${DOMAIN_MAP_FILE} cannot be read`, hint: 'run mesh validate to see why' };
  const owner = mesh.domains.get(domain);
  if (!owner) {
    const known = [...mesh.domains.keys()].sort();
    return {
      ok: false,
      message: `"${domain}" is not a domain of ${DOMAIN_MAP_FILE}${known.length ? ` (its domains: ${known.join(', ')})` : ''}`,
      hint: `a new domain needs its owner_team and oncall_pagerduty: ask the platform team to add it to ${DOMAIN_MAP_FILE} (then mesh codeowners), or check the spelling`,
    };
  }
  const specFile = `${DOMAINS_DIR}/${domain}/${product}/${SPEC_FILE_NAME}`;
  if ([...owner.sourceProducts, ...owner.consumerProducts].includes(product)) {
    return { ok: false, message: `${domain}/${product} is already listed in ${DOMAIN_MAP_FILE}`, hint: `edit ${specFile}, or choose another name` };
  }
  if (fs.existsSync(path.join(mesh.root, DOMAINS_DIR, domain, product))) {
    return { ok: false, message: `${DOMAINS_DIR}/${domain}/${product}/ exists already: mesh new never overwrites a product`, hint: 'choose another name, or remove the folder' };
  }
  const major = Number(VERSIONED.exec(product)?.[1] ?? 1);
  const base = product.replace(VERSIONED, '').replace(/-/g, '_');
  const subject = `${base}_v${major}`;
  const schemaFile = `${DOMAINS_DIR}/${domain}/schemas/${subject}.avsc`;
  if (fs.existsSync(path.join(mesh.root, schemaFile))) {
    return { ok: false, message: `${schemaFile} exists already: mesh new never overwrites a schema`, hint: 'choose another product name, or write the spec by hand for that schema' };
  }
  const mapText = addToDomainMap(map.document.text, domain, kind === 'source' ? 'source_products' : 'consumer_products', product);
  if (mapText === undefined) {
    return { ok: false, message: `cannot add ${product} to the entry of "${domain}" in ${DOMAIN_MAP_FILE} automatically`, hint: `add it under ${kind === 'source' ? 'source_products' : 'consumer_products'} by hand, then write the spec` };
  }
  const names = { domain, product, major, base, subject, owner: owner.ownerTeam, bucket: mostUsedBucket(mesh) };
  return {
    ok: true,
    specFile,
    schemaFile,
    files: [
      { file: specFile, content: kind === 'source' ? sourceSpec(names) : consumerSpec(names), create: true },
      { file: schemaFile, content: kind === 'source' ? sourceSchema(names) : consumerSchema(names), create: true },
      { file: DOMAIN_MAP_FILE, content: mapText, create: false },
    ],
  };
}

interface Names {
  readonly domain: string;
  readonly product: string;
  readonly major: number;
  /** snake_case, without the version */
  readonly base: string;
  readonly subject: string;
  readonly owner: string;
  readonly bucket: string;
}

/** The bucket most batch ports of the mesh write to (a new product's table goes beside theirs). */
function mostUsedBucket(mesh: Mesh): string {
  const counts = new Map<string, number>();
  for (const product of mesh.validProducts()) {
    for (const port of product.spec.spec.outputPorts) {
      const bucket = port.type === 'batch' && typeof port.location === 'string' ? /^s3:\/\/([^/]+)\//.exec(port.location)?.[1] : undefined;
      if (bucket) counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? DEFAULT_BUCKET;
}

const HEADER = '# yaml-language-server: $schema=../../../packages/spec/schemas/data-product.schema.json';

function metadata(n: Names, tag: string): string {
  return `apiVersion: data-mesh/v1
kind: DataProduct
metadata:
  name: ${n.product}
  version: "${n.major}.0.0"
  owner: ${n.owner}
  domain: ${n.domain}
  tags: [${tag}]
`;
}

const GOVERNANCE = `  governance:
    pii_fields: [] # every field holding personal data; then tag the product pii and classify it confidential or restricted
    data_classification: internal # public | internal | confidential | restricted (restricted needs an access_policy)
    retention_days: 365
    gdpr_subject_to_erasure: false
`;

const INPUTS_HELP = `  # Declare what you read, with the exact fields you use: the source's owners then learn
  # before they merge that a change of theirs would break you.
  #   - sourceProduct: <domain>/<product>
  #     port: <its output port> # optional
  #     fields: [<field>, ...]
`;

function sourceSpec(n: Names): string {
  const topic = `${n.domain}-domain.${VERSIONED.test(n.product) ? n.product : `${n.product}.v${n.major}`}`;
  return `${HEADER}
${metadata(n, 'source-aligned')}spec:
  description: >
    TODO: what ${n.domain}/${n.product} publishes, from which system, keyed by what, and
    who reads it.
  outputPorts:
    - name: ${n.base}_stream
      type: stream
      format: avro
      schema: "schema-registry://${n.domain}/${n.subject}"
      topic: "${topic}"
      sla:
        freshness: "< 5 minutes"
        uptime: "99.5%"
  inputPorts: []
${INPUTS_HELP}  qualityChecks:
    - rule: "event_id IS NOT NULL AND occurred_at IS NOT NULL"
${GOVERNANCE}`;
}

function consumerSpec(n: Names): string {
  return `${HEADER}
${metadata(n, 'consumer-aligned')}spec:
  description: >
    TODO: what ${n.domain}/${n.product} holds, computed from which products, how often,
    and who reads it.
  outputPorts:
    - name: ${n.base}_daily
      type: batch
      format: iceberg
      schema: "schema-registry://${n.domain}/${n.subject}"
      location: "s3://${n.bucket}/${n.domain}-domain/${n.product}/v${n.major}/"
      partitioning: "year/month/day"
      recordTimeField: day # retention_days counts from the day a row belongs to
      sla:
        freshness: "< 3 hours after midnight UTC"
        uptime: "99.5%"
  inputPorts: []
${INPUTS_HELP}  qualityChecks:
    - rule: "day IS NOT NULL"
    - rule: "max(computed_at) > (NOW() - INTERVAL 1 DAY)"
      severity: warning
${GOVERNANCE}`;
}

function recordName(n: Names): string {
  return n.base
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function namespace(n: Names): string {
  return `com.datamesh.${n.domain.replace(/-/g, '_')}`;
}

/** An Avro record schema written as the examples are: one field per line. */
function avroRecord(n: Names, doc: string, fields: readonly object[]): string {
  const head = { type: 'record', name: recordName(n), namespace: namespace(n), doc };
  const lines = Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  return `{\n${lines.join('\n')}\n  "fields": [\n${fields.map((f) => `    ${JSON.stringify(f).replace(/":/g, '": ').replace(/,"/g, ', "')}`).join(',\n')}\n  ]\n}\n`;
}

function sourceSchema(n: Names): string {
  return avroRecord(n, `TODO: one event of ${n.domain}/${n.product}.`, [
    { name: 'event_id', type: { type: 'string', logicalType: 'uuid' }, doc: 'Producer-assigned id; consumers deduplicate on it.' },
    { name: 'occurred_at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When the event happened.' },
  ]);
}

function consumerSchema(n: Names): string {
  return avroRecord(n, `TODO: one row of ${n.domain}/${n.product}.`, [
    { name: 'day', type: { type: 'int', logicalType: 'date' }, doc: 'The UTC day the row is about.' },
    { name: 'computed_at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When the row was computed.' },
  ]);
}

/**
 * The domain map's text with `product` appended to `domains.<domain>.<list>`, everything else
 * as written (block or flow style, comments). Undefined when the entry has a shape this cannot
 * edit safely (then the caller says to add it by hand).
 */
export function addToDomainMap(text: string, domain: string, list: 'source_products' | 'consumer_products', product: string): string | undefined {
  // Loaded here, not at the top: `mesh validate` loads this module (the package index) but never needs `yaml`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMap, isScalar, isSeq, parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return undefined;
  const entry = doc.getIn(['domains', domain], true);
  if (!isMap(entry) || !entry.range) return undefined;
  const pair = (entry as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === list) as Pair<YamlNode, YamlNode | null> | undefined;
  let edited: string | undefined;
  if (pair && isSeq(pair.value)) edited = appendToSeq(text, pair.value, product);
  else if (pair && (pair.value === null || (isScalar(pair.value) && pair.value.value === null))) edited = afterKey(text, pair, ` [${product}]`);
  else if (!pair) edited = addKey(text, entry as YAMLMap, list, product);
  if (edited === undefined) return undefined;
  // what was meant, and nothing else: the edited map lists the product once more, where asked
  const check = parseDocument(edited);
  const items = check.getIn(['domains', domain, list]);
  const before = pair && isSeq(pair.value) ? pair.value.items.length : 0;
  if (check.errors.length > 0 || !isSeq(items) || items.items.length !== before + 1 || String((items.items.at(-1) as { value?: unknown })?.value) !== product) return undefined;
  return edited;
}

function appendToSeq(text: string, seq: YAMLSeq, product: string): string | undefined {
  const last = seq.items.at(-1) as YamlNode | undefined;
  if (seq.flow) {
    if (!seq.range) return undefined;
    if (!last?.range) {
      const close = text.lastIndexOf(']', seq.range[1]);
      return close < seq.range[0] ? undefined : `${text.slice(0, close)}${product}${text.slice(close)}`;
    }
    return `${text.slice(0, last.range[1])}, ${product}${text.slice(last.range[1])}`;
  }
  if (!last?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const dash = /^(\s*-\s+)/.exec(text.slice(lineStart, last.range[0]));
  if (!dash) return undefined;
  const lineEnd = endOfLine(text, last.range[1]);
  return `${text.slice(0, lineEnd)}\n${dash[1]}${product}${text.slice(lineEnd)}`;
}

function afterKey(text: string, pair: Pair<YamlNode, YamlNode | null>, insert: string): string | undefined {
  const keyEnd = pair.key?.range?.[1];
  if (keyEnd === undefined) return undefined;
  const colon = text.indexOf(':', keyEnd);
  if (colon === -1 || text.slice(keyEnd, colon).trim() !== '') return undefined;
  return `${text.slice(0, colon + 1)}${insert}${text.slice(colon + 1)}`;
}

function addKey(text: string, entry: YAMLMap, list: string, product: string): string | undefined {
  const lastPair = entry.items.at(-1);
  const firstKey = entry.items[0]?.key as YamlNode | undefined;
  const lastValue = (lastPair?.value ?? lastPair?.key) as YamlNode | undefined;
  if (!firstKey?.range || !lastValue?.range || !entry.range) return undefined;
  if (entry.flow) {
    const close = text.lastIndexOf('}', entry.range[1]);
    return close < lastValue.range[1] ? undefined : `${text.slice(0, lastValue.range[1])}, ${list}: [${product}]${text.slice(lastValue.range[1])}`;
  }
  const lineStart = text.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
  const indent = text.slice(lineStart, firstKey.range[0]);
  if (indent.trim() !== '') return undefined;
  const lineEnd = endOfLine(text, lastValue.range[1]);
  return `${text.slice(0, lineEnd)}\n${indent}${list}: [${product}]${text.slice(lineEnd)}`;
}

/** The offset of the end of the line holding `offset` (before its newline; a trailing comment stays on the line). */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}
