import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportOdcs, importOdcs, loadMesh, summarize, type OdcsExportReport } from '@data-mesh/spec';
import { Option, type Command } from 'commander';
import { docsUrl } from '../codes';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError, type Io } from '../io';
import { resolveRoot, rootOption } from '../options';
import { renderText } from '../render/text';

const PRODUCT_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\/[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Refuses to overwrite files unless --force: a usage error naming them. */
function refuseExisting(io: Io, files: readonly string[], force: boolean | undefined): void {
  if (force) return;
  const existing = files.filter((f) => fs.existsSync(f));
  if (existing.length === 0) return;
  throw new UsageError(`${existing.map((f) => path.relative(io.cwd, f) || f).join(', ')} already exist${existing.length === 1 ? 's' : ''}: not overwritten`, 'pass --force to overwrite, or choose another --out');
}

function reportText(report: OdcsExportReport, out: string | undefined): string {
  const lines = [`mesh: ${report.product} -> ODCS ${report.apiVersion}${out ? ` (${out})` : ''}`];
  lines.push(`  kept in customProperties (ODCS has no field for them; a reader that ignores customProperties does not see them): ${report.customProperties.length}`);
  for (const n of report.customProperties) lines.push(`    ${n.path}: ${n.what} (${n.reason})`);
  lines.push(`  not carried: ${report.notCarried.length}`);
  for (const n of report.notCarried) lines.push(`    ${n.what}: ${n.reason}`);
  return `${lines.join('\n')}\n`;
}

interface ExportOptions {
  out?: string;
  force?: boolean;
  report?: string;
  root?: string;
}

export function registerExport(program: Command, io: Io, setExit: (code: number) => void): void {
  const command = program.command('export').description('write a product\'s contract in another standard (ODCS v3.1: `mesh export odcs <domain>/<product>`)');
  command
    .command('odcs <product>')
    .description(
      'the product <domain>/<product> as an ODCS v3.1.0 data contract: a schema object per output port (properties from its Avro schema), quality rules verbatim, SLA, team, roles, classification and PII, lifecycle.\n' +
        'What ODCS has no field for goes in customProperties, so `mesh import odcs` restores the contract exactly; the report (stderr, --report) lists it and what is not carried at all. Exit 0 written, 2 usage (unknown product, --out exists).',
    )
    .option('--out <file>', 'write the contract to this file (default: stdout)')
    .option('--force', 'overwrite --out and --report when they exist')
    .option('--report <file>', 'also write the report as JSON to this file')
    .addOption(rootOption())
    .action((product: string, options: ExportOptions) => {
      if (!PRODUCT_ID.test(product)) throw new UsageError(`${product} is not <domain>/<product>`, 'e.g. mesh export odcs customer/customer-360');
      const out = options.out === undefined ? undefined : path.resolve(io.cwd, options.out);
      const report = options.report === undefined ? undefined : path.resolve(io.cwd, options.report);
      refuseExisting(io, [out, report].filter((f): f is string => f !== undefined), options.force);
      const root = resolveRoot(io, options.root);
      const result = exportOdcs(loadMesh(root), product);
      if (!result.ok) throw new UsageError(result.message, result.hint);
      if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, result.value.yaml);
      } else io.stdout(result.value.yaml);
      if (report) fs.writeFileSync(report, `${JSON.stringify(result.value.report, null, 2)}\n`);
      io.stderr(reportText(result.value.report, options.out));
      setExit(EXIT_CLEAN);
    });
}

interface ImportOptions {
  domain?: string;
  out?: string;
  force?: boolean;
  root?: string;
  format: 'text' | 'json';
}

export function registerImport(program: Command, io: Io, setExit: (code: number) => void): void {
  const command = program.command('import').description('read a contract written in another standard (ODCS v3: `mesh import odcs FILE`)');
  command
    .command('odcs <file>')
    .description(
      'an ODCS v3 data contract as a data product: writes domains/<domain>/<product>/data-product.yaml and the Avro schema of each schema object (domains/<domain>/schemas/<subject>.avsc) under --out.\n' +
        'A contract `mesh export odcs` wrote comes back exactly. Findings (another major version, unknown or missing ODCS properties, a type Avro cannot express, what a mesh contract needs and the document lacks) are reported at their line. Exit 0 written, 1 findings, 2 usage (files exist without --force).',
    )
    .option('--domain <domain>', "the product's domain (default: the contract's domain)")
    .option('--out <dir>', 'the mesh root to write into (default: the repository root)')
    .option('--force', 'overwrite the spec and schema files when they exist')
    .addOption(rootOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((file: string, options: ImportOptions) => {
      if (options.domain !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(options.domain)) throw new UsageError(`--domain ${options.domain} is not a domain name (kebab-case)`);
      const absolute = path.resolve(io.cwd, file);
      let text: string;
      try {
        text = fs.readFileSync(absolute, 'utf8');
      } catch {
        throw new UsageError(`${file}: no such file`);
      }
      const shown = path.relative(io.cwd, absolute) || file;
      const result = importOdcs(shown, text, options.domain === undefined ? {} : { domain: options.domain });
      const summary = summarize(result.diagnostics);
      const written: string[] = [];
      if (result.value) {
        const outDir = options.out === undefined ? resolveRoot(io, options.root) : path.resolve(io.cwd, options.out);
        const targets = [result.value.file, ...result.value.schemas.map((s) => s.file)].map((f) => path.join(outDir, f));
        refuseExisting(io, targets, options.force);
        fs.mkdirSync(path.dirname(path.join(outDir, result.value.file)), { recursive: true });
        fs.writeFileSync(path.join(outDir, result.value.file), result.value.yaml);
        for (const s of result.value.schemas) {
          fs.mkdirSync(path.dirname(path.join(outDir, s.file)), { recursive: true });
          fs.writeFileSync(path.join(outDir, s.file), s.text);
        }
        written.push(...targets.map((t) => path.relative(io.cwd, t) || t));
      }
      if (options.format === 'json') {
        io.stdout(`${JSON.stringify({ product: result.value?.id ?? null, written, diagnostics: result.diagnostics, summary }, null, 2)}\n`);
      } else {
        if (result.diagnostics.length > 0) io.stderr(renderText(result.diagnostics, { color: io.color, readFile: (f) => (f === shown ? text : undefined), docsUrl }));
        if (result.value) {
          io.stdout(`imported ${result.value.id} from ${shown}:\n${written.map((w) => `  ${w}`).join('\n')}\n`);
          io.stdout(`next: list ${result.value.id.split('/')[1]} in domains/domain-map.yaml under ${result.value.id.split('/')[0]} if it is new, then run mesh validate\n`);
        } else io.stderr(`mesh: ${shown}: not imported (${summary.errors} error${summary.errors === 1 ? '' : 's'})\n`);
      }
      setExit(result.value && summary.errors === 0 ? EXIT_CLEAN : EXIT_FINDINGS);
    });
}
