/**
 * What this package reads from the mesh. `Mesh` from @data-mesh/spec (`loadMesh(root)`) fits
 * these interfaces structurally; tests and benchmarks may build them by hand.
 */
import type { OutputPort } from '@data-mesh/spec/core';

export type JsonPath = readonly (string | number)[];

export interface Locator {
  /** Position of the node at `path` (or its nearest existing ancestor). 1-based. */
  locate(path: JsonPath): { readonly line: number; readonly column: number; readonly endLine?: number; readonly endColumn?: number };
  /** The text positions are found in: with it, a cache can keep them for the same text. */
  readonly text?: string;
}

export interface GovernanceLike {
  readonly pii_fields?: readonly string[];
  readonly data_classification?: string;
  readonly retention_days?: number;
  readonly gdpr_subject_to_erasure?: boolean;
  readonly access_policy?: string;
}

/** The parsed data-product.yaml, as far as policies read it. */
export interface ProductSpecLike {
  readonly metadata?: { readonly name?: string; readonly domain?: string; readonly tags?: readonly string[] };
  readonly spec?: {
    readonly outputPorts?: readonly { readonly name?: string; readonly type?: string; readonly sla?: { readonly uptime?: string } }[];
    readonly inputPorts?: readonly { readonly sourceProduct?: string; readonly port?: string; readonly fields?: readonly string[] }[];
    readonly governance?: GovernanceLike;
  };
}

export interface MeshProductLike {
  readonly domain: string;
  readonly name: string;
  /** The spec file relative to the repository root. */
  readonly file: string;
  readonly spec: ProductSpecLike;
  readonly document?: Locator;
  /** The loaded ports, with the field tables of their schemas (field references resolve against them). */
  readonly outputPorts?: readonly OutputPort[];
}

export interface MeshLike {
  readonly products: ReadonlyMap<string, MeshProductLike> | Iterable<MeshProductLike>;
  /** Ids (`<domain>/<name>`) of products whose spec failed its JSON Schema. */
  readonly invalidProducts?: ReadonlySet<string>;
}

export function meshProducts(mesh: MeshLike): MeshProductLike[] {
  const all = mesh.products instanceof Map ? [...mesh.products.values()] : [...(mesh.products as Iterable<MeshProductLike>)];
  return all
    .filter((p) => !mesh.invalidProducts?.has(`${p.domain}/${p.name}`))
    .sort((a, b) => (a.domain === b.domain ? cmp(a.name, b.name) : cmp(a.domain, b.domain)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
