import * as fs from 'node:fs';
import * as path from 'node:path';
import { SourceDocument } from '@data-mesh/spec/core';
import type { JsonPath, MeshProductLike } from './mesh-input';

/**
 * The 1-based position of the node at `path` in a product's spec (with its end, when the spec's
 * document gives one): through the spec's own document when the mesh has one, else by reading the file.
 */
export function locateInProduct(root: string, product: MeshProductLike, jsonPath: JsonPath): { line: number; column: number; endLine?: number; endColumn?: number } {
  if (product.document) return product.document.locate(jsonPath);
  try {
    return new SourceDocument(product.file, fs.readFileSync(path.join(root, product.file), 'utf8'), undefined).locate(jsonPath);
  } catch {
    return { line: 1, column: 1 };
  }
}
