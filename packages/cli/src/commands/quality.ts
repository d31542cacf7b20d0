import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileQualityChecks, dataFormatOf, dqdlRuleset, loadMesh, sampleFiles, toGxSuite, type DataProduct, type Mesh } from '@data-mesh/spec';
import { Option, type Command } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';
import { instant, resolveRoot, rootOption } from '../options';
import { DataReadError, NoSchemaError, runQuality, UnknownPortError, type QualityReport } from '../quality/run';
import { referenceData } from '../quality/references';
import { checkSamples, SamplesManifestError, samplesNow } from '../quality/samples';
import { environmentError } from './check';
import { printDiagnostics } from './validate';

function findProduct(root: string, id: string): { mesh: Mesh; product: DataProduct } {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(id)) throw new UsageError(`"${id}" is not <domain>/<product>`, 'e.g. mesh quality run customer/customer-360');
  const mesh = loadMesh(root);
  const product = mesh.products.get(id);
  if (!product) throw new UsageError(`no data product ${id} in ${path.join(root, 'domains')}`);
  return { mesh, product };
}

/** `--ref-data <domain>/<product>=FILE`, repeated: the files of each product a REFERENCES rule names. */
function givenReferenceData(io: Io, mesh: Mesh, values: readonly string[]): Map<string, string[]> {
  const given = new Map<string, string[]>();
  for (const value of values) {
    const match = /^([a-z0-9-]+\/[a-z0-9-]+)=(.+)$/.exec(value);
    if (!match) throw new UsageError(`--ref-data ${value}: expected <domain>/<product>=FILE`);
    const [, id, file] = match as unknown as [string, string, string];
    if (!mesh.products.has(id)) throw new UsageError(`--ref-data ${value}: no data product ${id}`);
    const absolute = path.resolve(io.cwd, file);
    if (!dataFormatOf(absolute)) throw new UsageError(`--ref-data ${value}: not .csv, .parquet or .jsonl`);
    if (!/[*?[]/.test(absolute) && !fs.existsSync(absolute)) throw new UsageError(`--ref-data ${value}: no such file`);
    given.set(id, [...(given.get(id) ?? []), absolute]);
  }
  for (const [id, files] of given) if (new Set(files.map(dataFormatOf)).size > 1) throw new UsageError(`--ref-data for ${id} mixes formats: pass files of one format`);
  return given;
}

/** The files `--data` names (a glob is expanded by DuckDB's own reader). */
function dataFiles(io: Io, root: string, product: DataProduct, patterns: readonly string[]): string[] {
  const given = patterns.length > 0 ? patterns.map((p) => path.resolve(io.cwd, p)) : sampleFiles(root, product);
  if (given.length === 0) throw new UsageError(`no data: pass --data FILE|GLOB, or put samples in ${path.join(path.dirname(product.file), 'samples')}/ (node scripts/generate-samples.js ${product.id} makes them)`);
  for (const file of given) {
    if (/[*?[]/.test(file)) continue; // a glob: DuckDB's reader expands it (and says when nothing matches)
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--data ${path.relative(io.cwd, file)}: no such file`);
  }
  return given;
}

/** The freshness line: the data's age against the port's promise. */
function freshnessText(f: NonNullable<QualityReport['freshness']>, notJudged: string | undefined): string {
  const measured = f.verdict === 'unmeasured' ? f.message : `${f.column} is current to ${f.latest}, ${f.age}`;
  return `freshness ${f.verdict} (SLA ${f.sla}: at most ${f.allowed} old; ${measured})${notJudged ? ` [${notJudged}]` : ''}`;
}

/** Why the data's age does not decide the exit code, if it does not. */
function freshnessNotJudged(options: { data?: string[]; freshness?: boolean }): string | undefined {
  // Samples are made up: their age says nothing about the pipeline's. Real data's does.
  if (options.data === undefined) return 'samples: shown, not judged';
  return options.freshness === false ? 'not judged: --no-freshness' : undefined;
}

function render(report: QualityReport, format: 'text' | 'json' | 'markdown', product: DataProduct, notJudged: string | undefined): string {
  const judgeFreshness = notJudged === undefined;
  const where = (index: number) => `${product.file}:${product.document.locate(['spec', 'qualityChecks', index, 'rule']).line}`;
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const lines: string[] = [];
  if (format === 'markdown') {
    lines.push(`### Quality of ${report.product} (${report.rows} rows${report.now ? `, NOW() = ${report.now}` : ''})`, '', '| verdict | severity | rule | observed | failing rows |', '|---|---|---|---|---|');
    for (const t of report.types) lines.push(`| ✖ type | error | \`${t.column}\` ${t.kind === 'missing' ? 'missing from the data' : `${t.count} values not ${t.expected}`} | ${t.examples.join(', ')} | |`);
    for (const r of report.rules) lines.push(`| ${r.verdict === 'pass' ? '✔ pass' : r.verdict === 'fail' ? '✖ fail' : '✖ error'} | ${r.severity} | \`${r.rule.replace(/\|/g, '\\|')}\` | ${r.observed ?? r.message ?? ''} | ${r.failingRowCount ?? ''} |`);
    if (report.freshness) lines.push(`| ${report.freshness.verdict === 'fresh' ? '✔' : judgeFreshness ? '✖' : 'ℹ'} ${report.freshness.verdict} | ${judgeFreshness ? 'error' : 'info'} | freshness | ${freshnessText(report.freshness, notJudged).replace(/\|/g, '\\|')} | |`);
    return `${lines.join('\n')}\n`;
  }
  for (const t of report.types) {
    lines.push(t.kind === 'missing' ? `✖ type  ${t.column}: in the schema (${t.expected}) but not in the data` : `✖ type  ${t.column}: ${t.count} value${t.count === 1 ? '' : 's'} not ${t.expected}, e.g. ${t.examples.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  for (const r of report.rules) {
    const mark = r.verdict === 'pass' ? '✔' : r.severity === 'warning' ? '⚠' : '✖';
    const detail = r.verdict === 'error' ? r.message : `observed ${r.observed}${r.failingRowCount !== undefined ? `, ${r.failingRowCount} failing row${r.failingRowCount === 1 ? '' : 's'}` : ''}`;
    lines.push(`${mark} ${r.verdict.padEnd(5)} ${r.severity.padEnd(7)} ${r.rule}  (${detail})`);
    if (r.verdict !== 'pass') lines.push(`    at ${where(r.index)}`);
    for (const row of r.failingRows) lines.push(`    ${JSON.stringify(row)}`);
  }
  if (report.freshness) lines.push(`${report.freshness.verdict === 'fresh' ? '✔' : judgeFreshness ? '✖' : 'ℹ'} ${freshnessText(report.freshness, notJudged)}`);
  const failed = report.rules.filter((r) => r.verdict !== 'pass').length;
  lines.push(`${report.rules.length - failed} of ${report.rules.length} rules pass on ${report.rows} rows${report.port ? ` typed by port ${report.port}` : ''} of ${report.files.length} file${report.files.length === 1 ? '' : 's'}${report.types.length ? `; ${report.types.length} type finding${report.types.length === 1 ? '' : 's'}` : ''}${report.now ? `; NOW() = ${report.now}` : ''}`);
  return `${lines.join('\n')}\n`;
}

export function registerQuality(program: Command, io: Io, setExit: (code: number) => void): void {
  const quality = program.command('quality').description("run a product's quality rules on data, or export them compiled");
  quality
    .command('run')
    .description('run the rules on CSV, Parquet or JSON-lines files with embedded DuckDB (default: the product folder\'s samples/)')
    .argument('<product>', '<domain>/<product>')
    .addOption(rootOption())
    .option('--port <name>', "the output port whose Avro schema types the data (default: the one whose fields the rules name most)")
    .option('--data <file...>', 'data files or globs (.csv, .parquet, .jsonl); all of one format')
    .addOption(new Option('--now <instant>', "what NOW() stands for in the rules (default: the samples' generation time from samples/manifest.json, else the current time)").argParser(instant))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--no-freshness', "do not judge the data's age against the port's freshness SLA (a historical extract); it is still shown")
    .option('--ref-data <product=file...>', "data of a product a REFERENCES rule names, as <domain>/<product>=FILE (default: that product's samples/)")
    .action(async (id: string, options: { root?: string; data?: string[]; port?: string; now?: string; freshness?: boolean; refData?: string[]; format: 'text' | 'json' | 'markdown' }) => {
      const root = resolveRoot(io, options.root);
      const { mesh, product } = findProduct(root, id);
      const references = referenceData(root, product, mesh, givenReferenceData(io, mesh, options.refData ?? []));
      const files = dataFiles(io, root, product, options.data ?? []);
      let now = options.now;
      try {
        now ??= options.data === undefined ? samplesNow(root, product) : undefined;
      } catch (error) {
        if (error instanceof SamplesManifestError) throw new UsageError(`${error.file}: ${error.message}`, 'regenerate the samples: node scripts/generate-samples.js');
        throw error;
      }
      const formats = new Set(files.map(dataFormatOf));
      if (formats.has(undefined)) throw new UsageError(`${files.find((f) => !dataFormatOf(f))}: not .csv, .parquet or .jsonl`);
      if (formats.size > 1) throw new UsageError('--data mixes formats: pass files of one format');
      let report: QualityReport;
      try {
        report = await runQuality(product, { files, format: [...formats][0] as 'csv' | 'parquet' | 'jsonl', port: options.port, references, ...(now !== undefined ? { now } : {}) });
      } catch (error) {
        if (error instanceof UnknownPortError) throw new UsageError(error.message);
        if (error instanceof NoSchemaError) throw new UsageError(error.message, `run \`mesh validate ${product.file}\` and fix what it reports`);
        if (error instanceof DataReadError) throw new UsageError(`the data cannot be read: ${error.message}`, 'check that each file is what its extension says');
        throw error;
      }
      const notJudged = freshnessNotJudged(options);
      io.stdout(render({ ...report, files: report.files.map((f) => path.relative(io.cwd, f)) }, options.format, product, notJudged));
      const stale = notJudged === undefined && report.freshness !== undefined && report.freshness.verdict !== 'fresh';
      const blocking = stale || report.types.length > 0 || report.rules.some((r) => r.verdict !== 'pass' && r.severity === 'error');
      setExit(blocking ? EXIT_FINDINGS : EXIT_CLEAN);
    });
  quality
    .command('samples')
    .description("what mesh check runs on data: each product's rules on its samples/ (with --base, of the products whose spec, schemas or samples changed), findings at the rules' lines")
    .option('--base <ref>', 'the git revision to compare against (default: every product with samples)')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'sarif', 'junit']).default('text'))
    .action(async (options: { base?: string; root?: string; format: 'text' | 'json' | 'github' | 'sarif' | 'junit' }) => {
      const root = resolveRoot(io, options.root);
      const spec = await import('@data-mesh/spec');
      let input: { mesh: Mesh; change?: { products: readonly string[]; files: readonly string[] } };
      try {
        if (options.base === undefined) input = { mesh: loadMesh(root) };
        else {
          const result = spec.validateChange(root, { base: options.base });
          input = { mesh: result.mesh, change: { products: result.scope.changed, files: result.scope.changedFiles } };
        }
      } catch (error) {
        environmentError(error);
      }
      const products = spec.productsToSample(root, input.mesh, input.change);
      const diagnostics = await checkSamples(root, input.mesh, products);
      const counts = spec.summarize(diagnostics);
      const footer = `${counts.errors > 0 ? '✖' : '✔'} ${counts.errors} error(s), ${counts.warnings} warning(s) from the quality rules on the samples of ${products.length} product(s)${options.base !== undefined ? ` whose spec, schemas or samples changed against ${options.base}` : ''}`;
      printDiagnostics(io, root, options.format, diagnostics, footer, { summary: { products: products.map((p) => p.id), errors: counts.errors, warnings: counts.warnings } });
      setExit(counts.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN);
    });
  quality
    .command('export')
    .description('print the rules compiled: a GX Core 1.x suite (with what GX cannot express), DQDL or SQL')
    .argument('<product>', '<domain>/<product>')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'compiled form').choices(['gx', 'dqdl', 'sql']).makeOptionMandatory())
    .addOption(new Option('--dialect <dialect>', 'SQL dialect for --format sql').choices(['duckdb', 'athena']).default('athena'))
    .action((id: string, options: { root?: string; format: 'gx' | 'dqdl' | 'sql'; dialect: 'duckdb' | 'athena' }) => {
      const root = resolveRoot(io, options.root);
      const { product } = findProduct(root, id);
      const compiled = compileQualityChecks(product, { duckdb: ['data'], athena: [product.domain, product.name] });
      if (options.format === 'gx') {
        const gx = toGxSuite(product.id, compiled.map((c) => ({ name: `qualityChecks[${c.index}]`, rule: c.rule, severity: c.severity, expression: c.expression })));
        io.stdout(`${JSON.stringify(gx, null, 2)}\n`);
        for (const u of gx.unsupported) io.stderr(`not in the GX suite: ${product.file}: ${u.check} ${u.rule}: ${u.reason}\n`);
        for (const c of gx.caveats) io.stderr(`differs in GX: ${product.file}: ${c.check} ${c.rule}: ${c.note}\n`);
      } else if (options.format === 'dqdl') {
        for (const severity of ['error', 'warning'] as const) {
          const rules = compiled.filter((c) => c.severity === severity).flatMap((c) => ('error' in c.dqdl ? [] : c.dqdl));
          if (rules.length > 0) io.stdout(`# ${severity}\n${dqdlRuleset(rules)}\n`);
        }
        for (const c of compiled) if ('error' in c.dqdl) io.stderr(`not in DQDL: ${product.file}: qualityChecks[${c.index}] ${c.rule}: ${c.dqdl.error}\n`);
      } else {
        for (const c of compiled) {
          io.stdout(`-- ${product.file}: qualityChecks[${c.index}] (${c.severity}) ${c.rule}\n`);
          io.stdout('error' in c.sql ? `-- not compiled: ${c.sql.error}\n` : `${c.sql[options.dialect].verdict};\n`);
        }
      }
      setExit(EXIT_CLEAN);
    });
}
