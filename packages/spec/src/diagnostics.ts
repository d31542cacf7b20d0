export type Severity = 'error' | 'warning' | 'info';

/** One finding, at the position of the YAML (or JSON) node it is about. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code: MESH1xx contract, MESH2xx compatibility/impact, MESH3xx policy, MESH4xx quality, MESH5xx infra. */
  readonly code: string;
  readonly message: string;
  /** Path relative to the mesh root, with forward slashes. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Where the offending node ends, just past its last character (1-based): absent when only a point is known. */
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly hint?: string;
}

export interface DiagnosticSummary {
  readonly errors: number;
  readonly warnings: number;
}

export function summarize(diagnostics: readonly Diagnostic[]): DiagnosticSummary {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.code}\0${d.file}\0${d.line}\0${d.column}\0${d.message}`;
}

/** `extra` added to `diagnostics`, without the ones already there (same code, position and message); sorted. */
export function mergeDiagnostics(diagnostics: readonly Diagnostic[], extra: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set(diagnostics.map(diagnosticKey));
  return [...diagnostics, ...extra.filter((d) => !seen.has(diagnosticKey(d)))].sort(compareDiagnostics);
}
