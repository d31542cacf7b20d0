import type { Anchor, JsonPath, Position, SourceDocument, Span } from '../document';
import type { Diagnostic, Severity } from '../diagnostics';
import type { Mesh } from '../mesh';
import type { DataProduct } from '../model';

/** What a rule says about one place; the reporter turns it into a positioned diagnostic. */
export interface Finding {
  readonly message: string;
  readonly hint?: string;
  /** Overrides the rule's severity (e.g. a hint-level finding of an error rule). */
  readonly severity?: Severity;
  /** The document the finding is in, located by `path`. */
  readonly document?: SourceDocument;
  readonly path?: JsonPath;
  readonly anchor?: Anchor;
  /** For a finding inside a scalar (a quality rule): the offset into the scalar's text. */
  readonly offsetInValue?: number;
  /** For a file that has no parsed document: the file and an explicit position. */
  readonly file?: string;
  readonly position?: Position;
}

export interface RuleContext {
  readonly mesh: Mesh;
  report(finding: Finding): void;
  /**
   * The valid products whose own findings this run reports: every one, or (a check of a
   * change) those the change reached. A rule that judges each product by what it reads
   * iterates these; a rule whose finding can land on any product (collisions, cycles) looks
   * at `mesh.judgedProducts()`.
   */
  subjects(): readonly DataProduct[];
  /** Today, for sunset dates: the run's instant, given by the caller (so a test can fix it). */
  readonly now: Date;
}

/** One validation rule, registered in `rules/index.ts`. */
export interface Rule {
  /** Stable code, never reused for another meaning. */
  readonly code: string;
  /** Stable kebab-case name. */
  readonly name: string;
  /** One line: what the rule checks. */
  readonly title: string;
  readonly severity: Severity;
  /**
   * product: looks at one product (or file) at a time, so it can run on a part of the mesh;
   * mesh: looks across products (lineage, collisions, the map against the folders).
   */
  readonly scope: 'product' | 'mesh';
  check(context: RuleContext): void;
}

export function runRule(rule: Rule, mesh: Mesh, sink: Diagnostic[], now: Date, subjects?: ReadonlySet<string>): void {
  rule.check({
    mesh,
    now,
    report: (finding) => sink.push(toDiagnostic(rule.code, rule.severity, finding)),
    subjects: () => (subjects ? mesh.judgedProducts().filter((p) => subjects.has(p.id)) : mesh.judgedProducts()),
  });
}

/** A finding as a diagnostic, positioned at its node. */
export function toDiagnostic(code: string, severity: Severity, finding: Finding): Diagnostic {
  const { file, position } = place(finding);
  return {
    severity: finding.severity ?? severity,
    code,
    message: finding.message,
    file,
    line: position.line,
    column: position.column,
    ...(position.endLine !== undefined ? { endLine: position.endLine, endColumn: position.endColumn } : {}),
    ...(finding.hint ? { hint: finding.hint } : {}),
  };
}

function place(finding: Finding): { file: string; position: Position & Partial<Span> } {
  const { document } = finding;
  if (!document) return { file: finding.file ?? '', position: finding.position ?? { line: 1, column: 1 } };
  const file = document.file;
  if (finding.position) return { file, position: finding.position };
  const position = document.locate(finding.path ?? [], finding.anchor ?? 'value');
  if (finding.offsetInValue === undefined) return { file, position };
  return { file, position: insideScalar(document, position, finding.path ?? [], finding.offsetInValue) };
}

/** Moves a scalar's position to an offset inside it, when the scalar is written on one line as-is. */
function insideScalar(document: SourceDocument, start: Span, path: JsonPath, offset: number): Span {
  let value: unknown = document.data;
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  if (typeof value !== 'string') return start;
  const lineText = document.text.split('\n', start.line)[start.line - 1] ?? '';
  const from = start.column - 1;
  const quote = lineText[from] === '"' || lineText[from] === "'" ? 1 : 0;
  const written = lineText.slice(from + quote, from + quote + offset);
  if (written !== value.slice(0, offset)) return start;
  const column = start.column + quote + offset;
  // The rest of the scalar, from the offset (a one-line scalar ends on its line).
  return { line: start.line, column, endLine: start.endLine, endColumn: start.endLine === start.line && start.endColumn > column ? start.endColumn : column };
}
