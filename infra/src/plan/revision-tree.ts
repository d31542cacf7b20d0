import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { git } from '@data-mesh/spec';

/** What one side of a plan is made from, relative to the mesh root. */
const TREE_PATHS = ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'infra/config.yaml', 'infra/config.example.yaml'];

/**
 * The mesh root's files at a commit (specs, schemas, policies, the CDK app's config), written to
 * a new temporary directory with one `git archive`: reading a thousand specs as git objects one
 * process each would cost more than synthesizing them. The caller removes the directory.
 */
export function extractRevision(repo: string, commit: string, prefix: string): string {
  const present = TREE_PATHS.filter((p) => git(repo, ['ls-tree', '--name-only', commit, '--', `${prefix}${p}`]).length > 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-plan-tree-'));
  try {
    if (present.length > 0) {
      const tar = git(repo, ['archive', '--format=tar', commit, '--', ...present.map((p) => `${prefix}${p}`)]);
      const strip = prefix.split('/').filter(Boolean).length;
      execFileSync('tar', ['-x', '-C', dir, ...(strip ? [`--strip-components=${strip}`] : [])], { input: tar, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    }
    return dir;
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
