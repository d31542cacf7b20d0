import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { JsonPath, MeshProductLike } from './mesh-input';

/**
 * The 1-based position of the node at `path` in a product's spec: through the spec's own
 * locator when the mesh has one (@data-mesh/spec's SourceDocument), else by parsing the file.
 */
export function locateInProduct(root: string, product: MeshProductLike, jsonPath: JsonPath): { line: number; column: number } {
  if (product.document) return product.document.locate(jsonPath);
  try {
    return locateInYaml(fs.readFileSync(path.join(root, product.file), 'utf8'), jsonPath);
  } catch {
    return { line: 1, column: 1 };
  }
}

export function locateInYaml(text: string, jsonPath: JsonPath): { line: number; column: number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, strict: false, uniqueKeys: false });
  let node: unknown = doc.contents;
  let offset = (node as { range?: number[] } | null)?.range?.[0] ?? 0;
  for (const segment of jsonPath) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      next = pair?.value ?? (pair ? pair.key : undefined);
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    const start = (next as { range?: number[] } | undefined)?.range?.[0];
    if (next === undefined || start === undefined) break;
    node = next;
    offset = start;
  }
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
