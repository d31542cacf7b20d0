import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachSchemas } from '../load';
import type { Mesh } from '../mesh';
import type { DataProduct } from '../model';
import { parsedQualityChecks } from './checks';
import { referencesIn } from './rule-language';

/** The data file formats quality rules run on. */
export type DataFormat = 'csv' | 'parquet' | 'jsonl';

/** A data file's format by its extension (`.csv`, `.parquet`, `.jsonl`/`.ndjson`/`.json`), or undefined. */
export function dataFormatOf(file: string): DataFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  return undefined;
}

/** Beside a product's samples: how they were made, and the instant their times are relative to. */
export const SAMPLES_MANIFEST = 'manifest.json';

/** A product's samples folder: `domains/<domain>/<product>/samples/`, absolute. */
export const samplesDir = (root: string, product: DataProduct): string => path.join(root, path.dirname(product.file), 'samples');

/** The sample files of a product (every data file of its samples/ folder), absolute and sorted. */
export function sampleFiles(root: string, product: DataProduct): string[] {
  const dir = samplesDir(root, product);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f !== SAMPLES_MANIFEST && dataFormatOf(f)).sort().map((f) => path.join(dir, f));
}

/**
 * The valid products with samples whose rules a check runs on them: all, or with a change, those
 * whose spec or schemas (`change.products`, ids) or samples (`change.files`, root-relative) it touched,
 * or those of a product one of their REFERENCES rules reads.
 * Their ports' schemas are read when the mesh was loaded without them.
 */
export function productsToSample(root: string, mesh: Mesh, change?: { readonly products: readonly string[]; readonly files: readonly string[] }): DataProduct[] {
  const withSamples = mesh.validProducts().filter((p) => sampleFiles(root, p).length > 0);
  const reached = new Set(change?.products);
  const touched = (id: string): boolean => {
    const product = mesh.products.get(id);
    return reached.has(id) || (product !== undefined && change!.files.some((f) => f.startsWith(`${path.posix.dirname(product.file)}/samples/`)));
  };
  // a REFERENCES rule judges this product's samples against the other product's: either changing reaches it
  const referenced = (p: DataProduct): string[] => parsedQualityChecks(p).flatMap((parse) => (parse.ok ? referencesIn(parse.expression).map((r) => r.target.product) : []));
  const chosen = change === undefined ? withSamples : withSamples.filter((p) => touched(p.id) || referenced(p).some(touched));
  // A check of a change reads only the schemas it judges: the samples need their port's schema to be typed.
  attachSchemas(mesh, chosen);
  return chosen;
}
