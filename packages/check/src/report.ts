import type { Diagnostic, ProductChange } from '@data-mesh/spec';

/** Options of one check run: what `mesh check` and the GitHub Action pass. */
export interface CheckOptions {
  /** The repository root (a git work tree) holding domains/; its work tree is what is checked. */
  readonly root: string;
  /** The git revision to compare against; without it, only the head is validated. */
  readonly base?: string;
  /** Today, for sunset dates. Default: now. */
  readonly now?: Date;
  /** Threads for validation. Default: 1. */
  readonly jobs?: number;
  /** Run `opa test`: 'always', or 'changed' when the policies changed against the base. Default: 'changed'. */
  readonly policyTests?: 'always' | 'changed' | 'never';
}

/** One check run's verdict: every finding, the diff against the base, and renderings. */
export interface CheckReport {
  /** Every finding, sorted by file and line: validation, compatibility, impact, policies, probes. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: {
    readonly domains: number;
    readonly products: number;
    readonly errors: number;
    readonly warnings: number;
    /** Breaking changes against the base (0 without a base). */
    readonly breaking: number;
  };
  /** Products whose spec or schemas changed against the base. */
  readonly changes: readonly ProductChange[];
  /** The PR comment / job summary body in GitHub Markdown, with a Mermaid impact graph. */
  readonly markdown: string;
}
