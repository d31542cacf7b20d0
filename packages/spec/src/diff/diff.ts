import { compareDiagnostics, summarize, type Diagnostic } from '../diagnostics';
import type { Mesh } from '../mesh';
import type { DataProduct } from '../model';
import { toDiagnostic } from '../rules/rule';
import { PortPair, ProductPair, type ChangeSink } from './context';
import { loadRevisions } from './revisions';
import { CHANGE_RULES } from './rules';
import type { ConsumerImpact, DiffResult, ProductChange, SafeChange, VersionBump } from './types';

export interface DiffOptions {
  /** The git revision to compare against. */
  readonly base: string;
  /** The git revision compared; default: the work tree. */
  readonly head?: string;
  /** Today, for sunset dates. Default: now. */
  readonly now?: Date;
  /**
   * The files under the mesh root that differ between the base and the work tree, when the
   * caller has listed them already (validateChange's scope.changedFiles); only with no head.
   */
  readonly changedFiles?: readonly string[];
  /** The work tree's mesh with every spec loaded (validateChange's), to find who references a change; only with no head. */
  readonly workTree?: Mesh;
}

function validProduct(mesh: Mesh, id: string): DataProduct | undefined {
  return mesh.invalidProducts.has(id) ? undefined : mesh.products.get(id);
}

function withoutVersion(product: DataProduct): string {
  const { version: _version, ...metadata } = product.spec.metadata;
  return JSON.stringify({ ...product.spec, metadata });
}

/**
 * Compares the mesh at a base revision with a head revision (or the work tree): for each
 * changed product, schema compatibility of its ports against every earlier version, the
 * consumers it breaks, SLA and governance changes, and the version bump it needs.
 */
export function diffMesh(root: string, options: DiffOptions): DiffResult {
  const revisions = loadRevisions(
    root,
    options.base,
    options.head,
    options.head === undefined ? { ...(options.changedFiles ? { changedFiles: options.changedFiles } : {}), ...(options.workTree ? { mesh: options.workTree } : {}) } : {},
  );
  const now = options.now ?? new Date();
  const diagnostics: Diagnostic[] = [];
  const changes: ProductChange[] = [];
  for (const id of revisions.changed) {
    const base = validProduct(revisions.base, id);
    const head = validProduct(revisions.head, id);
    if (!base && !head) continue;
    const product = new ProductPair(revisions, id, base, head, now);
    const ports = base && head ? base.outputPorts.flatMap((b) => head.outputPorts.filter((h) => h.name === b.name).map((h) => new PortPair(product, b, h))) : [];
    const found = {
      breaking: [] as string[],
      additive: [] as string[],
      governance: [] as string[],
      impact: [] as ConsumerImpact[],
      safe: [] as SafeChange[],
      required: 'none' as VersionBump,
      made: 'none' as VersionBump,
    };
    const changed = !base || !head || withoutVersion(base) !== withoutVersion(head) || ports.some((p) => p.schemas() !== undefined);
    for (const rule of CHANGE_RULES) {
      const sink: ChangeSink = {
        report: (finding) => diagnostics.push(toDiagnostic(rule.code, rule.severity, finding)),
        breaking: (d) => found.breaking.push(d),
        additive: (d) => found.additive.push(d),
        governance: (d) => found.governance.push(d),
        impact: (i) => found.impact.push(i),
        safe: (s) => found.safe.push(s),
        tally: () => ({ breaking: found.breaking.length, additive: found.additive.length, changed }),
        version: (required, made) => Object.assign(found, { required, made }),
      };
      if (typeof rule.check === 'function') rule.check(product, sink);
      else for (const port of ports) rule.check.port(port, sink);
    }
    const owner = (head ?? base)!.spec.metadata.owner;
    changes.push({
      product: id,
      change: !base ? 'added' : !head ? 'removed' : 'modified',
      owner,
      version: { base: base?.spec.metadata.version, head: head?.spec.metadata.version, required: found.required, made: found.made },
      breaking: found.breaking,
      additive: !base ? ['new product'] : found.additive,
      governance: found.governance,
      impact: found.impact,
      safe: found.safe,
    });
  }
  diagnostics.sort(compareDiagnostics);
  return {
    base: revisions.baseCommit,
    head: revisions.headCommit ?? 'working tree',
    changes,
    changedFiles: revisions.changedFiles,
    diagnostics,
    summary: { changed: changes.length, breaking: changes.reduce((n, c) => n + c.breaking.length, 0), ...summarize(diagnostics) },
  };
}
