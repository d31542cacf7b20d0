import type { Diagnostic } from '@data-mesh/spec';

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * GitHub workflow commands, one per finding. `filePrefix` turns root-relative paths into the
 * repository-relative paths GitHub annotates.
 */
export function renderGithub(diagnostics: readonly Diagnostic[], filePrefix: string, docsUrl?: (code: string) => string): string {
  return diagnostics
    .map((d) => {
      const file = filePrefix ? `${filePrefix}/${d.file}` : d.file;
      const properties = `file=${escapeProperty(file)},line=${d.line},col=${d.column},title=${escapeProperty(`${d.code}`)}`;
      const message = `${d.hint ? `${d.message}\n${d.hint}` : d.message}${docsUrl ? `\n${d.code}: ${docsUrl(d.code)}` : ''}`;
      return `::${COMMAND[d.severity]} ${properties}::${escapeData(message)}\n`;
    })
    .join('');
}
