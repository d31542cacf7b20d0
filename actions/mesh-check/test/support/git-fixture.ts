import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** What a mesh repository needs, taken from this repository's last commit (not others' uncommitted work). */
export const MESH_PATHS = ['domains', 'platform.yaml', '.github/CODEOWNERS', 'governance', 'tools/versions.env'];

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Mesh Test',
  GIT_AUTHOR_EMAIL: 'mesh@example.com',
  GIT_COMMITTER_NAME: 'Mesh Test',
  GIT_COMMITTER_EMAIL: 'mesh@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: os.tmpdir(),
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();
}

export interface MeshRepo {
  readonly dir: string;
  /** The base branch's head the PR merges into. */
  readonly base: string;
  /** The PR's head commit. */
  readonly head: string;
  /** The merge commit (refs/pull/N/merge): HEAD, with parents base and head. */
  readonly merge: string;
}

/** Copies the example mesh into a new git repository and commits it on main. */
export function initMeshRepo(prefix = 'mesh-action-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const tar = execFileSync('git', ['-C', REPO, 'archive', '--format=tar', 'HEAD', '--', ...MESH_PATHS], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the example mesh');
  return dir;
}

/**
 * A pull request as actions/checkout sees it: `change` is committed on a branch, main moves on
 * with an unrelated commit (so base.sha of the event would be stale), and HEAD is the merge
 * commit of the branch into main, detached.
 */
export function pullRequestRepo(change: (dir: string) => void, dir = initMeshRepo()): MeshRepo {
  git(dir, 'checkout', '-q', '-b', 'feature');
  change(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the change under review');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', 'main');
  fs.appendFileSync(path.join(dir, 'platform.yaml'), '# main moved on\n');
  git(dir, 'commit', '-q', '-am', 'unrelated work on main');
  const base = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '--detach', base);
  git(dir, 'merge', '-q', '--no-ff', '-m', `Merge ${head} into ${base}`, head);
  return { dir, base, head, merge: git(dir, 'rev-parse', 'HEAD') };
}

export function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const p = path.join(dir, file);
  const before = fs.readFileSync(p, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`the edit changed nothing in ${file}`);
  fs.writeFileSync(p, after);
}

/**
 * The breaking change: customer/customer-events-v1 drops event_type (and its own quality rule on
 * it, as an author would), and customer/customer-360 reads event_type.
 */
export const CUSTOMER_EVENTS_SCHEMA = 'domains/customer/schemas/customer_events_v1.avsc';
export const CUSTOMER_EVENTS_SPEC = 'domains/customer/customer-events-v1/data-product.yaml';
export function dropEventType(dir: string): void {
  editFile(dir, CUSTOMER_EVENTS_SCHEMA, (t) => t.split('\n').filter((l) => !l.includes('"name": "event_type"')).join('\n'));
  editFile(dir, CUSTOMER_EVENTS_SPEC, (t) => t.split('\n').filter((l) => !l.includes('rule: "event_type IS NOT NULL"')).join('\n'));
}
