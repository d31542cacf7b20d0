import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataFormatOf, loadMesh, type DataFormat } from '@data-mesh/spec';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';
import { compareOutputs, DEFAULT_SAMPLE_RATE, DEFAULT_TOLERANCE, ParityInputError, parseColumnTolerance, type ColumnTolerance, type ParityReport } from '../parity/compare';

interface ParityCommandOptions {
  central: string[];
  domain: string[];
  key: string;
  sampleRate: number;
  tolerance: number;
  columnTolerance?: string[];
  product?: string;
  root?: string;
  report?: string;
  format: 'text' | 'json' | 'markdown';
}

function share(name: string, low: 'open' | 'closed') {
  return (value: string): number => {
    const n = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(n) && n <= 1 && (low === 'open' ? n > 0 : n >= 0);
    if (!ok) throw new InvalidArgumentError(`${name} is a share ${low === 'open' ? 'in (0, 1]' : 'in [0, 1]'}, e.g. ${name === 'the sample rate' ? '0.05' : '0.001'}`);
    return n;
  };
}

/** The files of one side and their one format (a glob is expanded by DuckDB's reader). */
function side(io: Io, flag: string, patterns: readonly string[]): { files: string[]; format: DataFormat } {
  const files = patterns.map((p) => path.resolve(io.cwd, p));
  for (const file of files) {
    if (!dataFormatOf(file)) throw new UsageError(`${flag} ${path.relative(io.cwd, file)}: not .csv, .parquet or .jsonl`);
    if (/[*?[]/.test(file)) continue;
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`${flag} ${path.relative(io.cwd, file)}: no such file`);
    if (fs.statSync(file).size === 0) throw new UsageError(`${flag} ${path.relative(io.cwd, file)}: the file is empty (0 bytes)`, 'a side with no rows has nothing to compare: write at least the header (CSV) or the schema (Parquet)');
  }
  const formats = new Set(files.map((f) => dataFormatOf(f) as DataFormat));
  if (formats.size > 1) throw new UsageError(`${flag} mixes formats (${[...formats].join(', ')}): the files of one side are all of one format`);
  return { files, format: [...formats][0] as DataFormat };
}

function columnTolerances(texts: readonly string[]): Map<string, ColumnTolerance> {
  const tolerances = new Map<string, ColumnTolerance>();
  for (const text of texts) {
    const parsed = parseColumnTolerance(text);
    if ('error' in parsed) throw new UsageError(parsed.error);
    const previous = tolerances.get(parsed.column) ?? { abs: 0, rel: 0 };
    tolerances.set(parsed.column, { ...previous, [parsed.kind]: parsed.value });
  }
  return tolerances;
}

function piiOf(io: Io, root: string | undefined, id: string | undefined): Set<string> {
  if (id === undefined) return new Set();
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(id)) throw new UsageError(`--product ${id} is not <domain>/<product>`);
  const dir = resolveRoot(io, root);
  const product = loadMesh(dir).products.get(id);
  if (!product) throw new UsageError(`--product: no data product ${id} in ${path.join(dir, 'domains')}`);
  return new Set(product.spec.spec.governance?.pii_fields ?? []);
}

const pct = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 4 : 2)}%`;
const keyText = (key: Record<string, unknown>) => Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');

function render(report: ParityReport, format: 'text' | 'markdown'): string {
  const lines: string[] = [];
  const { rows } = report;
  const missing = rows.missingInDomain + rows.missingInCentral;
  const headline = `${report.verdict === 'parity' ? '✔ parity' : '✖ no parity'}: ${pct(report.rate)} of ${rows.compared + missing} sampled rows differ or are missing (tolerance ${pct(report.tolerance)}, sample ${pct(report.sampleRate)} by key hash, key ${report.key.join(', ')})`;
  if (format === 'markdown') {
    lines.push(`### ${headline}`, '');
    for (const reason of report.reasons) lines.push(`- ${reason}`);
    if (report.reasons.length) lines.push('');
    lines.push('| | central | domain |', '|---|---:|---:|', `| rows | ${report.central.rows} | ${report.domain.rows} |`, `| sampled | ${report.central.sampledRows} | ${report.domain.sampledRows} |`,
      `| missing on the other side | ${rows.missingInDomain} | ${rows.missingInCentral} |`, `| duplicate keys (rows) | ${report.central.duplicateKeys} (${report.central.duplicateRows}) | ${report.domain.duplicateKeys} (${report.domain.duplicateRows}) |`, '');
    lines.push('| column | mismatches | rate | examples (central → domain) |', '|---|---:|---:|---|');
    for (const c of report.columns) lines.push(`| \`${c.column}\` | ${c.mismatches} | ${pct(c.rate)} | ${c.examples.map((e) => `${keyText(e.key)}: ${JSON.stringify(e.central)} → ${JSON.stringify(e.domain)}`).join('<br>').replace(/\|/g, '\\|')} |`);
    for (const t of report.schema.typeChanges) lines.push(`| \`${t.column}\` | type ${t.central} → ${t.domain} | | compared as ${t.comparedAs} |`);
    for (const c of report.schema.missingInDomain) lines.push(`| \`${c}\` | not in the domain data | | |`);
    for (const c of report.schema.missingInCentral) lines.push(`| \`${c}\` | only in the domain data | | |`);
    return `${lines.join('\n')}\n`;
  }
  for (const reason of report.reasons) lines.push(`✖ ${reason}`);
  for (const [name, s] of [['central', report.central], ['domain', report.domain]] as const) {
    for (const d of s.duplicateExamples) lines.push(`    ${name} duplicate ${keyText(d.key)} x${d.count}`);
  }
  for (const c of report.schema.missingInCentral) lines.push(`⚠ column ${c}: only in the domain data (not compared)`);
  for (const t of report.schema.typeChanges) lines.push(`${t.comparedAs === 'not compared' ? '✖' : '⚠'} column ${t.column}: ${t.central} in the central data, ${t.domain} in the domain data (compared as ${t.comparedAs})`);
  if (rows.missingInDomain > 0) lines.push(`✖ ${rows.missingInDomain} sampled row${rows.missingInDomain === 1 ? '' : 's'} of the central data not in the domain data, e.g. ${rows.missingInDomainExamples.map(keyText).join('; ')}`);
  if (rows.missingInCentral > 0) lines.push(`✖ ${rows.missingInCentral} sampled row${rows.missingInCentral === 1 ? '' : 's'} of the domain data not in the central data, e.g. ${rows.missingInCentralExamples.map(keyText).join('; ')}`);
  for (const c of report.columns) {
    if (c.mismatches === 0) continue;
    lines.push(`✖ column ${c.column}: ${c.mismatches} mismatch${c.mismatches === 1 ? '' : 'es'} (${pct(c.rate)} of ${rows.compared} compared rows${c.tolerance ? `, within abs ${c.tolerance.abs} + rel ${c.tolerance.rel}` : ''})`);
    for (const e of c.examples) lines.push(`    ${keyText(e.key)}: central ${JSON.stringify(e.central)}, domain ${JSON.stringify(e.domain)}`);
  }
  const equal = report.columns.filter((c) => c.mismatches === 0).length;
  lines.push(`${headline}; ${equal} of ${report.columns.length} compared columns equal; central ${report.central.rows} rows, domain ${report.domain.rows} rows`);
  return `${lines.join('\n')}\n`;
}

export function registerParity(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('parity')
    .description(
      "compare a central pipeline's output with the domain product replacing it (embedded DuckDB): rows missing on either side, per-column mismatches, schema differences, and a verdict.\n" +
        'Both sides are sampled by the same hash of the key (md5 of the key text; see docs/parity.md). The verdict is parity when (rows with any mismatch + rows missing on either side) / (rows compared + rows missing) <= --tolerance and nothing blocks the comparison (duplicate or NULL keys, a central column the domain lacks, incompatible types, an empty side). Exit 0 parity, 1 no parity, 2 usage.',
    )
    .requiredOption('--central <file...>', 'the central output: files or globs (.csv, .parquet or .jsonl, one format)')
    .requiredOption('--domain <file...>', "the domain product's output: files or globs (one format; may differ from the central one)")
    .requiredOption('--key <columns>', 'the key columns, comma-separated: one row per key on each side')
    .addOption(new Option('--sample-rate <rate>', 'share of keys compared, in (0, 1]; 1 compares every row').default(DEFAULT_SAMPLE_RATE, `${DEFAULT_SAMPLE_RATE} (5%, as the migration playbook)`).argParser(share('the sample rate', 'open')))
    .addOption(new Option('--tolerance <share>', 'largest share of sampled rows that may differ or be missing').default(DEFAULT_TOLERANCE, `${DEFAULT_TOLERANCE} (0.1%)`).argParser(share('the tolerance', 'closed')))
    .option('--column-tolerance <spec...>', 'numeric tolerance of a column: COL=abs:X or COL=rel:Y (both may be given; equal when |central - domain| <= X + Y x |central|)')
    .option('--product <id>', '<domain>/<product> whose pii_fields are masked (***) in the examples')
    .addOption(rootOption())
    .option('--report <file>', 'also write the JSON report to this file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action(async (options: ParityCommandOptions) => {
      const key = options.key.split(',').map((k) => k.trim());
      if (key.some((k) => k === '')) throw new UsageError(`--key ${options.key}: an empty column name`);
      const central = side(io, '--central', options.central);
      const domain = side(io, '--domain', options.domain);
      const tolerances = columnTolerances(options.columnTolerance ?? []);
      const pii = piiOf(io, options.root, options.product);
      let report: ParityReport;
      try {
        report = await compareOutputs({ central, domain, key, sampleRate: options.sampleRate, tolerance: options.tolerance, columnTolerances: tolerances, pii });
      } catch (error) {
        if (error instanceof ParityInputError) throw new UsageError(error.message, error.message.includes('cannot be read') ? 'check that each file is what its extension says' : undefined);
        throw error;
      }
      const shown: ParityReport = {
        ...report,
        central: { ...report.central, files: report.central.files.map((f) => path.relative(io.cwd, f)) },
        domain: { ...report.domain, files: report.domain.files.map((f) => path.relative(io.cwd, f)) },
      };
      const json = `${JSON.stringify(shown, null, 2)}\n`;
      if (options.report !== undefined) fs.writeFileSync(path.resolve(io.cwd, options.report), json);
      io.stdout(options.format === 'json' ? json : render(shown, options.format));
      setExit(report.verdict === 'parity' ? EXIT_CLEAN : EXIT_FINDINGS);
    });
}
