import { subjectIdField, type Mesh } from '@data-mesh/spec';

/** What a change reaches in the CDK app: which products to build and which stacks to diff. */
export interface PlanScope {
  /** Domains whose stacks are diffed (every product of them is built). */
  readonly domains: ReadonlySet<string>;
  /** Products whose spec or schemas changed, on either side. */
  readonly changed: ReadonlySet<string>;
  /** Why these stacks, in one sentence. */
  readonly reason: string;
}

const SPEC = /^domains\/([^/]+)\/([^/]+)\/data-product\.yaml$/;
const SCHEMA = /^domains\/([^/]+)\/schemas\/([^/]+)\.avsc$/;
const CONFIG = /^infra\/config(\.example)?\.yaml$/;
const ERASURES = /^governance\/erasures\//;

function domainEntry(mesh: Mesh, name: string): string | undefined {
  const d = mesh.domains.get(name);
  return d && JSON.stringify([d.ownerTeam, d.oncall]);
}

/**
 * The stacks a change reaches. A domain's stacks when one of its products' specs or schemas
 * changed, or its entry in the domain map (owner, on-call: products are tagged and page with
 * them); every domain when the CDK app's config changed; the domains of the products subject to
 * erasure when the erasure list changed (their erasure jobs carry it). The platform stack (keys, buckets,
 * registries, databases per domain), the governance stack (the policy decision function, whose
 * data comes from every spec) and the Lake Formation grants are always diffed: the platform
 * stack is built whole anyway, and grants follow the changed products.
 */
export function planScope(changedFiles: readonly string[], base: Mesh, head: Mesh): PlanScope {
  const changed = new Set<string>();
  const schemas = new Set<string>();
  let configChanged = false;
  let erasuresChanged = false;
  for (const file of changedFiles) {
    const spec = SPEC.exec(file);
    if (spec) changed.add(`${spec[1]}/${spec[2]}`);
    const schema = SCHEMA.exec(file);
    if (schema) schemas.add(`schema-registry://${schema[1]}/${schema[2]}`);
    if (CONFIG.test(file)) configChanged = true;
    if (ERASURES.test(file)) erasuresChanged = true;
  }
  if (schemas.size > 0) {
    for (const mesh of [base, head]) {
      for (const p of mesh.products.values()) if (p.outputPorts.some((o) => schemas.has(o.spec.schema))) changed.add(p.id);
    }
  }
  const domains = new Set<string>();
  for (const id of changed) domains.add(id.slice(0, id.indexOf('/')));
  const mapChanged: string[] = [];
  for (const name of new Set([...base.domains.keys(), ...head.domains.keys()])) {
    if (domainEntry(base, name) !== domainEntry(head, name)) {
      mapChanged.push(name);
      domains.add(name);
    }
  }
  if (configChanged) for (const name of new Set([...base.domains.keys(), ...head.domains.keys()])) domains.add(name);
  // The erasure jobs of the products subject to erasure carry the erased subjects' ids.
  const erasing = new Set<string>();
  if (erasuresChanged) for (const mesh of [base, head]) for (const p of mesh.products.values()) if (subjectIdField(p)) erasing.add(p.domain);
  for (const name of erasing) domains.add(name);
  const reasons: string[] = [];
  if (configChanged) reasons.push('the CDK app\'s config changed, so every domain');
  if (changed.size > 0) reasons.push(`${changed.size} changed product(s)`);
  if (mapChanged.length > 0) reasons.push(`the domain map entries of ${mapChanged.join(', ')}`);
  if (erasing.size > 0) reasons.push(`the erasure list, which the erasure jobs of ${[...erasing].sort().join(', ')} carry`);
  const reason = domains.size === 0
    ? 'No domain stack is reached; the platform and governance stacks and the grants are diffed.'
    : `Synthesized: the platform and governance stacks, the grants, and the stacks of ${[...domains].sort().join(', ')} (${reasons.join('; ')}).`;
  return { domains, changed, reason };
}

/**
 * The products one side builds: every product of the scope's domains, and the sources of the
 * changed products (their tables carry the grants to the changed consumers).
 */
export function productsToBuild(scope: PlanScope, mesh: Mesh): Set<string> {
  const build = new Set<string>();
  for (const p of mesh.products.values()) if (scope.domains.has(p.domain)) build.add(p.id);
  for (const id of scope.changed) {
    for (const edge of mesh.products.get(id)?.inputs ?? []) if (edge.source) build.add(edge.source.id);
  }
  return build;
}
