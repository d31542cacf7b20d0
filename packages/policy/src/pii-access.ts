import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from '@data-mesh/spec/core';
import { CODES, diagnostic, isRecord, type Diagnostic } from './diagnostics';
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

/** A parsed config file: its values, and where a path into them lies in the text (SourceDocument). */
export interface LocatableDocument {
  readonly data: unknown;
  locate(path: readonly (string | number)[], anchor?: 'value' | 'key'): Position;
}

/**
 * Reads `piiAccess` (and the older `lakeFormation.piiAuthorizedConsumers`) from a parsed infra
 * config. Malformed entries are MESH324 errors at their line and are left out. Positions are
 * looked up only when read (a finding, a deprecation warning), so a clean config costs no
 * position-keeping parse.
 */
export function parsePiiAccess(document: LocatableDocument, file: string): { access: PiiAccess; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  type Path = readonly (string | number)[];
  const pos = (path: Path, anchor: 'value' | 'key' = 'value'): Position => {
    const { line, column } = document.locate(path, anchor);
    return { line, column };
  };
  const error = (at: Position, message: string, hint?: string) => diagnostics.push(diagnostic('error', CODES.piiAccessFile, message, file, at.line, at.column, hint));
  const root = isRecord(document.data) ? document.data : {};

  const authorizations: PiiAuthorization[] = [];
  const section = root.piiAccess;
  if (section !== undefined && section !== null) {
    if (!Array.isArray(section)) {
      error(pos(['piiAccess'], 'key'), 'infra config piiAccess: must be a list of {consumer, source, fields?, reason}');
    } else {
      const seen = new Map<string, Path>();
      section.forEach((item: unknown, index) => {
        const itemPath: Path = ['piiAccess', index];
        if (!isRecord(item)) { error(pos(itemPath), 'infra config piiAccess: each entry is a mapping {consumer, source, fields?, reason}'); return; }
        let ok = true;
        for (const key of Object.keys(item)) {
          if (!KEYS.includes(key)) { error(pos([...itemPath, key], 'key'), `infra config piiAccess: unknown key "${key}"; expected ${KEYS.join(', ')}`); ok = false; }
        }
        const id = (key: 'consumer' | 'source'): string | undefined => {
          const value = item[key];
          if (typeof value === 'string' && PRODUCT_ID.test(value)) return value;
          error(key in item ? pos([...itemPath, key], value === null ? 'key' : 'value') : pos(itemPath), `infra config piiAccess: ${key in item ? `${key} must be a product id <domain>/<product>` : `the entry needs a ${key} (<domain>/<product>)`}`);
          return undefined;
        };
        const consumer = id('consumer');
        const source = id('source');
        let fields: string[] | undefined;
        const fieldPaths: Path[] = [];
        if ('fields' in item) {
          const list = item.fields;
          if (!Array.isArray(list) || list.length === 0 || list.some((f) => typeof f !== 'string')) {
            error(pos([...itemPath, 'fields'], 'key'), 'infra config piiAccess: fields must be a non-empty list of the source\'s PII field names (leave it out to cover all of them)');
            ok = false;
          } else {
            fields = [];
            (list as string[]).forEach((name, f) => {
              if (fields!.includes(name)) { error(pos([...itemPath, 'fields', f]), `infra config piiAccess: field ${name} is listed twice`); return; }
              fields!.push(name);
              fieldPaths.push([...itemPath, 'fields', f]);
            });
          }
        }
        const reason = typeof item.reason === 'string' ? item.reason.trim() : '';
        if (reason === '') {
          error('reason' in item ? pos([...itemPath, 'reason'], item.reason === null ? 'key' : 'value') : pos(itemPath), 'infra config piiAccess: the entry needs a reason: who approved it and why', 'e.g. reason: "fraud scoring, approved by the DPO in DPO-4100"');
          ok = false;
        }
        if (!consumer || !source || !ok) return;
        const pair = `${consumer}\0${source}`;
        const first = seen.get(pair);
        if (first) {
          error(pos(itemPath), `infra config piiAccess: ${consumer} is already authorized for ${source} at line ${pos(first).line}`, 'one entry per consumer and source: merge their fields');
          return;
        }
        seen.set(pair, itemPath);
        authorizations.push({
          consumer, source, ...(fields ? { fields } : {}), reason,
          get at() { return pos(itemPath); },
          get consumerAt() { return pos([...itemPath, 'consumer']); },
          get sourceAt() { return pos([...itemPath, 'source']); },
          get fieldsAt() { return fieldPaths.map((p) => pos(p)); },
        });
      });
    }
  }

  const consumerWide: { consumer: string; at: Position }[] = [];
  const lakeFormation = root.lakeFormation;
  const legacy = isRecord(lakeFormation) ? lakeFormation.piiAuthorizedConsumers : undefined;
  if (legacy !== undefined && legacy !== null) {
    if (!Array.isArray(legacy) || legacy.some((c) => typeof c !== 'string' || !PRODUCT_ID.test(c))) {
      error(pos(['lakeFormation', 'piiAuthorizedConsumers'], 'key'), 'infra config lakeFormation.piiAuthorizedConsumers: must be a list of product ids <domain>/<product>');
    } else {
      (legacy as string[]).forEach((consumer, i) => consumerWide.push({ consumer, get at() { return pos(['lakeFormation', 'piiAuthorizedConsumers', i]); } }));
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
  const parsed = parseYaml(file, fs.readFileSync(path.join(root, file), 'utf8'));
  if ('failure' in parsed) {
    const { message, position } = parsed.failure;
    return { access: { file, authorizations: [], consumerWide: [] }, diagnostics: [diagnostic('error', CODES.piiAccessFile, `${file}: ${message}`, file, position.line, position.column)] };
  }
  return parsePiiAccess(parsed.document, file);
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
