import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { DirEntry, MeshSource, ReadResult } from '../source';

/** A git command failed, or the directory is not a work tree: an environment error for the caller. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    message: string,
    /** What to do about it, when more is known than "a git command failed". */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** How to get the whole history into a clone, in a workflow and by hand. */
export const FULL_HISTORY_FIX = 'check out with `fetch-depth: 0` (actions/checkout), or fetch it: `git fetch --filter=blob:none --unshallow origin`';

const MAX_BUFFER = 256 << 20;

/** Runs git with an argument array (never a shell: paths in a pull request are attacker-controlled). */
export function git(repo: string, args: readonly string[], input?: string): Buffer {
  try {
    return execFileSync('git', ['-C', repo, '-c', 'core.quotepath=off', ...args], {
      maxBuffer: MAX_BUFFER,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(input !== undefined ? { input } : {}),
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new GitError(`git ${args.slice(0, 3).join(' ')} failed${stderr ? `: ${stderr.split('\n')[0]}` : ''}`);
  }
}

/** The full commit id of a revision, or a GitError naming it (and saying to fetch it in a shallow clone). */
export function resolveRevision(repo: string, revision: string): string {
  if (revision.startsWith('-')) throw new GitError(`"${revision}" is not a revision`);
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).toString().trim();
  } catch {
    if (shallowCommits(repo).size > 0) {
      throw new GitError(
        `"${revision}" is not a commit in ${repo}, which is a shallow clone: the revision may not have been fetched`,
        `fetch it (\`git fetch --filter=blob:none --unshallow origin\`, or \`git fetch origin <branch>\` for a branch), or check out with \`fetch-depth: 0\``,
      );
    }
    throw new GitError(`"${revision}" is not a commit in ${repo}`);
  }
}

/** Whether `ancestor` is in the history of `descendant` (both commit ids). */
export function isAncestor(repo: string, ancestor: string, descendant: string): boolean {
  const result = spawnSync('git', ['-C', repo, 'merge-base', '--is-ancestor', ancestor, descendant], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status === 0) return true;
  if (result.status === 1) return false;
  throw new GitError(`git merge-base --is-ancestor failed${result.stderr?.length ? `: ${result.stderr.toString().trim().split('\n')[0]}` : ''}`);
}

/** The merge base of two commits, or undefined when they share no history (in this clone). */
export function mergeBase(repo: string, a: string, b: string): string | undefined {
  const result = spawnSync('git', ['-C', repo, 'merge-base', a, b], { stdio: ['ignore', 'pipe', 'pipe'] });
  return result.status === 0 ? result.stdout.toString().trim() || undefined : undefined;
}

/**
 * The commits at which this clone's history is cut: the shallow boundary (`.git/shallow`,
 * whose commits' parents were not fetched) and grafted commits (`info/grafts`, whose recorded
 * parents are replaced). Empty for a complete clone.
 */
export function shallowCommits(repo: string): ReadonlySet<string> {
  const cut = new Set<string>();
  let files: string[];
  try {
    files = git(repo, ['rev-parse', '--git-path', 'shallow', '--git-path', 'info/grafts']).toString().split('\n').filter(Boolean);
  } catch {
    return cut;
  }
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(nodePath.resolve(repo, file), 'utf8');
    } catch {
      continue; // no such file: nothing cut there
    }
    for (const line of text.split('\n')) {
      const id = line.trim().split(/\s+/)[0];
      if (id && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(id)) cut.add(id);
    }
  }
  return cut;
}

function splitZ(buffer: Buffer): string[] {
  return buffer.toString('utf8').split('\0').filter((s) => s !== '');
}

/**
 * Files under `pathspecs` that differ between a base commit and a head commit, or the work
 * tree (untracked files included) when head is undefined.
 */
export function changedFiles(repo: string, base: string, head: string | undefined, pathspecs: readonly string[]): string[] {
  const changed = splitZ(git(repo, ['diff', '--name-only', '-z', '--no-renames', base, ...(head ? [head] : []), '--', ...pathspecs]));
  if (!head) changed.push(...splitZ(git(repo, ['ls-files', '--others', '--exclude-standard', '-z', '--', ...pathspecs])));
  return [...new Set(changed)].sort();
}

/**
 * Files at a revision (or tracked files in the work tree) under `pathspec` whose text contains
 * any of `needles`. Untracked files are not searched: the caller has them from `changedFiles`.
 */
export function filesContaining(repo: string, revision: string | undefined, needles: string | readonly string[], pathspec: string): string[] {
  const patterns = (typeof needles === 'string' ? [needles] : needles).flatMap((n) => ['-e', n]);
  const args = ['grep', '-l', '-z', '-F', ...patterns, ...(revision ? [revision] : []), '--', pathspec];
  let output: Buffer;
  try {
    output = git(repo, args);
  } catch {
    return []; // git grep exits 1 when nothing matches
  }
  return splitZ(output).map((f) => (revision && f.startsWith(`${revision}:`) ? f.slice(revision.length + 1) : f));
}

/** One commit that changed a file, in the history of a revision. */
export interface FileVersion {
  readonly commit: string;
  /** The file's path (from the repository's top) in that commit: a rename changes it. */
  readonly path: string;
  /** The content's blob id; undefined when the commit deleted the file, or for a merge commit (read `commit:path`). */
  readonly blob?: string;
  readonly deleted: boolean;
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const NULL_ID = /^0+$/;

/**
 * The commits (oldest first) up to `revision` that changed a file, following renames
 * (`git log --follow`, git's rename detection: a file removed and one at least 50% similar
 * added in the same commit), with the blob each one wrote. A copy (its source kept) starts a
 * new history. A file deleted and added again has one history: the versions before the
 * deletion are in it too.
 */
export function fileHistory(repo: string, revision: string, file: string): FileVersion[] {
  const tokens = git(repo, ['log', '--follow', '--format=%H', '--raw', '--no-abbrev', '-z', revision, '--', file]).toString('utf8').split('\0');
  const versions: FileVersion[] = [];
  let path = file;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.replace(/^\n/, '');
    if (OBJECT_ID.test(token)) {
      // A commit; a merge has no raw line (its content is read as commit:path).
      versions.push({ commit: token, path, deleted: false });
      continue;
    }
    if (!token.startsWith(':') || versions.length === 0) continue;
    const [, , , blob, status = ''] = token.slice(1).split(' ');
    const renamed = status.startsWith('R') || status.startsWith('C');
    const source = tokens[++i] ?? path;
    const target = renamed ? (tokens[++i] ?? path) : source;
    const deleted = status === 'D';
    versions[versions.length - 1] = { commit: versions[versions.length - 1]!.commit, path: target, deleted, ...(deleted || !blob || NULL_ID.test(blob) ? {} : { blob }) };
    // A copy (the source stays) starts a new file, e.g. a v2 subject made from v1: its history is not this file's.
    if (status.startsWith('C')) break;
    // Older commits see the file under the name it had before the rename.
    path = source;
  }
  return versions.reverse();
}

/**
 * Reads objects (`<blob id>` or `<commit>:<path>`) in one `git cat-file --batch`. An object
 * that is not in the clone (a partial clone whose promisor remote cannot be reached) is undefined.
 */
export function readObjects(repo: string, specs: readonly string[]): (Buffer | undefined)[] {
  if (specs.length === 0) return [];
  if (specs.some((s) => s.includes('\n'))) throw new GitError('an object name contains a newline');
  let output: Buffer;
  try {
    output = git(repo, ['cat-file', '--batch'], `${specs.join('\n')}\n`);
  } catch {
    // A partial clone whose lazy fetch fails ends the whole batch: read them one by one.
    return specs.map((spec) => {
      try {
        return git(repo, ['cat-file', 'blob', spec]);
      } catch {
        return undefined;
      }
    });
  }
  const objects: (Buffer | undefined)[] = [];
  let at = 0;
  for (let n = 0; n < specs.length; n++) {
    const end = output.indexOf(0x0a, at);
    if (end === -1) throw new GitError('git cat-file --batch ended early');
    const found = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(output.subarray(at, end).toString('utf8'));
    at = end + 1;
    if (!found) {
      objects.push(undefined); // "<name> missing" or "<name> ambiguous"
      continue;
    }
    const size = Number(found[2]);
    objects.push(found[1] === 'blob' ? output.subarray(at, at + size) : undefined);
    at += size + 1;
  }
  return objects;
}

/** What a mesh is made of, relative to its root. */
const MESH_PATHS = ['domains', 'governance', 'platform.yaml', '.github/CODEOWNERS'];

/**
 * A mesh as it is in one commit, read from git's object store. `prefix` is the mesh root's
 * path inside the repository ('' at the top). The tree is listed once; blobs are read on demand.
 */
export function gitSource(repo: string, revision: string, prefix = ''): MeshSource {
  const commit = resolveRevision(repo, revision);
  let tree: { dirs: Map<string, DirEntry[]>; sizes: Map<string, number> } | undefined;
  const listing = () => {
    if (tree) return tree;
    const dirs = new Map<string, DirEntry[]>();
    const sizes = new Map<string, number>();
    const output = git(repo, ['ls-tree', '-r', '-t', '-l', '-z', '--full-tree', commit, '--', ...MESH_PATHS.map((p) => `${prefix}${p}`)]);
    for (const line of splitZ(output)) {
      const tab = line.indexOf('\t');
      const [mode, type, , size] = line.slice(0, tab).split(/\s+/);
      const fullPath = line.slice(tab + 1);
      if (!fullPath.startsWith(prefix)) continue;
      const path = fullPath.slice(prefix.length);
      const slash = path.lastIndexOf('/');
      const dir = slash === -1 ? '' : path.slice(0, slash);
      const kind: DirEntry['kind'] = type === 'tree' ? 'dir' : type === 'blob' && mode !== '120000' ? 'file' : 'other';
      let entries = dirs.get(dir);
      if (!entries) dirs.set(dir, (entries = []));
      entries.push({ name: path.slice(slash + 1), kind });
      if (kind === 'file') sizes.set(path, Number(size));
    }
    for (const entries of dirs.values()) entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return (tree = { dirs, sizes });
  };
  return {
    list(dir) {
      return listing().dirs.get(dir)?.slice();
    },
    read(file, maxBytes): ReadResult {
      if (file.split('/').includes('..')) return { kind: 'outside-root' };
      // Without the listing (a diff reads a few files), one `cat-file -s` tells the size.
      let size = tree?.sizes.get(file);
      if (size === undefined && !tree) {
        try {
          size = Number(git(repo, ['cat-file', '-s', `${commit}:${prefix}${file}`]).toString().trim());
        } catch {
          return { kind: 'missing' };
        }
      }
      if (size === undefined || !Number.isFinite(size)) return { kind: 'missing' };
      if (size > maxBytes) return { kind: 'too-large', size };
      return { kind: 'ok', bytes: git(repo, ['cat-file', 'blob', `${commit}:${prefix}${file}`]) };
    },
  };
}
