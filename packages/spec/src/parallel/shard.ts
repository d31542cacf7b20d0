import type { Diagnostic } from '../diagnostics';
import { SourceDocument } from '../document';
import { addProduct, loadProducts, LoadedSchemaFile, DEFAULT_LIMITS, DOMAINS_DIR, schemaFileFor, type ProductLocation } from '../load';
import { Mesh } from '../mesh';
import type { Domain, SchemaFile } from '../model';
import { RULES } from '../rules';
import { runRule } from '../rules/rule';
import { fileSystemSource } from '../source';

/** One part of a mesh's products, to be loaded and checked by product-scoped rules apart from the rest. */
export interface ShardInput {
  readonly root: string;
  readonly domains: readonly Domain[];
  readonly locations: readonly ProductLocation[];
  /** The run's instant (see RuleContext.now), as an ISO-8601 text. */
  readonly now: string;
}

/** What a shard sends back: plain data that crosses a thread boundary cheaply. */
export interface ShardOutput {
  readonly diagnostics: Diagnostic[];
  readonly products: { id: string; domain: string; name: string; file: string; text: string; data: unknown; valid: boolean }[];
  readonly unreadableProducts: string[];
  readonly schemas: { ref: string; file: string; status: SchemaFile['status']; fields?: { paths: readonly string[]; leaf: Uint8Array } }[];
}

export function runProductRules(mesh: Mesh, sink: Diagnostic[], now: Date): void {
  for (const rule of RULES) if (rule.scope === 'product') runRule(rule, mesh, sink, now);
}

/** The rules across products; `subjects`: report only these products' own findings (see RuleContext.subjects). */
export function runMeshRules(mesh: Mesh, sink: Diagnostic[], now: Date, subjects?: ReadonlySet<string>): void {
  for (const rule of RULES) if (rule.scope === 'mesh') runRule(rule, mesh, sink, now, subjects);
}

/** Loads a shard's products and runs the product-scoped rules on them. */
export function validateShard(input: ShardInput): ShardOutput {
  const mesh = new Mesh(input.root, fileSystemSource(input.root));
  for (const domain of input.domains) mesh.domains.set(domain.name, domain);
  // Listing each domain folder once proves its product folders lie inside the root, so reading
  // a spec does not resolve its folder's real path (one call per product otherwise).
  for (const domain of new Set(input.locations.map((l) => l.domain))) mesh.source.list(`${DOMAINS_DIR}/${domain}`);
  loadProducts(mesh, input.locations);
  const diagnostics: Diagnostic[] = [];
  runProductRules(mesh, diagnostics, new Date(input.now));
  return {
    diagnostics,
    products: [...mesh.products.values()].map((p) => ({
      id: p.id,
      domain: p.domain,
      name: p.name,
      file: p.file,
      text: p.document.text,
      data: p.document.data,
      valid: !mesh.invalidProducts.has(p.id),
    })),
    unreadableProducts: [...mesh.unreadableProducts],
    schemas: [...mesh.schemas.values()].map((s) => ({ ref: s.ref, file: s.file, status: s.status, ...(s.fields ? { fields: s.fields } : {}) })),
  };
}

/** Adds a shard's products to the mesh that the mesh-scoped rules will run on. */
export function adoptShard(mesh: Mesh, shard: ShardOutput): void {
  for (const s of shard.schemas) {
    if (!mesh.schemas.has(s.ref)) mesh.schemas.set(s.ref, new LoadedSchemaFile(s.ref, s.file, s.status, s.fields, mesh.source, DEFAULT_LIMITS.maxSchemaBytes));
  }
  for (const id of shard.unreadableProducts) mesh.unreadableProducts.add(id);
  for (const p of shard.products) {
    const document = new SourceDocument(p.file, p.text, p.data);
    addProduct(mesh, { id: p.id, domain: p.domain, name: p.name, file: p.file, document, valid: p.valid }, (reference) => {
      const target = schemaFileFor(reference);
      return target ? mesh.schemas.get(target.ref) : undefined;
    });
  }
}
