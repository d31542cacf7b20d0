import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '@data-mesh/spec';
import { buildCatalog, versionHistory, type CatalogOptions, type CatalogSite } from '../src';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Builds the catalog of a mesh root and writes it to a new temporary folder. */
export function writeSite(root: string, options: CatalogOptions & { withHistory?: boolean } = {}): { dir: string; site: CatalogSite } {
  const mesh = loadMesh(root);
  const { withHistory, ...rest } = options;
  const site = buildCatalog(mesh, { ...rest, ...(withHistory ? { history: versionHistory(root) } : {}) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-'));
  for (const [file, content] of site.files) {
    const target = path.join(dir, ...file.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return { dir, site };
}

/** A copy of the example mesh (domains/, governance/, platform.yaml) in a temporary folder, for tests that edit it. */
export function copyMesh(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-catalog-mesh-'));
  for (const entry of ['domains', 'governance', 'platform.yaml']) {
    const from = path.join(REPO_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  return dir;
}
