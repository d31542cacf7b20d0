import { diffMesh, git, GitError, parseYaml, readObjects } from '@data-mesh/spec';

/** One version of a product in git: a commit that changed its spec or schemas. */
export interface VersionEntry {
  readonly commit: string;
  /** The commit's date, ISO-8601 (committer date). */
  readonly date: string;
  readonly subject: string;
  readonly change: 'added' | 'modified' | 'removed';
  /** `metadata.version` after the commit (before it, for a removal). */
  readonly version?: string;
  /** The bump the change needed and the one it made, as `mesh diff` judges them. */
  readonly required?: string;
  readonly made?: string;
  /** Breaking changes `mesh diff` found in the commit, one line each. */
  readonly breaking: readonly string[];
}

export interface HistoryResult {
  /** By product id, oldest version first. */
  readonly byProduct: ReadonlyMap<string, readonly VersionEntry[]>;
  /** Why there is no or only part of the history (not a git work tree, a diff that failed). */
  readonly notes: readonly string[];
}

export interface HistoryOptions {
  /** At most this many commits (the newest ones) are diffed. Default 200. */
  readonly maxCommits?: number;
}

const SPEC = /^domains\/([^/]+)\/([^/]+)\/data-product\.yaml$/;

/**
 * The version history of every product, from the commits that changed `domains/`: each
 * commit is compared with its first parent by `diffMesh` (the same judgement as `mesh diff`:
 * schema compatibility against every earlier version, removed ports and fields, loosened SLAs,
 * the bump needed), so each version says what broke then. The first commit of the history
 * lists the products it added.
 */
export function versionHistory(root: string, options: HistoryOptions = {}): HistoryResult {
  const byProduct = new Map<string, VersionEntry[]>();
  const notes: string[] = [];
  let prefix: string;
  let repo: string;
  try {
    repo = git(root, ['rev-parse', '--show-toplevel']).toString().trim();
    prefix = git(root, ['rev-parse', '--show-prefix']).toString().trim();
  } catch {
    return { byProduct, notes: [`${root} is not a git work tree: the pages show no version history`] };
  }
  let log: string;
  try {
    log = git(repo, ['log', `--max-count=${options.maxCommits ?? 200}`, '--first-parent', '--format=%H%x1f%P%x1f%cI%x1f%s', 'HEAD', '--', `${prefix}domains`]).toString('utf8');
  } catch (error) {
    return { byProduct, notes: [`no git history: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const commits = log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit = '', parents = '', date = '', subject = ''] = line.split('\x1f');
      return { commit, parent: parents.split(' ').filter(Boolean)[0], date, subject };
    })
    .reverse();
  const add = (id: string, entry: VersionEntry) => {
    let list = byProduct.get(id);
    if (!list) byProduct.set(id, (list = []));
    list.push(entry);
  };
  for (const c of commits) {
    if (c.parent === undefined) {
      for (const added of specsAt(repo, c.commit, prefix)) add(added.id, { commit: c.commit, date: c.date, subject: c.subject, change: 'added', ...(added.version ? { version: added.version } : {}), breaking: [] });
      continue;
    }
    try {
      const diff = diffMesh(root, { base: c.parent, head: c.commit, now: new Date(c.date) });
      for (const change of diff.changes) {
        add(change.product, {
          commit: c.commit,
          date: c.date,
          subject: c.subject,
          change: change.change,
          ...((change.version.head ?? change.version.base) ? { version: change.version.head ?? change.version.base } : {}),
          required: change.version.required,
          made: change.version.made,
          breaking: change.breaking,
        });
      }
    } catch (error) {
      notes.push(`commit ${c.commit.slice(0, 12)} could not be compared with its parent: ${error instanceof GitError || error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { byProduct, notes };
}

/** The product specs of a commit and their versions. */
function specsAt(repo: string, commit: string, prefix: string): { id: string; version?: string }[] {
  const files = git(repo, ['ls-tree', '-r', '--name-only', '-z', commit, '--', `${prefix}domains`])
    .toString('utf8')
    .split('\0')
    .filter((f) => f.startsWith(prefix) && SPEC.test(f.slice(prefix.length)));
  const contents = readObjects(repo, files.map((f) => `${commit}:${f}`));
  return files.map((file, i) => {
    const m = SPEC.exec(file.slice(prefix.length)) as RegExpExecArray;
    const bytes = contents[i];
    const parsed = bytes ? parseYaml(file, bytes.toString('utf8')) : undefined;
    const data = parsed && 'document' in parsed ? (parsed.document.data as { metadata?: { version?: unknown } } | undefined) : undefined;
    const version = typeof data?.metadata?.version === 'string' ? data.metadata.version : undefined;
    return { id: `${m[1]}/${m[2]}`, ...(version ? { version } : {}) };
  });
}
