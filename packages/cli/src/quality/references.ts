import { attachSchemas, dataFormatOf, parsedQualityChecks, referencesIn, sampleFiles, type DataProduct, type Mesh } from '@data-mesh/spec';
import type { ReferenceData } from './run';

/**
 * The data of every product a product's REFERENCES rules name: the files given for it
 * (`--ref-data <domain>/<product>=FILE`), else its own samples/. A product with neither, or
 * unknown, is left out: its rules report an error naming what to pass, never a pass. Their
 * ports' schemas are read when the mesh was loaded without them (a check of a change).
 */
export function referenceData(root: string, product: DataProduct, mesh: Mesh, given: ReadonlyMap<string, readonly string[]> = new Map()): Map<string, ReferenceData> {
  const data = new Map<string, ReferenceData>();
  for (const parse of parsedQualityChecks(product)) {
    if (!parse.ok) continue;
    for (const { target } of referencesIn(parse.expression)) {
      const other = mesh.products.get(target.product);
      if (!other || data.has(other.id)) continue;
      const files = given.get(other.id) ?? sampleFiles(root, other);
      const formats = new Set(files.map(dataFormatOf));
      const format = [...formats][0];
      if (files.length > 0 && formats.size === 1 && format !== undefined) data.set(other.id, { product: other, files, format });
    }
  }
  attachSchemas(mesh, [...data.values()].map((d) => d.product));
  return data;
}
