import type { AvroIssue } from '@data-mesh/schema-compat';
import { scanRegoPackages, type RegoPackage } from './access-policies';
import type { ParseFailure, SourceDocument } from './document';
import type { SchemaViolation } from './json-schema';
import type { DataProduct, Domain, DomainMapSpec, LineageEdge, PlatformSpec, SchemaFile } from './model';
import type { Salvage } from './salvage';
import type { MeshSource } from './source';

/** A file that could not be read or parsed at all. */
export interface UnreadableFile {
  readonly file: string;
  readonly failure: ParseFailure;
}

/** A document that parsed but does not match its JSON Schema. */
export interface InvalidDocument {
  readonly document: SourceDocument;
  readonly violations: readonly SchemaViolation[];
}

/** A folder under domains/ and what was found in it. */
export interface DomainFolder {
  readonly name: string;
  /** Product folders, by name. */
  readonly productFolders: readonly string[];
}

/**
 * The mesh as a graph: domains, products, their ports and the lineage edges between them.
 * Built by `loadMesh`; queried by the rules, the diff and the infrastructure.
 */
export class Mesh {
  readonly domains = new Map<string, Domain>();
  /** Products by id (`<domain>/<name>`), including those whose spec has schema violations. */
  readonly products = new Map<string, DataProduct>();
  /** Schema files by reference (`<domain>/<subject>`). */
  readonly schemas = new Map<string, SchemaFile>();
  readonly domainFolders: DomainFolder[] = [];
  readonly unreadable: UnreadableFile[] = [];
  readonly invalid: InvalidDocument[] = [];
  /** Schema files that are JSON but not valid Avro (or not JSON at all). */
  readonly avroErrors: { readonly document: SourceDocument; readonly errors: readonly AvroIssue[] }[] = [];
  /** Ids of product folders whose spec exists but could not be read or parsed (see `unreadable`). */
  readonly unreadableProducts = new Set<string>();
  /** Ids of products whose spec failed its JSON Schema: nothing is built, diffed or deployed from them. */
  readonly invalidProducts = new Set<string>();
  /**
   * Invalid products whose spec is still judged by the rules beyond MESH101, without its broken
   * nodes (see `salvage`), by id: one run reports every finding the document allows.
   */
  readonly salvagedProducts = new Map<string, Salvage>();
  domainMap?: { readonly document: SourceDocument; readonly spec: DomainMapSpec };
  platform?: { readonly document: SourceDocument; readonly spec: PlatformSpec };
  /** The committed `.github/CODEOWNERS`, when there is one. */
  codeowners?: { readonly file: string; readonly text: string };

  private consumerIndex?: Map<string, LineageEdge[]>;
  private packages?: ReadonlyMap<string, RegoPackage>;

  constructor(
    readonly root: string,
    /** Where the mesh was read from; schemas are parsed again from it on demand. */
    readonly source: MeshSource,
  ) {}

  private readonly lists = new Map<'valid' | 'judged', { readonly key: string; readonly products: readonly DataProduct[] }>();

  /**
   * The products that pass `keep`, in a stable order. Every rule asks; the lists change only
   * while the mesh is being loaded, so each is kept until a product is added or set aside.
   */
  private productList(name: 'valid' | 'judged', keep: (id: string) => boolean): readonly DataProduct[] {
    const key = `${this.products.size}/${this.invalidProducts.size}/${this.salvagedProducts.size}`;
    let list = this.lists.get(name);
    if (list?.key !== key) {
      const products: DataProduct[] = [];
      for (const product of this.products.values()) if (keep(product.id)) products.push(product);
      this.lists.set(name, (list = { key, products }));
    }
    return list.products;
  }

  /** Products whose spec passed the JSON Schema, in a stable order. */
  validProducts(): readonly DataProduct[] {
    return this.productList('valid', (id) => !this.invalidProducts.has(id));
  }

  /** Products the rules judge: the valid ones and the salvaged ones, in a stable order. */
  judgedProducts(): readonly DataProduct[] {
    return this.productList('judged', (id) => this.isJudged(id));
  }

  /** Whether the rules judge this product (it is valid, or salvaged). */
  isJudged(id: string): boolean {
    return !this.invalidProducts.has(id) || this.salvagedProducts.has(id);
  }

  /**
   * Whether this product's output ports are all there as written: what its readers check
   * against them (ports, fields, SLAs) is judged only then, not against a salvaged spec
   * that lost a port node.
   */
  hasIntactPorts(id: string): boolean {
    if (!this.invalidProducts.has(id)) return true;
    const salvaged = this.salvagedProducts.get(id);
    return salvaged !== undefined && !salvaged.removed.some((path) => path[0] === 'spec' && (path.length === 1 || path[1] === 'outputPorts'));
  }

  product(id: string): DataProduct | undefined {
    return this.products.get(id);
  }

  /** Lineage edges whose source is the given product: who reads it, and which fields. */
  consumersOf(productId: string): readonly LineageEdge[] {
    if (!this.consumerIndex) {
      this.consumerIndex = new Map();
      for (const product of this.products.values()) {
        for (const edge of product.inputs) {
          const key = edge.spec.sourceProduct;
          let list = this.consumerIndex.get(key);
          if (!list) this.consumerIndex.set(key, (list = []));
          list.push(edge);
        }
      }
    }
    return this.consumerIndex.get(productId) ?? [];
  }

  /** Every product downstream of the given one (transitively), nearest first. */
  downstreamOf(productId: string): DataProduct[] {
    const seen = new Set<string>([productId]);
    const order: DataProduct[] = [];
    const queue = [productId];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      for (const edge of this.consumersOf(id)) {
        if (seen.has(edge.consumer.id)) continue;
        seen.add(edge.consumer.id);
        order.push(edge.consumer);
        queue.push(edge.consumer.id);
      }
    }
    return order;
  }

  /** The Rego packages of governance/policies and domains/<d>/policies, read on first use. */
  regoPackages(): ReadonlyMap<string, RegoPackage> {
    return (this.packages ??= scanRegoPackages(this.source));
  }

  /** All lineage edges of the mesh. */
  edges(): LineageEdge[] {
    const edges: LineageEdge[] = [];
    for (const product of this.products.values()) edges.push(...product.inputs);
    return edges;
  }
}
