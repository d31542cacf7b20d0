import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMesh } from '@data-mesh/spec/core';
import { buildPolicyData, type PolicyData } from './data';
import type { Diagnostic } from './diagnostics';
import type { MeshLike } from './mesh-input';

/** Loads the mesh at `root` with @data-mesh/spec (its diagnostics are the validator's business). */
export function loadPolicyMesh(root: string): MeshLike {
  return loadMesh(root);
}

/** A temporary folder holding `data.json` (the generated policy data) for opa's loaders. */
export interface DataDir {
  readonly dir: string;
  readonly data: PolicyData;
  readonly diagnostics: Diagnostic[];
  dispose(): void;
}

export function writeDataDir(root: string, mesh: MeshLike = loadPolicyMesh(root)): DataDir {
  const { data, diagnostics } = buildPolicyData(root, mesh);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-data-'));
  // opa loads a file named data.json at the data document's root.
  fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(data));
  return { dir, data, diagnostics, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
