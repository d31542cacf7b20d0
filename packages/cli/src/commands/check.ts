import { Option, type Command } from 'commander';
import * as os from 'node:os';
import * as path from 'node:path';
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
    .option('--full', 'with --base, validate every product instead of what the change reaches')
    .option('--cache-dir <dir>', 'where parsed specs and the compiled policy are kept between runs (default: <root>/.tools/cache)')
    .option('--no-cache', 'keep nothing between runs')
    .action(async (options: { base?: string; root: string; format: CheckFormat; policyTests: 'always' | 'changed' | 'never'; full?: boolean; cacheDir?: string; cache: boolean }) => {
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
      }).catch(environmentError);
      for (const note of report.scope.cache?.notes ?? []) io.stderr(`mesh: note: ${note}\n`);
      const { summary } = report;
      if (options.format === 'markdown') {
        io.stdout(report.markdown);
      } else {
        const footer = `${summary.errors > 0 ? '✖' : '✔'} ${summary.errors} error(s), ${summary.warnings} warning(s), ${summary.breaking} breaking change(s) in ${summary.products} products across ${summary.domains} domains\n  ${describeScope(report.scope, summary.products)}`;
        printDiagnostics(io, root, options.format, report.diagnostics, footer, { summary, changes: report.changes, scope: report.scope });
      }
      setExit(summary.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
