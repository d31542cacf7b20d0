import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { CODES, diagnostic, type Diagnostic } from './diagnostics';
import { meshProducts, type MeshLike } from './mesh-input';

/** The platform's environment settings (the CDK app's config), which hold the PII authorizations. */
export const INFRA_CONFIG_FILE = 'infra/config.yaml';
/** Used when the repository has no infra/config.yaml, as the CDK app does. */
export const INFRA_CONFIG_EXAMPLE_FILE = 'infra/config.example.yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One `piiAccess` entry: the platform allows `consumer` to read PII fields of `source`. */
export interface PiiAuthorization {
  /** `<domain>/<product>` */
  readonly consumer: string;
  /** `<domain>/<product>` */
  readonly source: string;
  /** The source's `governance.pii_fields` entries it covers; absent: every PII field of the source. */
  readonly fields?: readonly string[];
  /** Who approved it and why. */
  readonly reason: string;
  readonly at: Position;
  readonly consumerAt: Position;
  readonly sourceAt: Position;
  /** One per entry of `fields`. */
  readonly fieldsAt: readonly Position[];
}

/** The PII authorizations of the infra config. */
export interface PiiAccess {
  /** The config file they were read from, relative to the root; absent when there is none. */
  readonly file?: string;
  readonly authorizations: readonly PiiAuthorization[];
  /**
   * `lakeFormation.piiAuthorizedConsumers`, the older consumer-wide form: each consumer is
   * authorized for every PII field of every product it consumes.
   */
  readonly consumerWide: readonly { readonly consumer: string; readonly at: Position }[];
}

/** What a consumer may read of a source's PII: `fields` absent means all of it. */
export interface PiiGrant {
  readonly fields?: readonly string[];
}

const PRODUCT_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\/[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KEYS = ['consumer', 'source', 'fields', 'reason'];

/**
 * Reads `piiAccess` (and the older `lakeFormation.piiAuthorizedConsumers`) from a parsed infra
 * config. Malformed entries are MESH324 errors at their line and are left out.
 */
export function parsePiiAccess(doc: Document, lines: LineCounter, file: string): { access: PiiAccess; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const pos = (node: unknown): Position => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    const p = lines.linePos(range?.[0] ?? 0);
    return { line: p.line, column: p.col };
  };
  const error = (at: Position, message: string, hint?: string) => diagnostics.push(diagnostic('error', CODES.piiAccessFile, message, file, at.line, at.column, hint));
  const root = isMap(doc.contents) ? doc.contents : undefined;
  const keyOf = (map: typeof root, key: string) => map?.items.find((p) => isScalar(p.key) && p.key.value === key);

  const authorizations: PiiAuthorization[] = [];
  const section = keyOf(root, 'piiAccess');
  if (section && section.value !== null && !(isScalar(section.value) && section.value.value === null)) {
    if (!isSeq(section.value)) {
      error(pos(section.key), 'infra config piiAccess: must be a list of {consumer, source, fields?, reason}');
    } else {
      const seen = new Map<string, Position>();
      for (const item of section.value.items) {
        const at = pos(item);
        if (!isMap(item)) { error(at, 'infra config piiAccess: each entry is a mapping {consumer, source, fields?, reason}'); continue; }
        let ok = true;
        for (const pair of item.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          if (!KEYS.includes(key)) { error(pos(pair.key), `infra config piiAccess: unknown key "${key}"; expected ${KEYS.join(', ')}`); ok = false; }
        }
        const id = (key: 'consumer' | 'source'): { value: string; at: Position } | undefined => {
          const pair = keyOf(item, key);
          const value = isScalar(pair?.value) ? pair.value.value : undefined;
          if (typeof value === 'string' && PRODUCT_ID.test(value)) return { value, at: pos(pair!.value) };
          error(pair ? pos(pair.value ?? pair.key) : at, `infra config piiAccess: ${pair ? `${key} must be a product id <domain>/<product>` : `the entry needs a ${key} (<domain>/<product>)`}`);
          return undefined;
        };
        const consumer = id('consumer');
        const source = id('source');
        let fields: string[] | undefined;
        const fieldsAt: Position[] = [];
        const fieldsPair = keyOf(item, 'fields');
        if (fieldsPair) {
          const list = fieldsPair.value;
          if (!isSeq(list) || list.items.length === 0 || list.items.some((f) => !isScalar(f) || typeof f.value !== 'string')) {
            error(pos(fieldsPair.key), 'infra config piiAccess: fields must be a non-empty list of the source\'s PII field names (leave it out to cover all of them)');
            ok = false;
          } else {
            fields = [];
            for (const f of list.items as Node[]) {
              const name = (f as unknown as { value: string }).value;
              if (fields.includes(name)) { error(pos(f), `infra config piiAccess: field ${name} is listed twice`); continue; }
              fields.push(name);
              fieldsAt.push(pos(f));
            }
          }
        }
        const reasonPair = keyOf(item, 'reason');
        const reason = isScalar(reasonPair?.value) && typeof reasonPair.value.value === 'string' ? reasonPair.value.value.trim() : '';
        if (reason === '') {
          error(reasonPair ? pos(reasonPair.value ?? reasonPair.key) : at, 'infra config piiAccess: the entry needs a reason: who approved it and why', 'e.g. reason: "fraud scoring, approved by the DPO in DPO-4100"');
          ok = false;
        }
        if (!consumer || !source || !ok) continue;
        const pair = `${consumer.value}\0${source.value}`;
        const first = seen.get(pair);
        if (first) {
          error(at, `infra config piiAccess: ${consumer.value} is already authorized for ${source.value} at line ${first.line}`, 'one entry per consumer and source: merge their fields');
          continue;
        }
        seen.set(pair, at);
        authorizations.push({
          consumer: consumer.value, source: source.value, ...(fields ? { fields } : {}), reason,
          at, consumerAt: consumer.at, sourceAt: source.at, fieldsAt,
        });
      }
    }
  }

  const consumerWide: { consumer: string; at: Position }[] = [];
  const lakeFormation = keyOf(root, 'lakeFormation');
  const legacy = isMap(lakeFormation?.value) ? keyOf(lakeFormation.value, 'piiAuthorizedConsumers') : undefined;
  if (legacy && legacy.value !== null && !(isScalar(legacy.value) && legacy.value.value === null)) {
    if (!isSeq(legacy.value) || legacy.value.items.some((c) => !isScalar(c) || typeof c.value !== 'string' || !PRODUCT_ID.test(c.value))) {
      error(pos(legacy.key), 'infra config lakeFormation.piiAuthorizedConsumers: must be a list of product ids <domain>/<product>');
    } else {
      for (const c of legacy.value.items) consumerWide.push({ consumer: (c as unknown as { value: string }).value, at: pos(c) });
    }
  }
  return { access: { file, authorizations, consumerWide }, diagnostics };
}

/**
 * The PII authorizations of the repository at `root`: from infra/config.yaml, else the example
 * the CDK app then uses (infra/config.example.yaml), else none.
 */
export function readPiiAccess(root: string): { access: PiiAccess; diagnostics: Diagnostic[] } {
  const file = [INFRA_CONFIG_FILE, INFRA_CONFIG_EXAMPLE_FILE].find((f) => fs.existsSync(path.join(root, f)));
  if (!file) return { access: { authorizations: [], consumerWide: [] }, diagnostics: [] };
  const lines = new LineCounter();
  const doc = parseDocument(fs.readFileSync(path.join(root, file), 'utf8'), { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lines.linePos(e.pos[0]);
    return { access: { file, authorizations: [], consumerWide: [] }, diagnostics: [diagnostic('error', CODES.piiAccessFile, `${file}: ${e.message.split('\n')[0]}`, file, p.line, p.col)] };
  }
  return parsePiiAccess(doc, lines, file);
}

/** What `consumer` may read of `source`'s PII, or undefined when it is not authorized. */
export function piiGrant(access: PiiAccess, consumer: string, source: string): PiiGrant | undefined {
  const pair = access.authorizations.find((a) => a.consumer === consumer && a.source === source);
  if (pair) return pair.fields ? { fields: pair.fields } : {};
  return access.consumerWide.some((c) => c.consumer === consumer) ? {} : undefined;
}

/**
 * Checks the authorizations against the mesh: products that do not exist and fields that are
 * not PII of the source (MESH324 errors), and authorizations nothing uses because the consumer
 * does not read the source or the source has no PII (MESH325 warnings).
 */
export function checkPiiAccess(access: PiiAccess, mesh: MeshLike): Diagnostic[] {
  const file = access.file;
  if (!file) return [];
  const all = mesh.products instanceof Map ? [...mesh.products.values()] : [...(mesh.products as Iterable<{ domain: string; name: string }>)];
  const exists = new Set(all.map((p) => `${p.domain}/${p.name}`));
  const valid = new Map(meshProducts(mesh).map((p) => [`${p.domain}/${p.name}`, p]));
  const diagnostics: Diagnostic[] = [];
  const missing = (id: string, at: Position, key: string) =>
    diagnostics.push(diagnostic('error', CODES.piiAccessFile, `infra config ${key}: no product ${id} in the mesh`, file, at.line, at.column, 'authorizations name products as <domain>/<product> (their metadata.domain and metadata.name)'));
  for (const c of access.consumerWide) if (!exists.has(c.consumer)) missing(c.consumer, c.at, 'lakeFormation.piiAuthorizedConsumers');
  for (const a of access.authorizations) {
    const where = `piiAccess ${a.consumer} -> ${a.source}`;
    if (!exists.has(a.consumer)) missing(a.consumer, a.consumerAt, 'piiAccess consumer');
    if (!exists.has(a.source)) missing(a.source, a.sourceAt, 'piiAccess source');
    if (a.consumer === a.source) {
      diagnostics.push(diagnostic('error', CODES.piiAccessFile, `infra config ${where}: a product reads its own fields without an authorization`, file, a.sourceAt.line, a.sourceAt.column));
      continue;
    }
    const source = valid.get(a.source);
    const consumer = valid.get(a.consumer);
    if (!source || !consumer) continue;
    const pii = (source.spec.spec?.governance?.pii_fields ?? []).filter((f): f is string => typeof f === 'string');
    if (pii.length === 0) {
      diagnostics.push(diagnostic('warning', CODES.piiAccessStale, `infra config ${where}: ${a.source} declares no PII fields; the authorization grants nothing`, file, a.at.line, a.at.column, 'remove it'));
      continue;
    }
    (a.fields ?? []).forEach((field, i) => {
      if (pii.includes(field)) return;
      const at = a.fieldsAt[i]!;
      diagnostics.push(diagnostic('error', CODES.piiAccessFile, `infra config ${where}: ${field} is not a PII field of ${a.source} (its governance.pii_fields: ${pii.join(', ')})`, file, at.line, at.column));
    });
    const reads = (consumer.spec.spec?.inputPorts ?? []).some((input) => input?.sourceProduct === a.source);
    if (!reads) {
      diagnostics.push(diagnostic('warning', CODES.piiAccessStale, `infra config ${where}: ${a.consumer} does not consume ${a.source} (no input port names it); the authorization is stale`, file, a.at.line, a.at.column, 'remove it, or add the input port it was meant for'));
    }
  }
  return diagnostics;
}
