import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeDocsUrl, mergeDiagnostics, summarize, validateMeshParallel, type Diagnostic, type Mesh } from '@data-mesh/spec/core';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, type Io } from '../io';
import { formatOption, nowOption, resolveRoot, rootOption } from '../options';
import { FORMATS, type Format } from '../render/format';
import { renderGithub } from '../render/github';
import { renderJunit } from '../render/junit';
import { renderText } from '../render/text';
import { nameFiles, selectedDiagnostics, selectFiles } from './validate-files';

const SNIPPET_FILE_LIMIT = 2 << 20;

export function readForSnippet(root: string): (file: string) => string | undefined {
  return (file) => {
    try {
      const full = path.join(root, file);
      if (fs.statSync(full).size > SNIPPET_FILE_LIMIT) return undefined;
      return fs.readFileSync(full, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Prints findings in the chosen format; the JSON shape is a stable interface. */
export function printDiagnostics(io: Io, root: string, format: Format, diagnostics: readonly Diagnostic[], footer: string, jsonExtra: Record<string, unknown>): void {
  const env = io.env ?? {};
  const link = (code: string) => codeDocsUrl(code, env);
  const prefix = () => {
    const relative = path.relative(io.cwd, root).split(path.sep).join('/');
    return relative.startsWith('..') ? '' : relative;
  };
  if (format === 'json') {
    const ordered = diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.endLine ?? d.line,
      endColumn: d.endColumn ?? d.column,
      hint: d.hint ?? null,
      docsUrl: link(d.code),
    }));
    io.stdout(`${JSON.stringify({ diagnostics: ordered, ...jsonExtra })}\n`);
  } else if (format === 'github') {
    io.stdout(renderGithub(diagnostics, prefix(), link));
  } else if (format === 'sarif') {
    // SARIF describes every rule from the code catalog, which loads the whole spec package: only for this format.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderSarif } = require('../render/sarif') as typeof import('../render/sarif');
    io.stdout(renderSarif(diagnostics, { version: cliVersion(), root, filePrefix: prefix(), env }));
  } else if (format === 'junit') {
    io.stdout(renderJunit(diagnostics, { command: 'mesh', docsUrl: link }));
  } else {
    if (diagnostics.length > 0) io.stdout(renderText(diagnostics, { color: io.color, readFile: readForSnippet(root), docsUrl: link }));
    io.stdout(`${footer}\n`);
  }
}

/** The version of @data-mesh/cli (its package.json, beside src/ and dist/). */
function cliVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

type PolicyLib = typeof import('@data-mesh/policy');

/**
 * The publish-time standards (what `mesh check` and the pull request enforce), evaluated
 * in-process through the compiled policy, kept in `mesh check`'s cache (`<root>/.tools/cache`),
 * on the products whose spec is valid. opa is looked up now, so that it answers (and compiles,
 * when the cache misses) while the specs are validated. opa missing is a MESH300 error.
 */
function startStandards(policy: PolicyLib, root: string): (mesh: Mesh) => Promise<Diagnostic[]> {
  const cacheDir = path.join(root, '.tools', 'cache');
  const build = policy.requireTool(root, 'opa', { cacheDir }).then((opa) => policy.startPolicyBuild(root, opa, { cacheDir }));
  build.catch(() => undefined); // awaited below
  return async (mesh) => {
    try {
      await build;
    } catch (error) {
      if ((error as Error).name !== 'ToolMissingError') throw error;
      const reason = (error as Error).message.replace(/\. Install it with: .*$/, '');
      return [{ severity: 'error', code: policy.CODES.toolMissing, message: `${reason}: the governance standards were not checked`, file: 'tools/versions.env', line: 1, column: 1, hint: 'install it with: npm run setup (or skip the standards with --no-policy)' }];
    }
    const wasm = await build;
    const { data, diagnostics } = policy.buildPolicyData(root, mesh);
    if (!wasm.wasm || !wasm.wasmDigest) return [...wasm.diagnostics, ...diagnostics];
    const module = wasm.wasm;
    // The module is compiled only when some spec's findings are not in the cache.
    const standards = await policy.checkStandards(root, mesh, { policy: () => policy.CompiledPolicy.load(module, data), data, cache: { dir: cacheDir, wasmDigest: wasm.wasmDigest } });
    return [...wasm.diagnostics, ...diagnostics, ...standards.diagnostics];
  };
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

export function registerValidate(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('validate the domain map, every data-product spec and the schemas they reference, and the governance standards (the compiled policies, as mesh check)')
    .argument('[files...]', 'report only the findings of these specs, schemas or folders (and of the domain map); references still resolve against the whole mesh')
    .addOption(rootOption())
    .addOption(formatOption(FORMATS))
    .addOption(new Option('--jobs <n>', 'threads to validate with (default: one per core on a large mesh)').argParser(positiveInteger))
    .option('--no-policy', 'skip the governance standards (they need opa: npm run setup)')
    .addOption(nowOption())
    .action(async (files: string[], options: { root?: string; format: Format; jobs?: number; policy: boolean; now?: string }) => {
      const root = resolveRoot(io, options.root);
      const named = files.length > 0 ? nameFiles(io, root, files) : undefined;
      const standards = options.policy ? startStandards(await import('@data-mesh/policy'), root) : undefined;
      const validation = await validateMeshParallel(
        root,
        { ...(options.jobs === undefined ? { jobs: os.availableParallelism() } : { jobs: options.jobs, minProductsPerJob: 1 }), ...(options.now !== undefined ? { now: new Date(options.now) } : {}) },
      );
      const all = standards ? mergeDiagnostics(validation.diagnostics, await standards(validation.mesh)) : validation.diagnostics;
      const selection = named ? selectFiles(validation.mesh, named) : undefined;
      const diagnostics = selection ? selectedDiagnostics(all, selection) : all;
      const summary = { domains: selection?.domains ?? validation.summary.domains, products: selection?.products ?? validation.summary.products, ...summarize(diagnostics) };
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      const footer = `${summary.errors > 0 ? '✖' : '✔'} ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')} in ${plural(summary.products, selection ? 'named product' : 'product')} across ${plural(summary.domains, 'domain')}${selection ? ` (references resolved against all ${validation.summary.products})` : ''}`;
      printDiagnostics(io, root, options.format, diagnostics, footer, { summary });
      setExit(summary.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
