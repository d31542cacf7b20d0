import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataFormatOf, SAMPLES_MANIFEST, sampleFiles, samplesDir, type DataProduct, type Diagnostic, type Mesh } from '@data-mesh/spec';
import { referenceData } from './references';
import { NoSchemaError, runQuality, type QualityReport } from './run';

/** `mesh check`'s code for a quality rule that fails on its product's samples. */
export const SAMPLES_CODE = 'MESH403';

/** A samples manifest that cannot be used: its file, and why. */
export class SamplesManifestError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}

/**
 * The instant the product's samples were generated at (their manifest's `now`): rules about
 * NOW() judge samples against it, so committed samples do not go stale as days pass.
 */
export function samplesNow(root: string, product: DataProduct): string | undefined {
  const file = path.join(samplesDir(root, product), SAMPLES_MANIFEST);
  if (!fs.existsSync(file)) return undefined;
  const shown = path.relative(root, file).split(path.sep).join('/');
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SamplesManifestError(shown, `not JSON (${(error as Error).message})`);
  }
  const now = (manifest as { now?: unknown } | null)?.now;
  if (now === undefined) return undefined;
  if (typeof now !== 'string' || Number.isNaN(Date.parse(now))) throw new SamplesManifestError(shown, '"now" must be an ISO-8601 instant');
  return now;
}

/** The findings of one product's run on its samples, at the rule's line in the spec. */
export function sampleDiagnostics(root: string, product: DataProduct, report: QualityReport): Diagnostic[] {
  const shown = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const files = report.files.map(shown).join(', ');
  const out: Diagnostic[] = [];
  for (const t of report.types) {
    const span = product.document.locate(['spec', 'outputPorts', product.outputPorts.findIndex((p) => p.name === report.port), 'schema']);
    const what = t.kind === 'missing' ? `has no column ${t.column} (${t.expected} in the port's schema)` : `has ${t.count} value(s) of ${t.column} that are not ${t.expected}, e.g. ${t.examples.map((e) => JSON.stringify(e)).join(', ')}`;
    out.push({ severity: 'error', code: SAMPLES_CODE, message: `${product.id}: the samples (${files}) ${what}`, file: product.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, hint: 'make the samples match the port (node scripts/generate-samples.js regenerates them from the schema)' });
  }
  for (const r of report.rules) {
    if (r.verdict === 'pass') continue;
    const span = product.document.locate(['spec', 'qualityChecks', r.index, 'rule']);
    const observed = r.verdict === 'error' ? `could not run: ${r.message}` : `observed ${r.observed}${r.failingRowCount !== undefined ? `, ${r.failingRowCount} failing row(s)` : ''}`;
    out.push({
      severity: r.severity,
      code: SAMPLES_CODE,
      message: `${product.id}: quality rule "${r.rule}" fails on the product's samples (${files}; ${report.rows} rows${report.now ? `, NOW() = ${report.now}` : ''}): ${observed}`,
      file: product.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn,
      hint: 'a rule the samples contradict would fail on production data too: fix the rule, or the samples if they are wrong (node scripts/generate-samples.js <domain>/<product> makes samples that pass the rules)',
    });
  }
  return out;
}

/** Runs each product's rules on its samples; findings at the rules' lines. */
export async function checkSamples(root: string, mesh: Mesh, products: readonly DataProduct[]): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const product of products) {
    const files = sampleFiles(root, product);
    const formats = new Set(files.map(dataFormatOf));
    const dir = path.relative(root, samplesDir(root, product)).split(path.sep).join('/');
    const at = { file: product.file, line: 1, column: 1 };
    if (formats.size !== 1) {
      diagnostics.push({ severity: 'error', code: SAMPLES_CODE, message: `${product.id}: ${dir}/ mixes data formats (${[...formats].join(', ')}): the samples were not checked`, ...at, hint: 'keep the samples of a product in one format' });
      continue;
    }
    let now: string | undefined;
    try {
      now = samplesNow(root, product);
    } catch (error) {
      if (!(error instanceof SamplesManifestError)) throw error;
      diagnostics.push({ severity: 'error', code: SAMPLES_CODE, message: `${error.file}: ${error.message}: the samples were not checked`, file: error.file, line: 1, column: 1, hint: 'regenerate the samples: node scripts/generate-samples.js' });
      continue;
    }
    try {
      const report = await runQuality(product, { files, format: [...formats][0]!, references: referenceData(root, product, mesh), ...(now !== undefined ? { now } : {}) });
      diagnostics.push(...sampleDiagnostics(root, product, report));
    } catch (error) {
      if (error instanceof NoSchemaError) {
        diagnostics.push({ severity: 'error', code: SAMPLES_CODE, message: `${error.message}: the samples in ${dir}/ were not checked`, ...at, hint: `fix what \`mesh validate ${product.file}\` reports` });
        continue;
      }
      diagnostics.push({ severity: 'error', code: SAMPLES_CODE, message: `${product.id}: the samples in ${dir}/ cannot be read (${(error as Error).message.split('\n')[0]}): they were not checked`, ...at, hint: 'check that each file is what its extension says' });
    }
  }
  return diagnostics;
}
