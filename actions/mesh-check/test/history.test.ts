// Runner-style: the bundled Action on a checkout made the way actions/checkout makes it for a
// pull request (`fetch-depth: 2` of the merge ref), on the three-version case: v1 of payments'
// transaction_events (FULL_TRANSITIVE), v2 adds zz_note with a default, the pull request (v3)
// drops the default. Only v1 shows the incompatibility, and v1 is beyond the shallow boundary.
//
// The bundle is built from the working tree's sources into a temporary folder (so this test
// does not depend on the committed dist/); MESH_ACTION_DIST runs a given bundle instead.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { authEnvironment } from '../src/history';
import { editFile, git, initMeshRepo, pullRequestRepo, REPO, type MeshRepo } from './support/git-fixture';
import { annotations, pullRequestEvent, runAction } from './support/run-action';

const OWNER = 'acme-data';
const NAME = 'mesh';
const PR = 42;
const TOKEN = 'ghs_history_secret_token';
const OPA = path.join(REPO, '.tools', 'bin', 'opa');
const SCHEMA = 'domains/payments/schemas/transaction_events_v1.avsc';
const SPEC = 'domains/payments/transaction-events-v1/data-product.yaml';

let dist: string;
beforeAll(() => {
  if (process.env.MESH_ACTION_DIST) {
    dist = process.env.MESH_ACTION_DIST;
    return;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-action-dist-'));
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'bundle.js'), '--outdir', out], { stdio: 'pipe' });
  dist = path.join(out, 'index.js');
});

const fields = (change: (f: { name: string; default?: unknown }[]) => void) => (text: string) => {
  const schema = JSON.parse(text);
  change(schema.fields);
  return `${JSON.stringify(schema, null, 2)}\n`;
};

/** The three versions: v1 in the first commit, v2 on main, v3 in the pull request, merged the way GitHub's merge ref is. */
function threeVersionRepo(): MeshRepo & { v1: string } {
  const dir = initMeshRepo('mesh-history-src-');
  const v1 = git(dir, 'rev-parse', 'HEAD');
  editFile(dir, SCHEMA, fields((f) => f.push({ name: 'zz_note', type: 'string', default: '' } as never)));
  editFile(dir, SPEC, (t) => t.replace('version: "1.3.0"', 'version: "1.4.0"'));
  git(dir, 'commit', '-q', '-am', 'v2: zz_note with a default');
  const repo = pullRequestRepo((d) => {
    editFile(d, SCHEMA, fields((f) => delete f.find((x) => x.name === 'zz_note')!.default));
    editFile(d, SPEC, (t) => t.replace('version: "1.4.0"', 'version: "2.0.0"'));
  }, dir);
  // A blobless fetch needs the server to allow filters (GitHub does).
  git(dir, 'config', 'uploadpack.allowFilter', 'true');
  return { ...repo, v1 };
}

/** What actions/checkout does with `fetch-depth: 2` and `persist-credentials: false` for a pull request. */
function checkout(source: MeshRepo, depth = 2): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-history-work-')), 'repo');
  fs.mkdirSync(dir);
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', `file://${source.dir}`);
  git(dir, 'fetch', '-q', '--no-tags', `--depth=${depth}`, 'origin', `+${source.merge}:refs/remotes/pull/${PR}/merge`);
  git(dir, 'checkout', '-q', '--detach', `refs/remotes/pull/${PR}/merge`);
  expect(git(dir, 'rev-parse', '--is-shallow-repository')).toBe('true');
  return dir;
}

async function runPr(workspace: string, source: MeshRepo) {
  return runAction({
    dist,
    workspace,
    eventName: 'pull_request',
    event: pullRequestEvent({ owner: OWNER, repo: NAME, number: PR, base: source.base, head: source.head }),
    inputs: { root: '.', 'base-ref': '', 'github-token': TOKEN, comment: 'false', 'fail-on': 'error', 'opa-version': '', 'opa-path': fs.existsSync(OPA) ? OPA : '', 'allow-breaking-label': '' },
    // No API call is made (no comment, no label): any would hit a closed port and fail the run.
    apiUrl: 'http://127.0.0.1:9',
    repository: `${OWNER}/${NAME}`,
  });
}

const codes = (stdout: string) => annotations(stdout).map((a) => a.props.title);

describe('the Action on a fetch-depth: 2 checkout of the three-version case', () => {
  it('fetches the history (blobless) and reports v3 against v1 (MESH201 READER_FIELD_MISSING_DEFAULT_VALUE)', async () => {
    const source = threeVersionRepo();
    const work = checkout(source);
    const run = await runPr(work, source);
    expect(run.stdout).toMatch(/mesh check: history: the clone was shallow; for the transitive checks of 1 changed schema file \(domains\/payments\/schemas\/transaction_events_v1\.avsc\) fetched `git fetch --no-tags --no-write-fetch-head --filter=blob:none --unshallow origin`/);
    const found = annotations(run.stdout).filter((a) => a.level === 'error' && a.props.title === 'MESH201');
    expect(found).toEqual([
      expect.objectContaining({ props: expect.objectContaining({ file: SCHEMA }), message: expect.stringContaining(`READER_FIELD_MISSING_DEFAULT_VALUE at /fields/14 against ${SCHEMA}@${source.v1.slice(0, 12)} (FULL_TRANSITIVE)`) }),
    ]);
    expect(codes(run.stdout)).not.toContain('MESH214');
    expect(run.status).toBe(1);
    // The clone is complete now, and nothing of the token was printed or written to its config.
    expect(git(work, 'rev-parse', '--is-shallow-repository')).toBe('false');
    // (The runner masks what `::add-mask::` registers; those lines are the only place it may appear.)
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    expect(run.stdout).toContain(`::add-mask::${TOKEN}\n::add-mask::${basic}\n`);
    const printed = `${run.stdout}${run.stderr}`.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    expect(printed).not.toContain(TOKEN);
    expect(printed).not.toContain(basic);
    expect(fs.readFileSync(path.join(work, '.git', 'config'), 'utf8')).not.toMatch(/extraheader/i);
  });

  it('when the history cannot be fetched, warns and fails with the incomplete check (MESH214) and its fix, never a pass', async () => {
    const source = threeVersionRepo();
    const work = checkout(source);
    fs.rmSync(source.dir, { recursive: true, force: true }); // the remote is gone
    const run = await runPr(work, source);
    const warnings = annotations(run.stdout).filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^mesh check: `git fetch .*--unshallow origin` failed \(.*\); the transitive checks of 1 changed schema file .* are reported incomplete \(MESH214\): check out with `fetch-depth: 0`/)]));
    const errors = annotations(run.stdout).filter((a) => a.level === 'error' && a.props.title === 'MESH214');
    expect(errors).toEqual([
      expect.objectContaining({
        props: expect.objectContaining({ file: SPEC }),
        message: expect.stringMatching(/the FULL_TRANSITIVE check of "transaction_events_stream" is incomplete: .*stops at the shallow boundary [0-9a-f]{12}.*fetch-depth: 0/s),
      }),
    ]);
    expect(codes(run.stdout)).not.toContain('MESH201');
    expect(run.status).toBe(1);
  });

  it('a change that touches no schema fetches nothing', async () => {
    const dir = initMeshRepo('mesh-history-src-');
    const source = pullRequestRepo((d) => editFile(d, SPEC, (t) => t.replace('version: "1.3.0"', 'version: "1.3.1"')), dir);
    const work = checkout(source);
    const run = await runPr(work, source);
    expect(run.stdout).toContain('mesh check: history: the clone is shallow, but no schema file changed: no earlier versions are needed');
    expect(git(work, 'rev-parse', '--is-shallow-repository')).toBe('true');
  });
});

describe('the token for the fetch', () => {
  it('goes to the server only, through the environment of the one command, and is registered as a secret', async () => {
    const dir = initMeshRepo('mesh-history-auth-');
    const secrets: string[] = [];
    const env = await authEnvironment(dir, TOKEN, 'https://github.example.com/', (v) => secrets.push(v));
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const index = Number(process.env.GIT_CONFIG_COUNT ?? '0') || 0;
    expect(env).toEqual({
      GIT_CONFIG_COUNT: String(index + 1),
      [`GIT_CONFIG_KEY_${index}`]: 'http.https://github.example.com/.extraheader',
      [`GIT_CONFIG_VALUE_${index}`]: `AUTHORIZATION: basic ${basic}`,
    });
    expect(secrets).toEqual([TOKEN, basic]);
    // git reads it as configuration of that command only.
    const seen = execFileSync('git', ['-C', dir, 'config', '--get', 'http.https://github.example.com/.extraheader'], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
    expect(seen).toBe(`AUTHORIZATION: basic ${basic}`);
    expect(await authEnvironment(dir, '', 'https://github.example.com', () => undefined)).toBeUndefined();
    // A checkout that kept its credentials already sends them: a second header is not added.
    git(dir, 'config', 'http.https://github.example.com/.extraheader', 'AUTHORIZATION: basic persisted');
    expect(await authEnvironment(dir, TOKEN, 'https://github.example.com', () => undefined)).toBeUndefined();
  });
});
