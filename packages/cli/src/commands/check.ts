import { Option, type Command } from 'commander';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';
import { nowOption, resolveRoot, rootOption } from '../options';
import { printDiagnostics } from './validate';
import type { PlanRun } from './plan';
import type { DataCheckInput, DataCheckResult } from '@data-mesh/check';
import type { DeployPlan, Diagnostic } from '@data-mesh/spec';

type CheckFormat = 'text' | 'json' | 'github' | 'markdown' | 'sarif' | 'junit';

/**
 * Turns the typed environment errors of the libraries into exit-2 usage errors. They are
 * told apart by name, so that recognising them does not load the libraries that throw them.
 */
export function environmentError(error: unknown): never {
  if (error instanceof Error && error.name === 'ToolMissingError') {
    const missing = error as Error & { tool: string; installCommand: string };
    throw new UsageError(`${missing.tool} is missing`, `install it with: ${missing.installCommand}`);
  }
  if (error instanceof Error && error.name === 'GitError') {
    throw new UsageError(error.message, (error as Error & { hint?: string }).hint ?? 'run in a git work tree, with the base revision fetched (e.g. fetch-depth: 0)');
  }
  throw error;
}

/**
 * The engine's Markdown with the deploy plan as a collapsible section, and the plan's own
 * findings (those the engine had not reported) as a table inside it.
 */
function withPlanSection(markdown: string, plan: PlanRun, findings: readonly Diagnostic[], spec: { renderPlanMarkdown: (p: DeployPlan) => string; renderFindingsTable: (d: readonly Diagnostic[]) => string }): string {
  const section = plan.plan
    ? spec.renderPlanMarkdown(plan.plan)
    : '<details><summary><b>Deploy plan</b>: could not be made</summary>\n\nSee the MESH515 finding.\n\n</details>\n';
  const table = findings.length > 0 ? `${spec.renderFindingsTable(findings)}\n` : '';
  return `${markdown.trimEnd()}\n\n### Deploy plan\n\n${table}${section}`;
}

/** Each reached product's quality rules on its samples (DuckDB is loaded only when there are some). */
async function checkSamplesOf(root: string, input: DataCheckInput): Promise<DataCheckResult> {
  const [{ checkSamples }, { productsToSample }] = await Promise.all([import('../quality/samples'), import('@data-mesh/spec')]);
  const products = productsToSample(root, input.mesh, input.change);
  return { diagnostics: await checkSamples(root, input.mesh, products), products: products.map((p) => p.id) };
}

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('what the pull-request Action runs: validate, diff against the base, policies, probes, and opa test when policies changed')
    .option('--base <ref>', 'the git revision to compare against (default: no diff, validate and policies only)')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'markdown', 'sarif', 'junit']).default('text'))
    .addOption(new Option('--policy-tests <when>', 'when to run opa test').choices(['always', 'changed', 'never']).default('changed'))
    .option('--full', 'with --base, validate every product instead of what the change reaches')
    .option('--cache-dir <dir>', 'where parsed specs and the compiled policy are kept between runs (default: <root>/.tools/cache)')
    .option('--no-cache', 'keep nothing between runs')
    .option('--no-plan', 'with --base, skip the deploy plan (mesh plan) even when the change reaches the infrastructure')
    .option('--no-samples', "skip running the products' quality rules on their samples (domains/<domain>/<product>/samples/)")
    .addOption(nowOption())
    .action(async (options: { base?: string; root?: string; format: CheckFormat; policyTests: 'always' | 'changed' | 'never'; full?: boolean; cacheDir?: string; cache: boolean; plan: boolean; samples: boolean; now?: string }) => {
      const root = resolveRoot(io, options.root);
      const { describeScope, runCheck } = await import('@data-mesh/check');
      const cacheDir = options.cache ? path.resolve(io.cwd, options.cacheDir ?? path.join(root, '.tools', 'cache')) : undefined;
      const report = await runCheck({
        root,
        base: options.base,
        jobs: os.availableParallelism(),
        policyTests: options.policyTests,
        scope: options.full ? 'full' : 'change',
        ...(cacheDir !== undefined ? { cacheDir } : {}),
        ...(options.now !== undefined ? { now: new Date(options.now) } : {}),
        ...(options.samples ? { dataChecks: (input: DataCheckInput) => checkSamplesOf(root, input) } : {}),
      }).catch(environmentError);
      for (const note of report.scope.cache?.notes ?? []) io.stderr(`mesh: note: ${note}\n`);
      // The deploy plan, when the change reaches the infrastructure (composed here: the engine stays free of aws-cdk-lib).
      const { changeReachesInfrastructure, runPlan } = await import('./plan');
      const plan: PlanRun | undefined = options.base !== undefined && options.plan && changeReachesInfrastructure(root, options.base) ? await runPlan(root, options.base) : undefined;
      const spec = await import('@data-mesh/spec');
      const diagnostics = plan ? spec.mergeDiagnostics(report.diagnostics, plan.diagnostics) : report.diagnostics;
      const planOnly = plan ? diagnostics.filter((d) => !report.diagnostics.includes(d)) : [];
      const counts = spec.summarize(diagnostics);
      const summary = { ...report.summary, errors: counts.errors, warnings: counts.warnings };
      if (options.format === 'markdown') {
        // The engine's verdict line counted before the plan: it must say what the exit code says.
        const verdict = `${summary.errors > 0 ? '❌ **mesh check failed**' : '✅ **mesh check passed**'}: ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.breaking} breaking change(s) in ${summary.products} products across ${summary.domains} domains.`;
        const markdown = report.markdown.replace(/^(?:❌|✅) \*\*mesh check (?:failed|passed)\*\*: .*$/mu, () => verdict);
        io.stdout(plan ? withPlanSection(markdown, plan, planOnly, spec) : markdown);
      } else {
        const planLine = plan ? `\n  deploy plan: ${plan.plan ? `${plan.plan.summary.added} added, ${plan.plan.summary.modified} modified, ${plan.plan.summary.replaced} replaced, ${plan.plan.summary.removed} removed (mesh plan --base ${options.base} for the resources)` : 'could not be made (see the MESH515 finding)'}` : '';
        const footer = `${summary.errors > 0 ? '✖' : '✔'} ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.breaking} breaking change(s) in ${summary.products} products across ${summary.domains} domains\n  ${describeScope(report.scope, summary.products)}${planLine}`;
        printDiagnostics(io, root, options.format, diagnostics, footer, { summary, changes: report.changes, scope: report.scope, ...(plan ? { plan: plan.plan ?? null } : {}) });
      }
      setExit(summary.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
