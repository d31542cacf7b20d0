import { Option, type Command } from 'commander';
import {
  changedFiles, git, INFRA_INPUT_FILES, reachesInfrastructure, renderFindingsTable, renderPlanMarkdown, resolveRevision, type Diagnostic, type DeployPlan,
} from '@data-mesh/spec';
import { loadInfraApp } from '../infra-app';
import { EXIT_CLEAN, EXIT_FINDINGS, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';
import { renderPlanText } from '../render/plan-text';
import { environmentError } from './check';
import { printDiagnostics } from './validate';

type PlanFormat = 'text' | 'json' | 'markdown';

export interface PlanRun {
  readonly ok: boolean;
  readonly plan?: DeployPlan;
  readonly diagnostics: Diagnostic[];
}

/** Whether the change from `base` to the work tree touches what the infrastructure is made from (a cheap git diff). */
export function changeReachesInfrastructure(root: string, base: string): boolean {
  try {
    const repo = git(root, ['rev-parse', '--show-toplevel']).toString().trim();
    const prefix = git(root, ['rev-parse', '--show-prefix']).toString().trim();
    const files = changedFiles(repo, resolveRevision(repo, base), undefined, INFRA_INPUT_FILES.map((p) => `${prefix}${p}`));
    return reachesInfrastructure(files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)));
  } catch (error) {
    return environmentError(error);
  }
}

/** Runs the plan with the root's infrastructure app (loading aws-cdk-lib only now: the other commands never pay for it). */
export async function runPlan(root: string, base: string, head?: string): Promise<PlanRun> {
  const { planChange } = loadInfraApp(root);
  try {
    return await planChange(root, { base, ...(head !== undefined ? { head } : {}) });
  } catch (error) {
    return environmentError(error);
  }
}

export function registerPlan(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('what the merge would deploy: synthesize the stacks a change reaches at the base and the head, and diff them (replacements, removals, data kept or lost, permissions)')
    .requiredOption('--base <ref>', 'the git revision to compare against')
    .option('--head <ref>', 'the git revision to plan (default: the work tree)')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format (json is what the Action\'s plan-file input reads)').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (options: { base: string; head?: string; root?: string; format: PlanFormat }) => {
      const root = resolveRoot(io, options.root);
      const result = await runPlan(root, options.base, options.head);
      if (options.format === 'markdown') {
        io.stdout(`${result.plan ? renderPlanMarkdown(result.plan, { open: true }) : ''}\n${renderFindingsTable(result.diagnostics)}`);
      } else {
        const footer = result.plan ? renderPlanText(result.plan) : '✖ no deploy plan';
        printDiagnostics(io, root, options.format as 'text' | 'json', result.diagnostics, footer, { ok: result.ok, plan: result.plan ?? null });
      }
      setExit(result.ok ? EXIT_CLEAN : EXIT_FINDINGS);
    });
}
