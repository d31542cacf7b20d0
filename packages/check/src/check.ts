import { requireTool, runPolicyChecks, startPolicyBuild } from '@data-mesh/policy';
import { compareDiagnostics, diffMesh, summarize, validateChange, validateMeshParallel, type Diagnostic, type DiffResult, type ValidationResult } from '@data-mesh/spec';
import { renderCheckMarkdown } from './markdown';
import type { CheckOptions, CheckReport, CheckScope } from './report';

const POLICY_PATHS = [/^governance\//, /^domains\/[^/]+\/policies\//];
// The infra config holds the PII authorizations the standards judge input ports by.
const INFRA_CONFIG = /^infra\/config(\.example)?\.yaml$/;

/**
 * Everything a pull request is checked for, in one call: the mesh validated, the diff against
 * the base (compatibility, consumer impact, versions), the publish-time policies and the
 * generated policy probes, and the Rego tests when policies changed. With a base, the cost
 * follows the change (see CheckOptions.scope); without one, every product is checked.
 * Throws the policy package's ToolMissingError without opa.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { root } = options;
  const phases: Record<string, number> = {};
  let clock = Date.now();
  const lap = (phase: string) => {
    const now = Date.now();
    phases[phase] = now - clock;
    clock = now;
  };
  // opa compiles the policies in its own process while this one validates.
  const opa = await requireTool(root, 'opa');
  const policyBuild = startPolicyBuild(root, opa, options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {});
  policyBuild.catch(() => undefined); // awaited (and its error surfaced) by the policy checks below
  lap('policy build started');

  const incremental = options.base !== undefined && options.scope !== 'full';
  let validation: ValidationResult;
  let scope: Omit<CheckScope, 'phases' | 'allPolicies'>;
  let changedFiles: readonly string[] | undefined;
  if (incremental) {
    const change = validateChange(root, { base: options.base!, ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}), ...(options.now ? { now: options.now } : {}) });
    validation = change;
    scope = { mode: 'change', changed: change.scope.changed, readers: change.scope.readers, cache: change.scope.cache };
    changedFiles = change.scope.changedFiles;
  } else {
    validation = await validateMeshParallel(root, { jobs: options.jobs ?? 1, ...(options.now ? { now: options.now } : {}) });
    scope = { mode: 'full' };
  }
  lap('validate');
  const diff: DiffResult | undefined = options.base === undefined ? undefined : diffMesh(root, { base: options.base, ...(options.now ? { now: options.now } : {}), ...(changedFiles ? { changedFiles, workTree: validation.mesh } : {}) });
  lap('diff');

  const policiesChanged = diff === undefined || diff.changedFiles.some((f) => POLICY_PATHS.some((p) => p.test(f)));
  const policyTests = options.policyTests ?? 'changed';
  const runTests = policyTests === 'always' || (policyTests === 'changed' && policiesChanged);
  const allPolicies = !incremental || policiesChanged || (changedFiles ?? []).some((f) => INFRA_CONFIG.test(f));
  // A reader is judged by what its sources declare PII, so a changed source re-checks its readers.
  const products = allPolicies ? undefined : new Set([...(scope.changed ?? []), ...(scope.readers ?? [])]);
  const policy = await runPolicyChecks(root, {
    mesh: validation.mesh,
    tests: runTests,
    ...(products ? { products } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    build: policyBuild,
  });
  lap(runTests ? 'policies, probes and opa test' : 'policies and probes');

  const data = options.dataChecks
    ? await options.dataChecks({ mesh: validation.mesh, ...(incremental ? { change: { products: scope.changed ?? [], files: changedFiles ?? [] } } : {}) })
    : undefined;
  if (data) lap('quality rules on samples');

  const diagnostics: Diagnostic[] = [...validation.diagnostics, ...(diff?.diagnostics ?? []), ...policy.diagnostics, ...(data?.diagnostics ?? [])].sort(compareDiagnostics);
  const changes = diff?.changes ?? [];
  const summary = {
    domains: validation.summary.domains,
    products: validation.summary.products,
    ...summarize(diagnostics),
    breaking: diff?.summary.breaking ?? 0,
  };
  const checkScope: CheckScope = { ...scope, allPolicies, ...(data ? { dataChecked: data.products } : {}), phases };
  return { diagnostics, summary, changes, scope: checkScope, markdown: renderCheckMarkdown({ diagnostics, summary, changes, diff, scope: checkScope }) };
}
