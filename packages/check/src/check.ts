import { runPolicyChecks } from '@data-mesh/policy';
import { compareDiagnostics, diffMesh, summarize, validateMeshParallel, type Diagnostic, type DiffResult } from '@data-mesh/spec';
import { renderCheckMarkdown } from './markdown';
import type { CheckOptions, CheckReport } from './report';

const POLICY_PATHS = [/^governance\//, /^domains\/[^/]+\/policies\//];

/**
 * Everything a pull request is checked for, in one call: the whole mesh validated (a change
 * can break products it did not touch), the diff against the base (compatibility, consumer
 * impact, versions), the publish-time policies and the generated policy probes, and the
 * Rego tests when policies changed. Throws the policy package's ToolMissingError without opa.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { root } = options;
  const validation = await validateMeshParallel(root, { jobs: options.jobs ?? 1 });
  const diff: DiffResult | undefined = options.base === undefined ? undefined : diffMesh(root, { base: options.base, ...(options.now ? { now: options.now } : {}) });
  const policyTests = options.policyTests ?? 'changed';
  const runTests = policyTests === 'always' || (policyTests === 'changed' && (diff === undefined || diff.changedFiles.some((f) => POLICY_PATHS.some((p) => p.test(f)))));
  const policy = await runPolicyChecks(root, { mesh: validation.mesh, tests: runTests });
  const diagnostics: Diagnostic[] = [...validation.diagnostics, ...(diff?.diagnostics ?? []), ...policy.diagnostics].sort(compareDiagnostics);
  const changes = diff?.changes ?? [];
  const summary = {
    domains: validation.summary.domains,
    products: validation.summary.products,
    ...summarize(diagnostics),
    breaking: diff?.summary.breaking ?? 0,
  };
  return { diagnostics, summary, changes, markdown: renderCheckMarkdown({ diagnostics, summary, changes, diff }) };
}
