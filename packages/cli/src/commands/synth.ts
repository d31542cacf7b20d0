import * as path from 'node:path';
import type { Command } from 'commander';
import { loadInfraApp, resolveInfraApp } from '../infra-app';
import { EXIT_CLEAN, EXIT_FINDINGS, type Io } from '../io';
import { formatOption, resolveRoot, rootOption } from '../options';
import { progressOn } from '../progress';
import { FORMATS, type Format } from '../render/format';
import { printDiagnostics } from './validate';

export function registerSynth(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('synth')
    .description('synthesize CloudFormation for the platform, every domain and the policy decision function, offline; prints every warning the constructs raise')
    .option('--out <dir>', 'where to write the templates (default: cdk.out in the root)')
    .addOption(rootOption())
    .addOption(formatOption(FORMATS))
    .option('--progress', 'print progress to stderr even when it is not a terminal (one line per step)')
    .option('--no-progress', 'no progress on stderr (default: shown when stderr is a terminal)')
    .action(async (options: { out?: string; root?: string; format: Format; progress?: boolean }) => {
      const root = resolveRoot(io, options.root);
      resolveInfraApp(root); // no infrastructure app: exit 2 before any progress is shown
      const progress = progressOn(io, options.progress, 'mesh synth');
      progress.update('loading aws-cdk-lib');
      // The root's own infrastructure app (aws-cdk-lib takes a while to load: only this command pays for it).
      const { synthesize } = loadInfraApp(root);
      const result = await synthesize(root, options.out === undefined ? path.join(root, 'cdk.out') : path.resolve(io.cwd, options.out), {
        onProgress: (p) => {
          if (p.phase === 'validate') progress.update(`validating ${p.products} products, compiling the policies`);
          else if (p.phase === 'build') progress.update('building the constructs', `${p.done + 1}/${p.total} products`);
          else if (p.phase === 'prepare') progress.update(`preparing ${p.stacks} stacks`);
          else if (p.phase === 'write') progress.update('writing the templates', `${p.done + 1}/${p.total} stacks`);
          else progress.update('checking the templates');
        },
      });
      progress.end();
      const lines = result.templates.map((t) => `  ${path.relative(io.cwd, t.templatePath)}  (${t.resourceCount} resources)`);
      const count = (severity: string) => result.diagnostics.filter((d) => d.severity === severity).length;
      const rules = result.quality.flatMap((q) => q.rules);
      const onTables = rules.filter((r) => r.runs.some((run) => run.engine === 'glue-data-quality')).length;
      const nowhere = rules.filter((r) => r.runs.length === 0).length;
      const quality = rules.length ? `\n  quality rules: ${onTables} on Glue Data Quality tables, ${rules.length - onTables - nowhere} only in the SDK at publish time, ${nowhere} nowhere (see the qualityNotRun warnings; the JSON output lists every rule's places)` : '';
      const footer = `${result.ok ? '✔' : '✖'} ${result.templates.length} template(s) in ${path.relative(io.cwd, result.outDir) || '.'}, ${count('error')} error(s), ${count('warning')} warning(s)${lines.length ? `\n${lines.join('\n')}` : ''}${quality}`;
      printDiagnostics(io, root, options.format, result.diagnostics, footer, {
        ok: result.ok,
        templates: result.templates.map((t) => ({ stack: t.stackName, template: t.templatePath, resources: t.resourceCount })),
        quality: result.quality,
      });
      setExit(result.ok ? EXIT_CLEAN : EXIT_FINDINGS);
    });
}
