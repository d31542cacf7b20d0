import { changedFiles, git, gitSource, resolveRevision } from '../diff/git';
import { compareDiagnostics, type Diagnostic } from '../diagnostics';
import { decodeUtf8, parseYaml, SourceDocument } from '../document';
import {
  addProduct,
  attachSchemas,
  DEFAULT_LIMITS,
  DOMAIN_MAP_FILE,
  DOMAINS_DIR,
  linkMesh,
  loadMeshFrame,
  loadProducts,
  productLocations,
  schemaFileFor,
  SPEC_FILE_NAME,
} from '../load';
import { Mesh } from '../mesh';
import type { DataProduct, DomainMapSpec } from '../model';
import { parsedQualityChecks } from '../quality/checks';
import { referencesIn } from '../quality/rule-language';
import { runMeshRules, runProductRules } from '../parallel/shard';
import { validationResult, type ClockOptions, type ValidationResult } from '../validate';
import { SpecCache } from './spec-cache';

/** What a change reached, and so what an incremental validation checked. */
export interface ChangeScope {
  /** The base commit id. */
  readonly base: string;
  /** Files under the mesh root that differ from the base (the work tree, untracked files included). */
  readonly changedFiles: readonly string[];
  /**
   * Products every rule ran on: their spec or a schema they reference changed, or their
   * domain's entry in the domain map did.
   */
  readonly changed: readonly string[];
  /** Products that read a changed product (an input port, or a REFERENCES rule): the rules that look across products checked them again. */
  readonly readers: readonly string[];
  /** governance/ or a domain's policies/ changed: every product's policy checks must run. */
  readonly policiesChanged: boolean;
  /** Products of the mesh, for the report: all of them went through the rules that look across products. */
  readonly products: number;
  readonly cache: {
    /** Specs taken from the cache, parsed this run. */
    readonly hits: number;
    readonly parsed: number;
    /** Why the cache file was not used, or could not be written. */
    readonly notes: readonly string[];
  };
}

export interface ChangeValidationResult extends ValidationResult {
  readonly scope: ChangeScope;
}

export interface ChangeValidationOptions extends ClockOptions {
  /** The git revision the change is against. */
  readonly base: string;
  /** Where parsed specs are kept between runs (keyed by content). Default: no cache. */
  readonly cacheDir?: string;
}

const SPEC_PATH = /^domains\/([^/]+)\/([^/]+)\/data-product\.yaml$/;
const SCHEMA_PATH = /^domains\/([^/]+)\/schemas\/([^/]+)\.avsc$/;
const POLICY_PATH = /^(?:governance\/|domains\/[^/]+\/policies\/)/;
const REGO_PATH = /^(?:governance\/policies|domains\/[^/]+\/policies)\/[^/]+\.rego$/;

/**
 * Validates the work tree of a git repository against a base revision at the cost of the
 * change: every rule runs on the products the change reached, and the rules that look across
 * products (lineage, SLA gaps, field references, name collisions, the map against the folders,
 * CODEOWNERS) run on the whole mesh, built from the specs alone. Specs are parsed once per
 * content and kept in `cacheDir`; the schemas read are those of the changed products and the
 * products they read.
 *
 * The findings equal those of `validateMesh` wherever they can differ from the base's: the
 * products the change did not reach keep the findings of their own spec and schemas that the
 * base had (none, when the base passed its own check).
 */
export function validateChange(root: string, options: ChangeValidationOptions): ChangeValidationResult {
  const repo = git(root, ['rev-parse', '--show-toplevel']).toString().trim();
  const prefix = git(root, ['rev-parse', '--show-prefix']).toString().trim();
  const base = resolveRevision(repo, options.base);
  // the infra config holds the PII authorizations the policy standards read
  const files = changedFiles(repo, base, undefined, ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'infra/config.yaml', 'infra/config.example.yaml'].map((p) => `${prefix}${p}`))
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length));
  const changedSet = new Set(files);
  const baseBlobs = specBlobs(repo, base, prefix);

  const mesh = loadMeshFrame(root);
  const cache = SpecCache.open(options.cacheDir);
  let hits = 0;
  let parsed = 0;
  for (const location of productLocations(mesh)) {
    const id = `${location.domain}/${location.folder}`;
    const file = `${DOMAINS_DIR}/${id}/${SPEC_FILE_NAME}`;
    const blob = changedSet.has(file) ? undefined : baseBlobs.get(file);
    const cached = blob === undefined ? undefined : cache.get(blob);
    if (cached !== undefined) {
      hits++;
      const document = new SourceDocument(file, () => readText(mesh, file), cached);
      addProduct(mesh, { id, domain: location.domain, name: location.folder, file, document, valid: true }, () => undefined);
      continue;
    }
    parsed++;
    loadProducts(mesh, [location], { readSchemas: false });
    const product = mesh.products.get(id);
    if (blob !== undefined && product && !mesh.invalidProducts.has(id) && isPlainJson(product.document.data)) cache.put(blob, product.document.data);
  }
  linkMesh(mesh);

  const changed = changedProducts(mesh, files, () => baseDomainMap(repo, base, prefix));
  const inScope = mesh.judgedProducts().filter((p) => changed.has(p.id));
  const needSchemas = new Set<DataProduct>(inScope);
  for (const product of inScope) for (const edge of product.inputs) if (edge.source && mesh.isJudged(edge.source.id)) needSchemas.add(edge.source);
  // a REFERENCES rule reads the other product's port schema (MESH404)
  for (const product of inScope) {
    for (const parse of parsedQualityChecks(product)) {
      if (!parse.ok) continue;
      for (const { target } of referencesIn(parse.expression)) {
        const other = mesh.products.get(target.product);
        if (other) needSchemas.add(other);
      }
    }
  }
  const readers = new Set<string>();
  for (const id of changed) for (const edge of mesh.consumersOf(id)) if (!changed.has(edge.consumer.id)) readers.add(edge.consumer.id);
  // a REFERENCES rule reads the other product's port too: its holder is judged again with both schemas
  for (const { product, target } of referencesInto(mesh, changed)) {
    if (changed.has(product.id)) continue;
    readers.add(product.id);
    needSchemas.add(product);
    const other = mesh.products.get(target);
    if (other) needSchemas.add(other);
  }
  attachSchemas(mesh, needSchemas);

  const now = options.now ?? new Date();
  const diagnostics: Diagnostic[] = [];
  runProductRules(scopedView(mesh, changed), diagnostics, now);
  // What a product reads is judged again only where it or its source changed (the ids of
  // removed and unreadable products are in `changed`, so their readers are among `readers`).
  runMeshRules(mesh, diagnostics, now, new Set([...changed, ...readers]));
  diagnostics.sort(compareDiagnostics);
  const notes = [cache.ignored, cache.save()].filter((n): n is string => n !== undefined);
  return {
    ...validationResult(mesh, diagnostics),
    scope: {
      base,
      changedFiles: files,
      changed: [...changed].sort(),
      readers: [...readers].sort(),
      policiesChanged: files.some((f) => POLICY_PATH.test(f)),
      products: mesh.products.size + mesh.unreadableProducts.size,
      cache: { hits, parsed, notes },
    },
  };
}

/** The judged products with a REFERENCES rule into one of `targets`, and which target. */
function referencesInto(mesh: Mesh, targets: ReadonlySet<string>): { product: DataProduct; target: string }[] {
  const found: { product: DataProduct; target: string }[] = [];
  for (const product of mesh.judgedProducts()) {
    // most rules have no REFERENCES: only those whose text names it are parsed
    if (!(product.spec.spec.qualityChecks ?? []).some((check) => typeof check.rule === 'string' && /references/i.test(check.rule))) continue;
    for (const parse of parsedQualityChecks(product)) {
      if (!parse.ok) continue;
      for (const { target } of referencesIn(parse.expression)) if (targets.has(target.product)) found.push({ product, target: target.product });
    }
  }
  return found;
}

/** Blob ids of the specs at a commit, by path relative to the mesh root. */
function specBlobs(repo: string, commit: string, prefix: string): Map<string, string> {
  const blobs = new Map<string, string>();
  const output = git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${prefix}${DOMAINS_DIR}`]).toString('utf8');
  for (const line of output.split('\0')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const [mode, type, blob] = line.slice(0, tab).split(' ');
    const file = line.slice(tab + 1).slice(prefix.length);
    if (type === 'blob' && mode !== '120000' && blob && SPEC_PATH.test(file)) blobs.set(file, blob);
  }
  return blobs;
}

function readText(mesh: Mesh, file: string): string {
  const read = mesh.source.read(file, DEFAULT_LIMITS.maxYamlBytes);
  if (read.kind !== 'ok') return '';
  const decoded = decodeUtf8(read.bytes);
  return 'text' in decoded ? decoded.text : '';
}

/** Whether a value survives a JSON round trip unchanged (YAML can hold .inf, .nan and the like). */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value === 'object') return Object.getPrototypeOf(value) === Object.prototype && Object.values(value as object).every(isPlainJson);
  return false;
}

/** The base's domain map entries, or undefined when the base has no readable map. */
function baseDomainMap(repo: string, base: string, prefix: string): DomainMapSpec['domains'] | undefined {
  const read = gitSource(repo, base, prefix).read(DOMAIN_MAP_FILE, DEFAULT_LIMITS.maxYamlBytes);
  if (read.kind !== 'ok') return undefined;
  const decoded = decodeUtf8(read.bytes);
  if (!('text' in decoded)) return undefined;
  const parsed = parseYaml(DOMAIN_MAP_FILE, decoded.text);
  if (!('document' in parsed)) return undefined;
  const domains = (parsed.document.data as Partial<DomainMapSpec> | null)?.domains;
  return typeof domains === 'object' && domains !== null ? domains : undefined;
}

/**
 * The products every rule must run on: a changed spec, a changed schema any port references,
 * a changed Rego file when the product names an access policy, or a changed entry of the
 * product's domain in the domain map (ownership is checked against it).
 */
function changedProducts(mesh: Mesh, files: readonly string[], baseMap: () => DomainMapSpec['domains'] | undefined): Set<string> {
  const changed = new Set<string>();
  const schemas = new Set<string>();
  for (const file of files) {
    const spec = SPEC_PATH.exec(file);
    if (spec) changed.add(`${spec[1]}/${spec[2]}`);
    const schema = SCHEMA_PATH.exec(file);
    if (schema) schemas.add(`${schema[1]}/${schema[2]}`);
  }
  if (schemas.size > 0) {
    for (const product of mesh.products.values()) {
      if (!mesh.isJudged(product.id)) continue;
      if (product.outputPorts.some((port) => schemas.has(schemaFileFor(port.spec.schema)?.ref ?? ''))) changed.add(product.id);
    }
  }
  // MESH114 resolves access_policy against the Rego packages: a changed package file reaches every product that names one.
  if (files.some((f) => REGO_PATH.test(f))) {
    for (const product of mesh.judgedProducts()) if (product.spec.spec.governance?.access_policy !== undefined) changed.add(product.id);
  }
  if (files.includes(DOMAIN_MAP_FILE)) {
    const before = baseMap();
    const after = mesh.domainMap?.spec.domains;
    for (const product of mesh.products.values()) {
      if (before === undefined || after === undefined || JSON.stringify(before[product.domain]) !== JSON.stringify(after[product.domain])) changed.add(product.id);
    }
  }
  return changed;
}

/** The mesh as the product-scoped rules see it: only the changed products, every file that failed to read or parse. */
function scopedView(mesh: Mesh, changed: ReadonlySet<string>): Mesh {
  const view = new Mesh(mesh.root, mesh.source);
  for (const [name, domain] of mesh.domains) view.domains.set(name, domain);
  for (const [ref, schema] of mesh.schemas) view.schemas.set(ref, schema);
  for (const product of mesh.products.values()) {
    if (!changed.has(product.id)) continue;
    view.products.set(product.id, product);
    if (mesh.invalidProducts.has(product.id)) view.invalidProducts.add(product.id);
    const salvaged = mesh.salvagedProducts.get(product.id);
    if (salvaged) view.salvagedProducts.set(product.id, salvaged);
  }
  for (const id of mesh.unreadableProducts) view.unreadableProducts.add(id);
  view.unreadable.push(...mesh.unreadable);
  view.invalid.push(...mesh.invalid);
  view.avroErrors.push(...mesh.avroErrors);
  return view;
}
