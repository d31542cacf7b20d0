import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, type Diagnostic, type PolicyCode } from './diagnostics';
import { locateInProduct } from './locate';
import { meshProducts, type JsonPath, type MeshLike } from './mesh-input';
import { ENTRYPOINTS, loadCompiledPolicy, type CompiledPolicy } from './wasm';
import type { PolicyData } from './data';

/** A finding of data_mesh.standards, as the policy returns it. */
export interface StandardsFinding {
  readonly code: string;
  readonly message: string;
  readonly path: JsonPath;
  /** @default 'error' */
  readonly severity?: 'error' | 'warning';
}

/** Finding codes of governance/policies/standards.rego -> diagnostic codes. */
export const STANDARDS_CODES: Readonly<Record<string, PolicyCode>> = {
  'pii-tag': CODES.piiTag,
  'pii-classification': CODES.piiClassification,
  'restricted-access-policy': CODES.restrictedAccessPolicy,
  'gdpr-erasure': CODES.gdprErasure,
  'gdpr-tag': CODES.gdprTag,
  'retention-limit': CODES.retentionLimit,
  'tier-uptime': CODES.tierUptime,
  'gdpr-stream-retention': CODES.gdprStreamRetention,
  'pii-unauthorized': CODES.piiRead,
  'pii-stream-partial': CODES.piiRead,
};

/** Where the fix of a finding is, when it is not the spec's limits in governance/standards.yaml. */
const STANDARDS_HINTS: Readonly<Record<string, string>> = {
  'pii-unauthorized':
    'the platform team authorizes a consumer and source pair under piiAccess in infra/config.yaml (with a reason); or drop the field: without an authorization a stream is read through its PII-free projection (<topic>.pii-free) and Lake Formation withholds PII columns',
  'pii-stream-partial': 'authorize every PII field of the port (leave fields out of the piiAccess entry), or read a batch port (port: <name>), where Lake Formation grants columns',
};

export interface StandardsReport {
  readonly findings: readonly { readonly product: string; readonly finding: StandardsFinding }[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Where checkStandards keeps each product's findings between runs. An evaluation of the
 * standards is a function of the compiled module, the data document and the spec alone: the
 * wasm admits no clock, randomness or I/O (WASM_BUILTINS), so a result found under the digest
 * of all three is the result a new evaluation would give.
 */
export interface StandardsCache {
  /** A folder of this tool's own (e.g. <root>/.tools/cache). */
  readonly dir: string;
  /** sha256 of the compiled module (WasmBuild.wasmDigest). */
  readonly wasmDigest: string;
}

const STANDARDS_CACHE_FORMAT = 2;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

type Span = { readonly line: number; readonly column: number; readonly endLine?: number; readonly endColumn?: number };

/**
 * A spec's findings, and where they are in its text: positions need a second, position-keeping
 * parse of the YAML, which costs more than the evaluation on a small mesh, and depend on the
 * text (comments, layout) where the findings depend on the spec alone.
 */
interface CachedFindings {
  readonly findings: StandardsFinding[];
  readonly located?: { readonly text: string; readonly at: Span[] };
}

function isCachedFindings(value: unknown): value is CachedFindings {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as CachedFindings).findings)) return false;
  const located = (value as CachedFindings).located;
  return located === undefined || (typeof located.text === 'string' && Array.isArray(located.at) && located.at.length === (value as CachedFindings).findings.length);
}

/** The findings kept for one module and data document, by spec digest; empty when there are none or they are unreadable. */
function readFindingsCache(file: string): Map<string, CachedFindings> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: unknown; results?: unknown };
    if (parsed.format !== STANDARDS_CACHE_FORMAT || typeof parsed.results !== 'object' || parsed.results === null) return new Map();
    return new Map(Object.entries(parsed.results as Record<string, unknown>).filter((e): e is [string, CachedFindings] => isCachedFindings(e[1])));
  } catch {
    return new Map();
  }
}

/** Replaces the folder's findings with these (one module and data document at a time); a cache that cannot be written only costs the next run an evaluation. */
function writeFindingsCache(file: string, results: ReadonlyMap<string, CachedFindings>): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const old of fs.readdirSync(path.dirname(file))) if (path.join(path.dirname(file), old) !== file) fs.rmSync(path.join(path.dirname(file), old), { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: STANDARDS_CACHE_FORMAT, results: Object.fromEntries(results) }));
    fs.renameSync(tmp, file);
  } catch {
    // not fatal
  }
}

/**
 * Publish-time standards: evaluates data_mesh.standards on every product's spec through the
 * compiled wasm and reports each finding at the YAML node its JSON path names.
 */
export async function checkStandards(
  root: string,
  mesh: MeshLike,
  options: {
    /** The compiled policy, or how to load it: called only when some product's findings are not in `cache`. */
    policy?: CompiledPolicy | (() => Promise<CompiledPolicy>);
    data?: PolicyData;
    products?: ReadonlySet<string>;
    /** Keeps each product's findings between runs (needs `data`, part of the key). @default no cache */
    cache?: StandardsCache;
  } = {},
): Promise<StandardsReport> {
  let policy = typeof options.policy === 'function' ? undefined : options.policy;
  const diagnostics: Diagnostic[] = [];
  const evaluator = async (): Promise<CompiledPolicy | undefined> => {
    if (policy) return policy;
    if (typeof options.policy === 'function') return (policy = await options.policy());
    const loaded = await loadCompiledPolicy(root, { mesh, ...(options.data ? { data: options.data } : {}) });
    diagnostics.push(...loaded.diagnostics);
    return (policy = loaded.policy);
  };
  const cacheFile = options.cache && options.data
    ? path.join(options.cache.dir, 'standards', `${sha256(`${STANDARDS_CACHE_FORMAT}\0${options.cache.wasmDigest}\0${JSON.stringify(options.data)}`)}.json`)
    : undefined;
  const kept = cacheFile ? readFindingsCache(cacheFile) : new Map<string, CachedFindings>();
  const results = new Map<string, CachedFindings>();
  let missed = false;
  const findings: { product: string; finding: StandardsFinding }[] = [];
  for (const product of meshProducts(mesh)) {
    if (options.products && !options.products.has(`${product.domain}/${product.name}`)) continue;
    const specDigest = cacheFile ? sha256(JSON.stringify(product.spec)) : '';
    const entry = kept.get(specDigest);
    let list = entry?.findings;
    if (!list) {
      const evaluating = await evaluator();
      if (!evaluating) return { findings: [], diagnostics };
      const result = evaluating.evaluate(product.spec, ENTRYPOINTS.standards);
      list = Array.isArray(result) ? (result as StandardsFinding[]) : [];
      missed = true;
    }
    // positions are kept for the text they were found in (only specs with findings pay the digest)
    const text = cacheFile && list.length > 0 && product.document?.text !== undefined ? sha256(product.document.text) : undefined;
    const keptAt = text !== undefined && entry?.located?.text === text && entry.findings === list ? entry.located.at : undefined;
    const at = keptAt ?? list.map((finding) => locateInProduct(root, product, finding.path));
    if (text !== undefined && !keptAt) missed = true;
    if (cacheFile) results.set(specDigest, { findings: list, ...(text !== undefined ? { located: { text, at } } : {}) });
    list.forEach((finding, index) => {
      findings.push({ product: `${product.domain}/${product.name}`, finding });
      const pos = at[index]!;
      diagnostics.push({
        severity: finding.severity === 'warning' ? 'warning' : 'error',
        code: STANDARDS_CODES[finding.code] ?? CODES.standardsOther,
        message: `${product.domain}/${product.name}: ${finding.message}`,
        file: product.file,
        line: pos.line,
        column: pos.column,
        ...(pos.endLine !== undefined ? { endLine: pos.endLine, endColumn: pos.endColumn } : {}),
        hint: STANDARDS_HINTS[finding.code] ?? `governance standard '${finding.code}' (governance/policies/standards.rego, limits in governance/standards.yaml)`,
      });
    });
  }
  // A run over some products keeps what the others had; a run over all keeps only what the mesh has now.
  if (cacheFile && missed) writeFindingsCache(cacheFile, options.products ? new Map([...kept, ...results]) : results);
  return { findings, diagnostics };
}
