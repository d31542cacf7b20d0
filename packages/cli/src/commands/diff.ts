import { diffMesh, renderDiffMarkdown, renderFindingsTable, type DiffResult } from '@data-mesh/spec';
import { Option, type Command } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, type Io } from '../io';
import { environmentError } from './check';
import { resolveRoot, rootOption } from '../options';
import { printDiagnostics } from './validate';

type DiffFormat = 'text' | 'json' | 'github' | 'markdown' | 'sarif' | 'junit';

function textSummary(diff: DiffResult): string {
  const lines: string[] = [];
  for (const change of diff.changes) {
    const { base, head, required, made } = change.version;
    const version = change.change === 'modified' ? `${base} -> ${head}, needs ${required}, made ${made}` : change.change;
    lines.push(`${change.product} (${version})`);
    for (const b of change.breaking) lines.push(`  breaking: ${b}`);
    for (const g of change.governance) lines.push(`  governance: ${g}`);
    for (const i of change.impact) lines.push(`  hits ${i.consumer} (team ${i.team}, on-call ${i.oncall}): ${i.port} ${i.fields.join(', ') || i.reason}`);
    for (const s of change.safe) lines.push(`  safe: ${s.port} ${s.change} (${s.evidence})`);
    for (const a of change.additive) lines.push(`  additive: ${a}`);
  }
  return lines.join('\n');
}

export function registerDiff(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('breaking changes, consumer impact and version bumps of the specs changed since a base revision')
    .requiredOption('--base <ref>', 'the git revision to compare against')
    .option('--head <ref>', 'the git revision to check (default: the work tree)')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'markdown', 'sarif', 'junit']).default('text'))
    .action((options: { base: string; head?: string; root?: string; format: DiffFormat }) => {
      const root = resolveRoot(io, options.root);
      let diff: DiffResult;
      try {
        diff = diffMesh(root, { base: options.base, head: options.head });
      } catch (error) {
        environmentError(error);
      }
      const { summary } = diff;
      if (options.format === 'markdown') {
        io.stdout(`${renderDiffMarkdown(diff)}\n${renderFindingsTable(diff.diagnostics)}`);
      } else {
        if (options.format === 'text' && diff.changes.length > 0) io.stdout(`${textSummary(diff)}\n\n`);
        const footer = `${summary.errors > 0 ? '✖' : '✔'} ${summary.changed} changed product(s), ${summary.breaking} breaking change(s), ${summary.errors} error(s), ${summary.warnings} warning(s)`;
        printDiagnostics(io, root, options.format, diff.diagnostics, footer, { base: diff.base, head: diff.head, changes: diff.changes, summary });
      }
      setExit(summary.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
