import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '@data-mesh/spec';
import { CODES_PAGE, codeAnchor, codeInfo, docsUrl } from '../codes';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export interface SarifOptions {
  /** The version of mesh. */
  readonly version: string;
  /** The mesh root: artifact URIs are relative to it (`%SRCROOT%`). */
  readonly root: string;
  /** Put before each root-relative path, so that the URIs are relative to the repository (GitHub code scanning). */
  readonly filePrefix: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The documentation link of a code as an absolute URI (SARIF's helpUri): on GitHub Actions the
 * page at the commit checked, else the page beside this installation of mesh.
 */
export function absoluteDocsUrl(code: string, env: Readonly<Record<string, string | undefined>>): string {
  const url = docsUrl(code, env);
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  return `${pathToFileURL(path.resolve(__dirname, '..', '..', '..', '..', CODES_PAGE)).href}#${codeAnchor(code)}`;
}

/** A SARIF 2.1.0 log of the findings (for GitHub code scanning): a rule per code found, a result per finding. */
export function renderSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const index = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code) => {
    const info = codeInfo(code);
    const helpUri = absoluteDocsUrl(code, options.env);
    const level = LEVEL[(info?.severity.split('/')[0] ?? 'error') as keyof typeof LEVEL] ?? 'error';
    return {
      id: code,
      name: info?.name ?? code,
      shortDescription: { text: info?.title ?? code },
      fullDescription: { text: info?.description ?? code },
      helpUri,
      help: { text: `${info?.description ?? code}\n\nRun mesh explain ${code} for examples, or see ${helpUri}`, markdown: `${info?.description ?? code}\n\n\`mesh explain ${code}\` prints a failing and a passing example; [documentation](${helpUri})` },
      defaultConfiguration: { level },
    };
  });
  const results = diagnostics.map((d) => {
    const region: Record<string, number> = { startLine: d.line, startColumn: d.column };
    if (d.endLine !== undefined && d.endColumn !== undefined) Object.assign(region, { endLine: d.endLine, endColumn: d.endColumn });
    const file = options.filePrefix ? `${options.filePrefix}/${d.file}` : d.file;
    return {
      ruleId: d.code,
      ruleIndex: index.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(file || '.'), uriBaseId: '%SRCROOT%' }, region } }],
    };
  });
  const srcRoot = pathToFileURL(options.filePrefix ? path.resolve(options.root, ...options.filePrefix.split('/').map(() => '..')) : options.root).href;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mesh', version: options.version, semanticVersion: options.version, informationUri: absoluteDocsUrl('', options.env).replace(/#$/, ''), rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot.endsWith('/') ? srcRoot : `${srcRoot}/` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
