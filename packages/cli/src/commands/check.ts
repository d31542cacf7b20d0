import { Option, type Command } from 'commander';
import * as os from 'node:os';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';
import { printDiagnostics } from './validate';

type CheckFormat = 'text' | 'json' | 'github' | 'markdown';

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

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('what the pull-request Action runs: validate, diff against the base, policies, probes, and opa test when policies changed')
    .option('--base <ref>', 'the git revision to compare against (default: no diff, validate and policies only)')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'markdown']).default('text'))
    .addOption(new Option('--policy-tests <when>', 'when to run opa test').choices(['always', 'changed', 'never']).default('changed'))
    .action(async (options: { base?: string; root: string; format: CheckFormat; policyTests: 'always' | 'changed' | 'never' }) => {
      const root = resolveRoot(io, options.root);
      const { runCheck } = await import('@data-mesh/check');
      const report = await runCheck({ root, base: options.base, jobs: os.availableParallelism(), policyTests: options.policyTests }).catch(environmentError);
      const { summary } = report;
      if (options.format === 'markdown') {
        io.stdout(report.markdown);
      } else {
        const footer = `${summary.errors > 0 ? '✖' : '✔'} ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.breaking} breaking change(s) in ${summary.products} products across ${summary.domains} domains`;
        printDiagnostics(io, root, options.format, report.diagnostics, footer, { summary, changes: report.changes });
      }
      setExit(summary.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
