import type { Diagnostic } from '../diagnostics';

/** A semantic-version bump, from none to major. */
export type VersionBump = 'none' | 'patch' | 'minor' | 'major';

export const BUMP_ORDER: readonly VersionBump[] = ['none', 'patch', 'minor', 'major'];

/** A downstream product that a change breaks, and why. */
export interface ConsumerImpact {
  /** The consumer, `<domain>/<product>`. */
  readonly consumer: string;
  readonly team: string;
  readonly oncall: string;
  /** The port of the changed product it reads. */
  readonly port: string;
  /** The fields it reads that the change removes or retypes (empty when the whole port goes). */
  readonly fields: readonly string[];
  readonly reason: string;
}

/** A change that no consumer reads, with the evidence. */
export interface SafeChange {
  readonly port: string;
  readonly change: string;
  /** Who reads the port and which fields: none of them is touched. */
  readonly evidence: string;
}

/** What one changed product's diff says. */
export interface ProductChange {
  /** `<domain>/<product>` */
  readonly product: string;
  readonly change: 'added' | 'removed' | 'modified';
  readonly owner: string;
  readonly version: { readonly base?: string; readonly head?: string; readonly required: VersionBump; readonly made: VersionBump };
  /** Changes that break consumers, one line each. */
  readonly breaking: readonly string[];
  /** Changes that add to the contract. */
  readonly additive: readonly string[];
  /** Governance weakened: PII unmarked, classification lowered, retention raised, erasure or access policy dropped. */
  readonly governance: readonly string[];
  readonly impact: readonly ConsumerImpact[];
  readonly safe: readonly SafeChange[];
}

export interface DiffResult {
  readonly base: string;
  /** The head commit, or 'working tree'. */
  readonly head: string;
  readonly changes: readonly ProductChange[];
  /** Every file that changed under the mesh root, relative to it. */
  readonly changedFiles: readonly string[];
  /** Findings with codes MESH2xx, at head positions; sorted. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: { readonly changed: number; readonly breaking: number; readonly errors: number; readonly warnings: number };
}
