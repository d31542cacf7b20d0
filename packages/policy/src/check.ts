import { buildPolicyData } from './data';
import type { Diagnostic } from './diagnostics';
import { lintPolicies, type PolicyLintReport } from './lint';
import type { MeshLike } from './mesh-input';
import { runPolicyTests, type PolicyTestReport } from './opa-test';
import { runProbes, type ProbeReport } from './probes';
import { checkStandards, type StandardsReport } from './standards';
import { loadCompiledPolicy, type WasmBuild } from './wasm';
import { loadPolicyMesh } from './workspace';

export interface PolicyCheckReport {
  /** Absent when the tests were not asked for. */
  readonly tests?: PolicyTestReport;
  readonly lint?: PolicyLintReport;
  readonly probes: ProbeReport;
  readonly standards: StandardsReport;
  /** Everything above, in one list (deduplicated data-file diagnostics). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Everything the policy side of `mesh check` runs: access_policy resolution, the Rego tests with coverage (opa test; skipped with `tests: false`),
 * optionally the static checks (opa check --strict, opa fmt, regal lint), the publish-time
 * standards on every spec and the generated PII probes through the compiled wasm (on the
 * products given, when a change reached only those).
 * Throws ToolMissingError when opa (or regal, with lint) is missing.
 */
export async function runPolicyChecks(
  root: string,
  options: {
    mesh?: MeshLike;
    lint?: boolean;
    coverageThreshold?: number;
    tests?: boolean;
    /** Run the probes and standards only on these products (ids); default: every product. */
    products?: ReadonlySet<string>;
    /** Where the compiled policy is kept between runs (see WasmBuildOptions.cacheDir). */
    cacheDir?: string;
    /** A build already started (startPolicyBuild) for these policies. */
    build?: Promise<WasmBuild>;
  } = {},
): Promise<PolicyCheckReport> {
  const mesh = options.mesh ?? loadPolicyMesh(root);
  const { data, diagnostics: dataDiagnostics } = buildPolicyData(root, mesh);
  const tests =
    options.tests === false
      ? undefined
      : await runPolicyTests(root, { mesh, ...(options.coverageThreshold !== undefined ? { coverageThreshold: options.coverageThreshold } : {}) });
  const lint = options.lint ? await lintPolicies(root) : undefined;
  const loaded = await loadCompiledPolicy(root, {
    mesh,
    data,
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    ...(options.build ? { build: options.build } : {}),
  });
  const scope = options.products ? { products: options.products } : {};
  const probes = loaded.policy ? await runProbes(root, mesh, { policy: loaded.policy, data, ...scope }) : { outcomes: [], passed: 0, failed: 0, diagnostics: [] };
  const standards = loaded.policy ? await checkStandards(root, mesh, { policy: loaded.policy, data, ...scope }) : { findings: [], diagnostics: [] };
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const d of [...dataDiagnostics, ...(tests?.diagnostics ?? []), ...(lint?.diagnostics ?? []), ...loaded.diagnostics, ...probes.diagnostics, ...standards.diagnostics]) {
    const key = `${d.code}\0${d.file}\0${d.line}\0${d.column}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }
  return { ...(tests ? { tests } : {}), ...(lint ? { lint } : {}), probes, standards, diagnostics };
}
