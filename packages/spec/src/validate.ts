import { compareDiagnostics, summarize, type Diagnostic } from './diagnostics';
import { loadMesh } from './load';
import type { Mesh } from './mesh';
import { RULES } from './rules';
import { runRule } from './rules/rule';
import type { MeshSource } from './source';

export interface ValidationSummary {
  readonly domains: number;
  readonly products: number;
  readonly errors: number;
  readonly warnings: number;
}

export interface ValidationResult {
  readonly mesh: Mesh;
  /** Sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: ValidationSummary;
}

/** Runs every rule over a loaded mesh. */
export function validateLoadedMesh(mesh: Mesh): ValidationResult {
  const diagnostics: Diagnostic[] = [];
  for (const rule of RULES) runRule(rule, mesh, diagnostics);
  diagnostics.sort(compareDiagnostics);
  return { mesh, diagnostics, summary: { domains: mesh.domains.size, products: mesh.products.size, ...summarize(diagnostics) } };
}

/** Loads the mesh under `root` and validates it. */
export function validateMesh(root: string, options: { source?: MeshSource } = {}): ValidationResult {
  return validateLoadedMesh(loadMesh(root, options));
}
