import * as fs from 'node:fs';
import * as path from 'node:path';
import { accessPolicyName, parseYaml, resolveInPorts } from '@data-mesh/spec/core';
import { CODES, diagnostic, isRecord, type Diagnostic } from './diagnostics';
import { meshProducts, type MeshLike, type MeshProductLike } from './mesh-input';
import { checkPiiAccess, readPiiAccess, type PiiAccess } from './pii-access';

export const STANDARDS_FILE = 'governance/standards.yaml';
export const ERASURES_DIR = 'governance/erasures';

/** What data_mesh.governance reads about one product (data.products[domain][product]). */
export interface ProductPolicyData {
  readonly classification?: string;
  readonly retention_days?: number;
  readonly gdpr_subject_to_erasure: boolean;
  readonly access_policy?: string;
  /** The two package segments under data.data_mesh.access (see accessPolicyName). */
  readonly access_package?: readonly [string, string];
  readonly ports: readonly string[];
  readonly tags: readonly string[];
}

export interface ErasureRecord {
  readonly requested_at?: string;
  readonly ticket?: string;
  /** The erasures file, relative to the root. */
  readonly file: string;
}

export interface Standards {
  readonly classifications: Readonly<Record<string, { readonly max_retention_days: number }>>;
  readonly pii: { readonly tag: string; readonly role: string; readonly classifications: readonly string[] };
  /** `max_stream_erasure_days`: how long an erased subject's records may stay in a topic. */
  readonly gdpr: { readonly tag: string; readonly max_stream_erasure_days?: number };
  readonly tiers: Readonly<Record<string, { readonly min_uptime_percent: number }>>;
}

/** A port of a product with PII fields, as its readers are judged (data.pii_access.ports[source][port]). */
export interface PiiPortData {
  /** stream | batch */
  readonly type: string;
  /** The product's PII fields (governance.pii_fields entries) this port's schema carries. */
  readonly pii: string[];
  /**
   * Every field reference an input port can write that reads PII on this port (the field, a
   * record holding it, a field inside it, its bare name), with the PII fields it reads.
   */
  readonly reads: Record<string, string[]>;
}

/** data.pii_access: what data_mesh.standards needs to judge PII reads across products. */
export interface PiiAccessData {
  /** By source id (`<domain>/<product>`), then port name. */
  readonly ports: Record<string, Record<string, PiiPortData>>;
  /** The infra config's piiAccess, by consumer id then source id; `fields` absent: every PII field. */
  readonly authorizations: Record<string, Record<string, { fields?: string[] }>>;
  /** lakeFormation.piiAuthorizedConsumers: consumers authorized for every source. */
  readonly consumer_wide: Record<string, true>;
}

/** The policy data document (data.*), generated from the mesh; never written by hand. */
export interface PolicyData {
  readonly pii_registry: Record<string, Record<string, string[]>>;
  readonly products: Record<string, Record<string, ProductPolicyData>>;
  readonly erased_subjects: Record<string, ErasureRecord>;
  readonly standards?: Standards;
  readonly pii_access?: PiiAccessData;
}

export interface PolicyDataExtras {
  readonly erasures?: Readonly<Record<string, ErasureRecord>>;
  readonly standards?: Standards;
  /** The infra config's PII authorizations (`readPiiAccess`). @default none */
  readonly piiAccess?: PiiAccess;
}

/**
 * Generates the policy data document from the mesh: pii_registry[domain][product] (the PII
 * fields), products[domain][product] (classification, retention, GDPR, access policy, ports,
 * tags), erased_subjects (from governance/erasures/*.yaml via `readErasures`) and standards
 * (governance/standards.yaml via `readStandards`) and pii_access (the ports of every product
 * with PII and the field references that read it, with the infra config's authorizations via
 * `readPiiAccess`). Products whose spec failed its JSON Schema are left out (their
 * diagnostics come from the spec validator).
 */
export function generatePolicyData(mesh: MeshLike, extras: PolicyDataExtras = {}): PolicyData {
  const pii_registry: Record<string, Record<string, string[]>> = {};
  const products: Record<string, Record<string, ProductPolicyData>> = {};
  const ports: PiiAccessData['ports'] = {};
  for (const product of meshProducts(mesh)) {
    const spec = product.spec;
    const governance = spec.spec?.governance ?? {};
    const ref = typeof governance.access_policy === 'string' ? governance.access_policy : undefined;
    const name = ref === undefined ? undefined : accessPolicyName(ref);
    const entry: ProductPolicyData = {
      ...(typeof governance.data_classification === 'string' ? { classification: governance.data_classification } : {}),
      ...(typeof governance.retention_days === 'number' ? { retention_days: governance.retention_days } : {}),
      gdpr_subject_to_erasure: governance.gdpr_subject_to_erasure === true,
      // A reference that does not parse still denies (fail closed): the package is one no file declares.
      ...(ref !== undefined ? { access_policy: ref, access_package: name ? name.segments : (['invalid_reference', '_'] as const) } : {}),
      ports: (spec.spec?.outputPorts ?? []).map((p) => p.name).filter((n): n is string => typeof n === 'string'),
      tags: (spec.metadata?.tags ?? []).filter((t): t is string => typeof t === 'string'),
    };
    (products[product.domain] ??= {})[product.name] = entry;
    const pii = [...new Set((governance.pii_fields ?? []).filter((f): f is string => typeof f === 'string'))];
    (pii_registry[product.domain] ??= {})[product.name] = pii;
    if (pii.length > 0) ports[`${product.domain}/${product.name}`] = piiPorts(product, pii);
  }
  const authorizations: PiiAccessData['authorizations'] = {};
  const consumer_wide: PiiAccessData['consumer_wide'] = {};
  for (const a of extras.piiAccess?.authorizations ?? []) (authorizations[a.consumer] ??= {})[a.source] = a.fields ? { fields: [...a.fields] } : {};
  for (const c of extras.piiAccess?.consumerWide ?? []) consumer_wide[c.consumer] = true;
  const data: PolicyData = {
    pii_registry,
    products,
    erased_subjects: { ...(extras.erasures ?? {}) },
    ...(extras.standards ? { standards: extras.standards } : {}),
    pii_access: { ports, authorizations, consumer_wide },
  };
  return data;
}

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * The ports of a product with PII and the references that read it, resolved against each
 * port's schema as input fields are (`resolveInPorts`). A port whose schema is not loaded is
 * judged by the names alone: a PII field, a record path above it, its bare name.
 */
function piiPorts(product: MeshProductLike, pii: readonly string[]): Record<string, PiiPortData> {
  const out: Record<string, PiiPortData> = {};
  const loaded = new Map((product.outputPorts ?? []).map((p) => [p.name, p]));
  for (const spec of product.spec.spec?.outputPorts ?? []) {
    if (typeof spec.name !== 'string') continue;
    const reads: Record<string, string[]> = {};
    const add = (ref: string, field: string) => { const r = (reads[ref] ??= []); if (!r.includes(field)) r.push(field); };
    const port = loaded.get(spec.name);
    const table = port?.schemaFile?.fields;
    let carried: string[];
    if (!port || !table) {
      carried = [...pii];
      for (const field of pii) {
        const segments = field.split('.');
        segments.forEach((_s, i) => add(segments.slice(0, i + 1).join('.'), field));
        add(segments[segments.length - 1]!, field);
      }
    } else {
      const paths: [string, string][] = [];
      for (const field of pii) {
        const resolved = resolveInPorts([port], field, { suggest: false });
        if (resolved.ok) paths.push([resolved.path, field]);
      }
      carried = [...new Set(paths.map(([, f]) => f))];
      if (carried.length === 0) continue;
      table.paths.forEach((path, i) => {
        const touched = paths.filter(([p]) => overlaps(path, p));
        if (touched.length === 0) return;
        for (const [, field] of touched) add(path, field);
        const bare = path.slice(path.lastIndexOf('.') + 1);
        if (table.leaf[i] && bare !== path) {
          const resolved = resolveInPorts([port], bare, { suggest: false });
          if (resolved.ok && resolved.path === path) for (const [, field] of touched) add(bare, field);
        }
      });
    }
    out[spec.name] = { type: typeof spec.type === 'string' ? spec.type : 'stream', pii: carried, reads };
  }
  return out;
}

/** Reads and checks governance/standards.yaml. */
export function readStandards(root: string): { standards?: Standards; diagnostics: Diagnostic[] } {
  const file = STANDARDS_FILE;
  const full = path.join(root, file);
  if (!fs.existsSync(full)) {
    return { diagnostics: [diagnostic('error', CODES.standardsFile, `${file} is missing`, file, 1, 1, 'the standards policy needs the limits it defines')] };
  }
  const parsed = parseYaml(file, fs.readFileSync(full, 'utf8'));
  if ('failure' in parsed) {
    const { message, position } = parsed.failure;
    return { diagnostics: [diagnostic('error', CODES.standardsFile, `${file}: ${message}`, file, position.line, position.column)] };
  }
  const value = parsed.document.data;
  const problems: string[] = [];
  if (!isRecord(value)) problems.push('expected a mapping');
  const s = (isRecord(value) ? value : {}) as Record<string, unknown>;
  if (!isRecord(s.classifications) || Object.values(s.classifications).some((c) => !isRecord(c) || typeof c.max_retention_days !== 'number')) {
    problems.push('classifications.<level>.max_retention_days must be numbers');
  }
  const pii = s.pii as Record<string, unknown> | undefined;
  if (!isRecord(pii) || typeof pii.tag !== 'string' || typeof pii.role !== 'string' || !Array.isArray(pii.classifications)) {
    problems.push('pii needs tag, role and classifications');
  }
  if (!isRecord(s.gdpr) || typeof (s.gdpr as Record<string, unknown>).tag !== 'string') problems.push('gdpr.tag must be a string');
  const streamDays = isRecord(s.gdpr) ? s.gdpr.max_stream_erasure_days : undefined;
  if (streamDays !== undefined && !(Number.isInteger(streamDays) && (streamDays as number) > 0)) problems.push('gdpr.max_stream_erasure_days must be a positive integer');
  if (!isRecord(s.tiers) || Object.values(s.tiers).some((t) => !isRecord(t) || typeof t.min_uptime_percent !== 'number')) {
    problems.push('tiers.<tier>.min_uptime_percent must be numbers');
  }
  if (problems.length > 0) {
    return { diagnostics: problems.map((p) => diagnostic('error', CODES.standardsFile, `${file}: ${p}`, file, 1, 1)) };
  }
  return { standards: value as Standards, diagnostics: [] };
}

const SUBJECT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** Reads governance/erasures/*.yaml: `erasures: [{subject_id, requested_at?, ticket?}]`. */
export function readErasures(root: string): { erasures: Record<string, ErasureRecord>; diagnostics: Diagnostic[] } {
  const erasures: Record<string, ErasureRecord> = {};
  const diagnostics: Diagnostic[] = [];
  const dir = path.join(root, ERASURES_DIR);
  if (!fs.existsSync(dir)) return { erasures, diagnostics };
  for (const name of fs.readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const file = `${ERASURES_DIR}/${name}`;
    const parsed = parseYaml(file, fs.readFileSync(path.join(dir, name), 'utf8'));
    if ('failure' in parsed) {
      const { message, position } = parsed.failure;
      diagnostics.push(diagnostic('error', CODES.erasureFile, `${file}: ${message}`, file, position.line, position.column));
      continue;
    }
    const { document } = parsed;
    const list = isRecord(document.data) ? document.data.erasures : undefined;
    if (!Array.isArray(list)) {
      diagnostics.push(diagnostic('error', CODES.erasureFile, `${file}: expected a mapping with an 'erasures' list`, file, 1, 1, 'see governance/erasures/README.md'));
      continue;
    }
    for (const [index, item] of list.entries()) {
      const where = () => {
        const { line, column } = document.locate(['erasures', index]);
        return [line, column] as const;
      };
      const entry = isRecord(item) ? item : undefined;
      const id = entry?.subject_id;
      if (!entry || typeof id !== 'string' || !SUBJECT_ID.test(id)) {
        diagnostics.push(diagnostic('error', CODES.erasureFile, `${file}: each erasure needs a subject_id (letters, digits, . _ : @ -)`, file, ...where()));
        continue;
      }
      const unknown = Object.keys(entry).filter((k) => !['subject_id', 'requested_at', 'ticket'].includes(k));
      if (unknown.length > 0) {
        diagnostics.push(diagnostic('error', CODES.erasureFile, `${file}: unknown key(s) ${unknown.join(', ')}; expected subject_id, requested_at, ticket`, file, ...where()));
      }
      if (erasures[id]) {
        diagnostics.push(diagnostic('warning', CODES.erasureFile, `${file}: subject ${id} is already erased in ${erasures[id].file}`, file, ...where()));
        continue;
      }
      erasures[id] = {
        file,
        ...(typeof entry.requested_at === 'string' ? { requested_at: entry.requested_at } : {}),
        ...(typeof entry.ticket === 'string' ? { ticket: entry.ticket } : {}),
      };
    }
  }
  return { erasures, diagnostics };
}

/** generatePolicyData plus the governance files and the infra config's PII authorizations of the repository at `root`. */
export function buildPolicyData(root: string, mesh: MeshLike): { data: PolicyData; diagnostics: Diagnostic[] } {
  const standards = readStandards(root);
  const erasures = readErasures(root);
  const pii = readPiiAccess(root);
  const data = generatePolicyData(mesh, {
    erasures: erasures.erasures,
    ...(standards.standards ? { standards: standards.standards } : {}),
    piiAccess: pii.access,
  });
  return { data, diagnostics: [...standards.diagnostics, ...erasures.diagnostics, ...pii.diagnostics, ...checkPiiAccess(pii.access, mesh)] };
}
