import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';
import { environmentError } from './check';
import { printDiagnostics } from './validate';

const MAX_INPUT_BYTES = 8 << 20;

function readInput(io: Io, file: string): unknown {
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    if (fs.statSync(full).size > MAX_INPUT_BYTES) throw new UsageError(`${file} is larger than ${MAX_INPUT_BYTES} bytes`);
    text = fs.readFileSync(full, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file}: cannot be read`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

export function registerPolicy(program: Command, io: Io, setExit: (code: number) => void): void {
  const policy = program.command('policy').description('governance policies: run their tests, evaluate a decision');
  policy
    .command('test')
    .description('opa test on governance/ and domains/*/policies, with coverage')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'sarif', 'junit']).default('text'))
    .action(async (options: { root?: string; format: 'text' | 'json' | 'github' | 'sarif' | 'junit' }) => {
      const root = resolveRoot(io, options.root);
      const { runPolicyTests } = await import('@data-mesh/policy');
      const report = await runPolicyTests(root).catch(environmentError);
      const coverage = report.coverage === undefined ? '' : `, coverage ${report.coverage.toFixed(1)}%`;
      const footer = `${report.failed > 0 ? '✖' : '✔'} ${report.passed} passed, ${report.failed} failed${report.skipped ? `, ${report.skipped} skipped` : ''}${coverage}`;
      printDiagnostics(io, root, options.format, report.diagnostics, footer, { passed: report.passed, failed: report.failed, skipped: report.skipped, coverage: report.coverage ?? null });
      setExit(report.diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_CLEAN);
    });
  policy
    .command('eval')
    .description('one decision through the compiled policy (wasm), with data generated from the mesh')
    .requiredOption('--input <file>', 'the input document (JSON)')
    .option('--entrypoint <path>', 'the decision to evaluate (default: the access decision)')
    .addOption(rootOption())
    .action(async (options: { input: string; entrypoint?: string; root?: string }) => {
      const root = resolveRoot(io, options.root);
      const input = readInput(io, options.input);
      const { evaluatePolicy } = await import('@data-mesh/policy');
      const evaluation = await evaluatePolicy(root, input, options.entrypoint).catch(environmentError);
      const errors = evaluation.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) io.stderr(`mesh: ${d.file}:${d.line}: ${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
      if (errors.length > 0) return setExit(EXIT_FINDINGS);
      io.stdout(`${JSON.stringify(evaluation.result ?? null, null, 2)}\n`);
      setExit(EXIT_CLEAN);
    });
}
