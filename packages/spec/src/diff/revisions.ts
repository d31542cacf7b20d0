import { attachSchemas, DOMAINS_DIR, linkMesh, loadMeshFrame, loadProducts, SPEC_FILE_NAME, type ProductLocation } from '../load';
import type { DataProduct } from '../model';
import type { Mesh } from '../mesh';
import { fileSystemSource } from '../source';
import { changedFiles, filesContaining, FULL_HISTORY_FIX, git, gitSource, GitError, isAncestor, mergeBase, resolveRevision, shallowCommits } from './git';

/** The two sides of a diff, each loaded only as far as the change reaches. */
export interface Revisions {
  readonly base: Mesh;
  readonly head: Mesh;
  /** The base commit id. */
  readonly baseCommit: string;
  /** The head commit id, or undefined for the work tree. */
  readonly headCommit?: string;
  /** Ids of the products whose spec or schemas changed. */
  readonly changed: readonly string[];
  /** Every changed file under the mesh root, relative to it. */
  readonly changedFiles: readonly string[];
  /** The repository (top level) and the mesh root's path inside it. */
  readonly repo: string;
  readonly prefix: string;
  /** The commits at which the clone's history is cut (shallow boundary, grafts); empty for a full clone. */
  readonly shallow: ReadonlySet<string>;
}

const SPEC_PATHSPEC = `${DOMAINS_DIR}/*/*/${SPEC_FILE_NAME}`;
/** What a diff (and `mesh check`'s choice to run the policy tests) looks at. */
const CHANGE_PATHS = [DOMAINS_DIR, 'governance'];
const SPEC_PATH = /^domains\/([^/]+)\/([^/]+)\/data-product\.yaml$/;
const SCHEMA_PATH = /^domains\/([^/]+)\/schemas\/([^/]+)\.avsc$/;

/**
 * Loads the base and head meshes for a diff: the changed products on both sides, and on the
 * head side the products that read them. The cost follows the change, not the mesh: which
 * specs to read is found with `git grep`, never by loading every spec.
 */
/**
 * What a caller that has loaded the work tree already knows: the changed files against the
 * same base, and the work tree's mesh with every spec (validateChange's). That mesh becomes
 * the diff's head and answers "who references this" in place of `git grep`.
 */
export interface KnownWorkTree {
  readonly changedFiles?: readonly string[];
  readonly mesh?: Mesh;
}

export function loadRevisions(root: string, base: string, head?: string, known: KnownWorkTree = {}): Revisions {
  const repo = git(root, ['rev-parse', '--show-toplevel']).toString().trim();
  const prefix = git(root, ['rev-parse', '--show-prefix']).toString().trim();
  const baseCommit = resolveRevision(repo, base);
  const headCommit = head === undefined ? undefined : resolveRevision(repo, head);
  const shallow = shallowCommits(repo);
  requireAncestry(repo, base, baseCommit, head, headCommit, shallow);

  const changedPaths = known.changedFiles
    ? known.changedFiles.filter((f) => CHANGE_PATHS.some((p) => f.startsWith(`${p}/`)))
    : changedFiles(repo, baseCommit, headCommit, CHANGE_PATHS.map((p) => `${prefix}${p}`))
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length));
  const changed = new Set<string>();
  const changedSchemas: string[] = [];
  for (const file of changedPaths) {
    const spec = SPEC_PATH.exec(file);
    if (spec) changed.add(`${spec[1]}/${spec[2]}`);
    const schema = SCHEMA_PATH.exec(file);
    if (schema) changedSchemas.push(`schema-registry://${schema[1]}/${schema[2]}`);
  }
  const workTree = headCommit === undefined ? known.mesh : undefined;
  const specsMentioning = (revision: string | undefined, needles: string | readonly string[]): string[] =>
    workTree
      ? referencing(workTree, typeof needles === 'string' ? [needles] : needles)
      : filesContaining(repo, revision, needles, `${prefix}${SPEC_PATHSPEC}`)
          .map((f) => SPEC_PATH.exec(f.slice(prefix.length)))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => `${m[1]}/${m[2]}`);
  // A product that used a changed schema only at the base changed its own spec too, so
  // searching the head finds every product a schema change touches.
  for (const reference of changedSchemas) for (const id of specsMentioning(headCommit, reference)) changed.add(id);

  const baseMesh = loadMeshFrame(root, { source: gitSource(repo, baseCommit, prefix), listFolders: false });
  const ids = [...changed].sort();
  loadProducts(baseMesh, locations(ids));
  linkMesh(baseMesh);
  let headMesh: Mesh;
  if (workTree) {
    // Every spec is in it already; the changed products need their schemas.
    headMesh = workTree;
    attachSchemas(headMesh, ids.map((id) => headMesh.products.get(id)).filter((p): p is DataProduct => p !== undefined && !headMesh.invalidProducts.has(p.id)));
  } else {
    headMesh = loadMeshFrame(root, { source: headCommit ? gitSource(repo, headCommit, prefix) : fileSystemSource(root), listFolders: false });
    // Changed specs (untracked ones too, which git grep does not search) are loaded anyway.
    const readers = new Set<string>(ids);
    if (ids.length > 0) for (const reader of specsMentioning(headCommit, ids)) readers.add(reader);
    loadProducts(headMesh, locations([...readers].sort()));
    linkMesh(headMesh);
  }
  return { base: baseMesh, head: headMesh, baseCommit, headCommit, changed: ids, changedFiles: changedPaths, repo, prefix, shallow };
}

/**
 * The base must be in the head's history (the work tree's: HEAD's). Otherwise the diff would
 * count the base branch's own later changes as undone by the head, and check the head against
 * a history it does not continue: a diverged branch, a history rewritten since the base (a
 * rebase or force push), or an orphan head are environment errors that say how to compare.
 */
function requireAncestry(repo: string, base: string, baseCommit: string, head: string | undefined, headCommit: string | undefined, shallow: ReadonlySet<string>): void {
  let tip = headCommit;
  if (tip === undefined) {
    try {
      tip = git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).toString().trim();
    } catch {
      throw new GitError(
        `HEAD has no commits (an orphan branch), so "${base}" is not in the history of the work tree`,
        'commit the orphan branch and compare it against one of its own commits, or check out a branch that continues the base',
      );
    }
  }
  if (isAncestor(repo, baseCommit, tip)) return;
  const headName = head ?? 'HEAD';
  const fork = mergeBase(repo, baseCommit, tip);
  if (fork === undefined) {
    throw new GitError(
      `"${base}" (${baseCommit.slice(0, 12)}) and "${headName}" (${tip.slice(0, 12)}) share no history${shallow.size > 0 ? ' in this shallow clone' : ''}: ${headName} is an orphan or unrelated branch, or the history between them is not fetched`,
      shallow.size > 0 ? FULL_HISTORY_FIX : `compare against a commit in ${headName}'s history`,
    );
  }
  throw new GitError(
    `"${base}" (${baseCommit.slice(0, 12)}) is not an ancestor of "${headName}" (${tip.slice(0, 12)}): the branches diverged at ${fork.slice(0, 12)}, or history was rewritten since the base (a rebase or force push)`,
    `compare against the merge base (\`--base ${fork.slice(0, 12)}\`, i.e. \`git merge-base ${base} ${headName}\`), or merge or rebase the branch onto "${base}" to check what the merge will be`,
  );
}

/** Product folders of `<domain>/<product>` ids; a folder that does not exist is skipped when loading. */
function locations(ids: readonly string[]): ProductLocation[] {
  return ids.map((id) => {
    const [domain, folder] = id.split('/') as [string, string];
    return { domain, folder };
  });
}

/** Valid products of a mesh whose ports use one of the schema references, or whose inputs read one of the product ids. */
function referencing(mesh: Mesh, needles: readonly string[]): string[] {
  const wanted = new Set(needles);
  return mesh
    .validProducts()
    .filter((p) => p.outputPorts.some((port) => wanted.has(port.spec.schema)) || p.inputs.some((edge) => wanted.has(edge.spec.sourceProduct)))
    .map((p) => p.id);
}
