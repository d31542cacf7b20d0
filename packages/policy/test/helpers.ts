import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSystemSource, policyDirs } from '@data-mesh/spec';
import { findOpa } from '../src';

/** The repository root: the real example domains and governance/ live there. */
export const ROOT = path.resolve(__dirname, '../../..');

/**
 * The tests use the real opa binary installed by scripts/setup-tools.sh. When it is missing
 * they fail loudly with the install command; they never skip.
 */
export async function requireOpa(): Promise<string> {
  const found = await findOpa(ROOT);
  if (!found.found) throw new Error(`${found.diagnostic}. The policy tests need it: run ${found.installCommand}`);
  return found.path;
}

/**
 * A scratch repository with copies of the policy folders and the tool pins, and the real
 * .tools/ linked in, so a test can edit a policy without touching the work tree.
 */
export function scratchRepo(): { root: string; write(file: string, text: string): void; edit(file: string, from: string | RegExp, to: string): void; dispose(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-policy-test-'));
  for (const dir of [...policyDirs(fileSystemSource(ROOT)), 'governance/erasures']) {
    fs.cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
  }
  fs.cpSync(path.join(ROOT, 'governance/standards.yaml'), path.join(root, 'governance/standards.yaml'));
  fs.mkdirSync(path.join(root, 'tools'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'tools/versions.env'), path.join(root, 'tools/versions.env'));
  fs.symlinkSync(path.join(ROOT, '.tools'), path.join(root, '.tools'));
  return {
    root,
    write(file, text) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    },
    edit(file, from, to) {
      const full = path.join(root, file);
      const before = fs.readFileSync(full, 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`scratchRepo.edit: ${String(from)} not found in ${file}`);
      fs.writeFileSync(full, after);
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}


/**
 * A scratch copy of the repository's mesh (domains/, governance/, the infra config example and
 * the tool pins, with the real .tools/ linked in), for tests that edit specs or the infra config.
 */
export function meshCopy(): ReturnType<typeof scratchRepo> {
  const repo = scratchRepo();
  for (const entry of ['domains', 'governance', 'infra/config.example.yaml']) fs.cpSync(path.join(ROOT, entry), path.join(repo.root, entry), { recursive: true });
  return repo;
}
