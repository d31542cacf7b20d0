import { execFileSync } from 'node:child_process';
import type { DirEntry, MeshSource, ReadResult } from '../source';

/** A git command failed, or the directory is not a work tree: an environment error for the caller. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

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

/** The full commit id of a revision, or a GitError naming it. */
export function resolveRevision(repo: string, revision: string): string {
  if (revision.startsWith('-')) throw new GitError(`"${revision}" is not a revision`);
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).toString().trim();
  } catch {
    throw new GitError(`"${revision}" is not a commit in ${repo}`);
  }
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

/** The commits (oldest first) up to `revision` that changed a file. */
export function fileHistory(repo: string, revision: string, file: string): string[] {
  return git(repo, ['log', '--format=%H', '--reverse', revision, '--', file]).toString().split('\n').filter(Boolean);
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
