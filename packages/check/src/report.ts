import type { Diagnostic, Mesh, ProductChange } from '@data-mesh/spec';

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
  /**
   * With a base: check only what the change reaches (the changed products and their readers
   * against the whole mesh's lineage, names and map; the policy probes and standards of the
   * changed products unless the policies changed), or validate every product. Default: 'change'.
   */
  readonly scope?: 'change' | 'full';
  /** Where parsed specs and the compiled policy are kept between runs. Default: none. */
  readonly cacheDir?: string;
  /**
   * Checks on data that the caller composes in (the CLI runs each product's quality rules on its
   * samples with DuckDB; the engine stays free of native modules). Default: none, and the scope
   * says so (`dataChecks` unset).
   */
  readonly dataChecks?: (input: DataCheckInput) => Promise<DataCheckResult>;
}

/** What the data checks are given: the validated mesh, and with a base what changed. */
export interface DataCheckInput {
  readonly mesh: Mesh;
  /**
   * Mode 'change': the products every rule ran on and the files changed against the base
   * (root-relative, `/`-separated). Unset: the data of every product is checked.
   */
  readonly change?: { readonly products: readonly string[]; readonly files: readonly string[] };
}

/** What the data checks found, and which products' data they ran on. */
export interface DataCheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly products: readonly string[];
}

/** How much a run checked, and where its time went. */
export interface CheckScope {
  /** 'full': every product through every rule; 'change': what the change against the base reached. */
  readonly mode: 'full' | 'change';
  /** Products every rule ran on (mode 'change'). */
  readonly changed?: readonly string[];
  /** Products re-checked because they read a changed product (mode 'change'). */
  readonly readers?: readonly string[];
  /** Whether the policy probes and standards ran on every product. */
  readonly allPolicies: boolean;
  /** Specs taken from the cache and parsed (mode 'change'). */
  readonly cache?: { readonly hits: number; readonly parsed: number; readonly notes: readonly string[] };
  /** Products whose data the data checks ran on (unset: no data checks were composed in). */
  readonly dataChecked?: readonly string[];
  /** Milliseconds per phase. */
  readonly phases: Readonly<Record<string, number>>;
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
  readonly scope: CheckScope;
}
