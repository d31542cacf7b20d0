import type { Diagnostic } from '@data-mesh/spec';
import { createColors } from 'picocolors';

export interface TextOptions {
  readonly color: boolean;
  /** The text of a file, for showing the offending line; undefined when it cannot be read. */
  readonly readFile: (file: string) => string | undefined;
  /** The documentation link of a code, shown under each finding. */
  readonly docsUrl?: (code: string) => string;
}

const MAX_SNIPPET_WIDTH = 160;

/** Findings grouped by file, each with its line and a caret under the column. */
export function renderText(diagnostics: readonly Diagnostic[], options: TextOptions): string {
  const c = createColors(options.color);
  const severityLabel = { error: c.red('error'), warning: c.yellow('warning'), info: c.blue('info') };
  const out: string[] = [];
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    let list = byFile.get(d.file);
    if (!list) byFile.set(d.file, (list = []));
    list.push(d);
  }
  for (const [file, list] of byFile) {
    out.push(c.underline(c.bold(file)));
    const lines = options.readFile(file)?.split('\n');
    for (const d of list) {
      out.push(`  ${c.dim(`${d.line}:${d.column}`)}  ${severityLabel[d.severity]}  ${c.dim(d.code)}  ${d.message}`);
      const source = lines?.[d.line - 1];
      if (source !== undefined && source.length <= MAX_SNIPPET_WIDTH) {
        const gutter = String(d.line).padStart(6);
        out.push(c.dim(`${gutter} | `) + source.replace(/\t/g, ' '));
        out.push(c.dim(`${' '.repeat(6)} | `) + ' '.repeat(Math.max(0, d.column - 1)) + c.red('^'));
      }
      if (d.hint) out.push(`         ${c.cyan('hint:')} ${d.hint}`);
      if (options.docsUrl) out.push(`         ${c.dim(`docs: ${options.docsUrl(d.code)}`)}`);
    }
    out.push('');
  }
  return out.join('\n');
}
