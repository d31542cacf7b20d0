import { spawn } from 'node:child_process';

/**
 * The history transitive compatibility modes need. actions/checkout clones shallow (depth 1, or
 * 2 for the merge commit and its parent), so `git log` of a schema file sees only the grafted
 * base and a *_TRANSITIVE check would see one version. Before the engine runs, a shallow clone
 * whose change touches schema files is completed with a blobless fetch (commits and trees only,
 * cheap), and the blobs of the changed schemas' history are fetched in one request. Anything
 * that still cannot be fetched is left to the engine, which reports the incomplete check
 * (MESH214) with the fix: the Action never turns a missing history into a pass.
 */

/** What the Action did about the history, for the log. */
export interface HistoryFetch {
  readonly action: 'none' | 'fetched' | 'failed';
  readonly message: string;
}

export interface HistoryOptions {
  /** The checked root (a git work tree). */
  readonly root: string;
  /** The resolved base revision. */
  readonly base: string;
  /** The github-token input ('' when none). */
  readonly token: string;
  /** The GitHub server, e.g. https://github.com: the token is sent only to it. */
  readonly serverUrl: string;
  /** Registers a value that must never appear in the log (core.setSecret). */
  readonly secret: (value: string) => void;
  readonly remote?: string;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** git with an argument array and extra environment (never a shell; never a credential prompt). */
function run(cwd: string, args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('git', [...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (error) => resolve({ status: null, stdout, stderr: stderr || error.message }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    // A git that exits without reading its input (EPIPE) must not crash the Action: its status says how it went.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

const firstLine = (text: string) => text.trim().split('\n').filter((l) => !/^(warning|hint):/i.test(l))[0] ?? text.trim().split('\n')[0] ?? '';

/**
 * The token as the one-command configuration git reads from the environment
 * (GIT_CONFIG_COUNT/KEY/VALUE: not on the command line, so not in the process list, and
 * inherited by the fetches git starts itself for a partial clone). Nothing is written to
 * .git/config. Undefined when there is no token, or when the checkout kept its own credentials
 * (a second Authorization header would be refused).
 */
export async function authEnvironment(root: string, token: string, serverUrl: string, secret: (value: string) => void): Promise<Record<string, string> | undefined> {
  if (!token) return undefined;
  const persisted = await run(root, ['config', '--get-regexp', '^http\\..*\\.extraheader$']);
  if (persisted.status === 0 && persisted.stdout.trim()) return undefined;
  const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  secret(token);
  secret(basic);
  const index = Number(process.env.GIT_CONFIG_COUNT ?? '0') || 0;
  const server = serverUrl.replace(/\/+$/, '');
  return {
    GIT_CONFIG_COUNT: String(index + 1),
    [`GIT_CONFIG_KEY_${index}`]: `http.${server}/.extraheader`,
    [`GIT_CONFIG_VALUE_${index}`]: `AUTHORIZATION: basic ${basic}`,
  };
}

/** Schema files (relative to the root) the change touches. */
async function changedSchemas(root: string, base: string): Promise<string[]> {
  const diff = await run(root, ['-c', 'core.quotePath=off', 'diff', '--name-only', '-z', '--no-renames', '--relative', base, '--', 'domains/*/schemas/*.avsc']);
  if (diff.status !== 0) return [];
  return diff.stdout.split('\0').filter(Boolean);
}

/** The commits at which the clone's history is cut (.git/shallow). */
async function shallowCommits(root: string): Promise<Set<string>> {
  const path = await run(root, ['rev-parse', '--path-format=absolute', '--git-path', 'shallow']);
  const file = path.stdout.trim();
  if (path.status !== 0 || !file) return new Set();
  const fs = await import('node:fs');
  try {
    return new Set(fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** The blob ids of a file's versions up to `base` (renames followed), and whether the history reaches a shallow boundary holding it. */
async function fileVersions(root: string, base: string, file: string, env: Record<string, string>, cut: ReadonlySet<string>): Promise<{ blobs: string[]; cutAt: string[] }> {
  const log = await run(root, ['log', '--follow', '--format=%H', '--raw', '--no-abbrev', '-z', base, '--', file], env);
  const blobs: string[] = [];
  const cutAt: string[] = [];
  for (const token of log.stdout.split('\0').map((t) => t.replace(/^\n/, ''))) {
    if (/^[0-9a-f]{40,64}$/.test(token) && cut.has(token)) cutAt.push(token);
    const raw = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) [A-Z]/.exec(token);
    if (raw && !/^0+$/.test(raw[1]!)) blobs.push(raw[1]!);
  }
  return { blobs, cutAt };
}

/**
 * Fetches the history the transitive checks of the changed schemas need, when the clone is
 * shallow (or partial). Never throws: a failure is reported, and the engine's MESH214 stands.
 */
export async function fetchSchemaHistory(options: HistoryOptions): Promise<HistoryFetch> {
  const { root, base } = options;
  const remote = options.remote ?? 'origin';
  const shallow = (await run(root, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  const promisor = (await run(root, ['config', '--bool', `remote.${remote}.promisor`])).stdout.trim() === 'true';
  if (!shallow && !promisor) return { action: 'none', message: 'the clone has the whole history' };
  const schemas = await changedSchemas(root, base);
  if (schemas.length === 0) return { action: 'none', message: `the clone is ${shallow ? 'shallow' : 'partial'}, but no schema file changed: no earlier versions are needed` };
  const list = `${schemas.length} changed schema file${schemas.length === 1 ? '' : 's'} (${schemas.slice(0, 3).join(', ')}${schemas.length > 3 ? ', ...' : ''})`;
  if ((await run(root, ['remote', 'get-url', remote])).status !== 0) {
    return { action: 'failed', message: `the clone is shallow and has no "${remote}" remote to fetch the history of ${list} from; transitive checks are reported incomplete (MESH214): check out with \`fetch-depth: 0\`` };
  }
  const env = (await authEnvironment(root, options.token, options.serverUrl, options.secret)) ?? {};
  const steps: string[] = [];
  const started = Date.now();
  if (shallow) {
    const args = ['fetch', '--no-tags', '--no-write-fetch-head', '--filter=blob:none', '--unshallow', remote];
    const fetched = await run(root, args, env);
    if (fetched.status !== 0) {
      return { action: 'failed', message: `\`git ${args.join(' ')}\` failed (${firstLine(fetched.stderr)}); the transitive checks of ${list} are reported incomplete (MESH214): check out with \`fetch-depth: 0\`, or give the Action a token that can read the repository` };
    }
    steps.push(`\`git ${args.join(' ')}\``);
  }
  // The blobs of the changed schemas' earlier versions, in one request (the partial clone would fetch them one by one).
  const cut = await shallowCommits(root);
  const blobs = new Set<string>();
  const stillCut: string[] = [];
  for (const file of schemas) {
    const versions = await fileVersions(root, base, file, env, cut);
    for (const blob of versions.blobs) blobs.add(blob);
    if (versions.cutAt.length > 0) stillCut.push(file);
  }
  const missing = await missingObjects(root, [...blobs]);
  if (missing.length > 0) {
    const args = ['-c', 'fetch.negotiationAlgorithm=noop', 'fetch', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--stdin', remote];
    const fetched = await run(root, args, env, `${missing.join('\n')}\n`);
    steps.push(fetched.status === 0 ? `the content of ${missing.length} earlier schema version(s)` : `not the content of ${missing.length} earlier schema version(s) (${firstLine(fetched.stderr)})`);
  }
  const tail = stillCut.length > 0 ? `; the history of ${stillCut.join(', ')} is still cut, so its transitive checks are reported incomplete (MESH214)` : '';
  return { action: 'fetched', message: `the clone was ${shallow ? 'shallow' : 'partial'}; for the transitive checks of ${list} fetched ${steps.join(' and ') || 'nothing more (all there)'} in ${Date.now() - started} ms${tail}` };
}

/** Which of these objects the clone lacks, without fetching them (`cat-file --batch-check` would fetch each). */
async function missingObjects(root: string, oids: readonly string[]): Promise<string[]> {
  if (oids.length === 0) return [];
  const listed = await run(root, ['rev-list', '--objects', '--no-walk', '--missing=print', '--stdin'], { GIT_NO_LAZY_FETCH: '1' }, `${oids.join('\n')}\n`);
  if (listed.status !== 0) return [...oids];
  return listed.stdout.split('\n').filter((l) => l.startsWith('?')).map((l) => l.slice(1).trim());
}
