import { resolveInPorts } from './fields';
import type { Mesh } from './mesh';
import type { DataProduct, LifecycleStatus, LineageEdge, OutputPort, PortReference, ProductReference } from './model';

/** A product's lifecycle status (`metadata.status`, default active). */
export function productStatus(product: DataProduct): LifecycleStatus {
  return product.spec.metadata.status ?? 'active';
}

/**
 * The status a source's readers are judged by: undefined when its spec is not judged, or a
 * schema error set its status (or metadata) aside, so nothing is said until it is fixed.
 */
export function judgedStatus(mesh: Mesh, product: DataProduct): LifecycleStatus | undefined {
  if (!mesh.isJudged(product.id)) return undefined;
  const removed = mesh.salvagedProducts.get(product.id)?.removed ?? [];
  if (removed.some((path) => path.length === 0 || (path[0] === 'metadata' && (path.length === 1 || path[1] === 'status')))) return undefined;
  return productStatus(product);
}

/** Whether a YYYY-MM-DD text names a day of the calendar (not 2027-02-30). */
export function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The UTC day of an instant, YYYY-MM-DD: what sunset dates compare with. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** A sunset has passed on its own day: from then on the product or port is no longer served. */
export function sunsetPassed(sunset: string | undefined, now: Date): boolean {
  return sunset !== undefined && sunset <= dayOf(now);
}

/** A day plus some days, YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** A reference as the messages show it: `orders/order-events-v2` or `orders/order-events-v2 port order_events`. */
export function describeReference(reference: ProductReference | PortReference, from: DataProduct): string {
  const product = reference.product ?? from.id;
  return reference.port === undefined ? product : `${product} port ${reference.port}`;
}

/** What a reference names in the mesh; `missing` says which part does not exist. */
export type ResolvedReference =
  | { readonly ok: true; readonly product: DataProduct; readonly port?: OutputPort }
  | { readonly ok: false; readonly missing: 'product' | 'port'; readonly product?: DataProduct }
  | { readonly ok: 'unknown' };

/** Resolves a lifecycle reference; `unknown` when the product exists but could not be read or lost its ports to a schema error. */
export function resolveReference(mesh: Mesh, reference: ProductReference | PortReference, from: DataProduct): ResolvedReference {
  const id = reference.product ?? from.id;
  const product = mesh.products.get(id);
  if (!product) return mesh.unreadableProducts.has(id) ? { ok: 'unknown' } : { ok: false, missing: 'product' };
  if (!mesh.isJudged(id)) return { ok: 'unknown' };
  if (reference.port === undefined) return { ok: true, product };
  const port = product.outputPorts.find((p) => p.name === reference.port);
  if (port) return { ok: true, product, port };
  return mesh.hasIntactPorts(id) ? { ok: false, missing: 'port', product } : { ok: 'unknown' };
}

/**
 * The deprecated ports of its source that an input depends on: the pinned port when it is
 * deprecated; without a pin, the deprecated ports holding a field it reads that no port in
 * service has (a field the replacement port also has is read from there).
 */
export function deprecatedPortsRead(edge: LineageEdge): readonly OutputPort[] {
  const source = edge.source;
  if (!source) return [];
  if (edge.spec.port !== undefined) return source.outputPorts.filter((p) => p.name === edge.spec.port && p.spec.deprecated === true);
  const deprecated = source.outputPorts.filter((p) => p.spec.deprecated === true);
  if (deprecated.length === 0) return [];
  const inService = source.outputPorts.filter((p) => p.spec.deprecated !== true);
  const read = new Set<OutputPort>();
  for (const field of edge.spec.fields) {
    if (resolveInPorts(inService, field, { suggest: false }).ok) continue;
    const found = resolveInPorts(deprecated, field, { suggest: false });
    if (found.ok) read.add(found.port);
  }
  return [...read];
}
