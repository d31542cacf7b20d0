// Runner-style tests: the BUNDLED dist/index.js runs as a child process the way a runner starts
// it (INPUT_* variables, GITHUB_EVENT_PATH, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), against
// temporary git repositories holding this repository's mesh, with GITHUB_API_URL pointing at a
// REST fake on 127.0.0.1 that fails the test on any route the Action should not call.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMENT_MARKER } from '../src/comment';
import { FakeGitHub, type StoredComment } from './support/fake-github';
import { CUSTOMER_EVENTS_SPEC, dropEventType, editFile, git, initMeshRepo, pullRequestRepo, REPO, type MeshRepo } from './support/git-fixture';
import { annotations, DIST, pullRequestEvent, runAction } from './support/run-action';

const OWNER = 'acme-data';
const NAME = 'mesh';
const PR = 42;
const TOKEN = 'ghs_test_token';
const OPA = path.join(REPO, '.tools', 'bin', 'opa');
const dist = process.env.MESH_ACTION_DIST ?? DIST;

/** 150 comments by people before ours: listing them takes several pages. */
const chatter: StoredComment[] = Array.from({ length: 150 }, (_, i) => ({
  id: i + 1,
  body: i === 7 ? `As the bot says: ${COMMENT_MARKER} (a quote, not the bot's comment)` : `comment ${i + 1}`,
  user: { login: 'bob', type: 'User' },
}));

function inputs(extra: Record<string, string> = {}) {
  return {
    root: '.',
    'base-ref': '',
    'github-token': TOKEN,
    comment: 'true',
    'fail-on': 'error',
    'opa-version': '',
    'opa-path': fs.existsSync(OPA) ? OPA : '',
    'allow-breaking-label': 'mesh:allow-breaking',
    ...extra,
  };
}

async function runPr(repo: MeshRepo, api: FakeGitHub, o: { labels?: string[]; fork?: boolean; inputs?: Record<string, string> } = {}) {
  return runAction({
    dist,
    workspace: repo.dir,
    eventName: 'pull_request',
    // base.sha is the stale base (main before it moved on): the Action must use HEAD^1.
    event: pullRequestEvent({ owner: OWNER, repo: NAME, number: PR, base: git(repo.dir, 'rev-parse', 'HEAD^1^'), head: repo.head, labels: o.labels, fork: o.fork }),
    inputs: inputs(o.inputs),
    apiUrl: api.url,
    repository: `${OWNER}/${NAME}`,
  });
}

const ours = (api: FakeGitHub) => api.comments.filter((c) => c.body.startsWith(COMMENT_MARKER));
/** What the bundle's folder holds: a run must write nothing there (it is the committed dist/). */
const distListing = () => (fs.readdirSync(path.dirname(dist), { recursive: true }) as string[]).sort();

beforeAll(() => {
  if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build -w actions/mesh-check\``);
});

describe('a pull request that breaks a consumer (customer-events-v1 drops event_type, customer-360 reads it)', () => {
  let repo: MeshRepo;
  let api: FakeGitHub;
  beforeAll(async () => {
    repo = pullRequestRepo(dropEventType);
    api = new FakeGitHub({ owner: OWNER, repo: NAME, pr: PR, token: TOKEN, comments: chatter, labels: ['documentation'], perPageCap: 50 });
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });
  afterEach(() => expect(api.unexpected).toEqual([]));

  it('first run: fails, annotates the changed schema and the consumer at their lines, writes the summary, creates the comment', async () => {
    const distBefore = distListing();
    const run = await runPr(repo, api);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(distListing()).toEqual(distBefore);

    const found = annotations(run.stdout).filter((a) => a.props.file);
    expect(found.length).toBeGreaterThan(0);
    for (const a of found) {
      expect(Number(a.props.line)).toBeGreaterThan(0);
      expect(a.props.title).toMatch(/^MESH\d{3}$/);
    }
    // The break is reported on the changed product and on the consumer, each at its line.
    const lineOf = (file: string, line: string) => fs.readFileSync(path.join(repo.dir, file), 'utf8').split('\n')[Number(line) - 1] ?? '';
    const impact = found.find((a) => a.props.file === CUSTOMER_EVENTS_SPEC && a.level === 'error' && /customer\/customer-360/.test(a.message));
    expect(impact).toBeDefined();
    expect(lineOf(CUSTOMER_EVENTS_SPEC, impact!.props.line!)).toMatch(/customer_events_stream|schema|port/);
    const consumer = found.find((a) => a.props.file === 'domains/customer/customer-360/data-product.yaml' && a.level === 'error');
    expect(consumer?.message).toContain('event_type');
    expect(lineOf('domains/customer/customer-360/data-product.yaml', consumer!.props.line!)).toContain('event_type');
    expect(run.stdout).toMatch(/^::error::mesh check failed: /m);
    // The changed product's samples need DuckDB, which the bundle cannot carry: said, not passed.
    expect(run.stdout).toMatch(/^::warning::mesh check: the quality rules were not run on the samples of customer\/customer-events-v1: this Action cannot load DuckDB\. Run `npx mesh quality samples --base <base> --format github`/m);
    expect(found.find((a) => a.props.title === 'MESH403')).toMatchObject({ level: 'notice', props: { file: CUSTOMER_EVENTS_SPEC, line: '1' } });

    expect(Number(run.outputs.breaking)).toBeGreaterThan(0);
    expect(Number(run.outputs.errors)).toBeGreaterThan(0);
    expect(JSON.parse(run.outputs['changed-products']!)).toContain('customer/customer-events-v1');

    expect(run.summary).toContain('## ❌ mesh check');
    expect(run.summary).toContain('customer/customer-360');
    expect(run.summary).toContain('```mermaid');
    expect(run.summary).toContain('a reviewer adds the `mesh:allow-breaking` label');

    expect(api.writes().map((r) => r.method)).toEqual(['POST']);
    expect(ours(api)).toHaveLength(1);
    expect(run.outputs['comment-id']).toBe(String(ours(api)[0]!.id));
    // Every page of the comment list was read (50 per page, 150 comments) before creating.
    expect(api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments')).length).toBe(3);
    expect(ours(api)[0]!.body).toContain('customer/customer-360');
  });

  it('second run: updates the same comment in place, no duplicate', async () => {
    const before = api.requests.length;
    const first = ours(api)[0]!.id;
    const run = await runPr(repo, api);
    expect(run.status).toBe(1);
    const writes = api.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/${OWNER}/${NAME}/issues/comments/${first}`]);
    expect(ours(api)).toHaveLength(1);
    expect(run.outputs['comment-id']).toBe(String(first));
  });

  it('with the allow-breaking label: passes, and the comment says a reviewer accepted the break', async () => {
    api.labels.push('mesh:allow-breaking');
    const run = await runPr(repo, api);
    api.labels.pop();
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/^::error::/m);
    expect(Number(run.outputs.breaking)).toBeGreaterThan(0);
    expect(ours(api)).toHaveLength(1);
    expect(ours(api)[0]!.body).toContain('A reviewer accepted the breaking changes with the `mesh:allow-breaking` label');
    expect(run.summary).toContain('## ✅ mesh check');
  });
});

describe('a pull request from a fork', () => {
  let repo: MeshRepo;
  let api: FakeGitHub;
  beforeAll(async () => {
    repo = pullRequestRepo(dropEventType);
    api = new FakeGitHub({ owner: OWNER, repo: NAME, pr: PR, token: TOKEN, readOnly: true });
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });
  afterEach(() => expect(api.unexpected).toEqual([]));

  it('skips the comment with a warning; the findings still decide the exit status', async () => {
    const run = await runPr(repo, api, { fork: true });
    expect(api.writes()).toEqual([]);
    expect(run.stdout).toMatch(/^::warning::mesh check: a pull request from a fork gets a read-only token/m);
    expect(run.outputs['comment-id']).toBe('');
    expect(run.status).toBe(1);
    expect(run.summary).toContain('mesh check');
  });

  it('a 403 on the comment is a warning, never a failure', async () => {
    const run = await runPr(repo, api, { inputs: { 'fail-on': 'never' } });
    expect(api.writes().map((r) => r.method)).toEqual(['POST']);
    expect(run.stdout).toMatch(/^::warning::mesh check: the token may not comment on this pull request \(HTTP 403\)/m);
    expect(run.status).toBe(0);
    expect(run.outputs['comment-id']).toBe('');
  });
});

describe('many findings', () => {
  let repo: MeshRepo;
  let api: FakeGitHub;
  const specs = () =>
    fs
      .readdirSync(path.join(repo.dir, 'domains'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => fs.readdirSync(path.join(repo.dir, 'domains', e.name)).map((p) => `domains/${e.name}/${p}/data-product.yaml`))
      .filter((f) => fs.existsSync(path.join(repo.dir, f)));
  beforeAll(async () => {
    const dir = initMeshRepo();
    repo = pullRequestRepo((d) => {
      // Two unknown keys in every spec: well over ten errors.
      for (const f of fs.readdirSync(path.join(d, 'domains'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
        for (const p of fs.readdirSync(path.join(d, 'domains', f.name))) {
          const file = `domains/${f.name}/${p}/data-product.yaml`;
          if (!fs.existsSync(path.join(d, file))) continue;
          editFile(d, file, (t) => t.replace(/^metadata:\n/m, 'metadata:\n  colour: blue\n').replace(/^spec:\n/m, 'spec:\n  flavour: mint\n'));
        }
      }
    }, dir);
    api = new FakeGitHub({ owner: OWNER, repo: NAME, pr: PR, token: TOKEN });
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });

  it('annotates at most 10 errors, changed lines first, and a notice counts the rest; the summary lists all', async () => {
    const run = await runPr(repo, api);
    expect(api.unexpected).toEqual([]);
    const all = annotations(run.stdout);
    const errors = all.filter((a) => a.level === 'error' && a.props.file);
    expect(errors).toHaveLength(10);
    const total = Number(run.outputs.errors);
    expect(total).toBeGreaterThanOrEqual(2 * specs().length);
    for (const e of errors) {
      const text = fs.readFileSync(path.join(repo.dir, e.props.file!), 'utf8').split('\n')[Number(e.props.line) - 1];
      expect(text).toMatch(/colour|flavour/);
    }
    const notice = all.find((a) => a.level === 'notice' && a.props.title === 'mesh check: more findings');
    expect(notice?.message).toMatch(new RegExp(`^${total - 10 + Number(run.outputs.warnings) - Math.min(10, Number(run.outputs.warnings))} more findings`));
    expect((run.summary.match(/colour|flavour/g) ?? []).length).toBeGreaterThanOrEqual(total);
  });
});

describe('a push', () => {
  it('that creates the branch (before is all zeros) checks everything and passes on the example mesh', async () => {
    const dir = initMeshRepo();
    const api = new FakeGitHub({ owner: OWNER, repo: NAME, pr: PR, token: TOKEN });
    await api.start();
    const run = await runAction({
      dist,
      workspace: dir,
      eventName: 'push',
      event: { ref: 'refs/heads/main', before: '0'.repeat(40), after: git(dir, 'rev-parse', 'HEAD'), repository: { full_name: `${OWNER}/${NAME}` } },
      inputs: inputs(),
      apiUrl: api.url,
      repository: `${OWNER}/${NAME}`,
    });
    await api.stop();
    expect(api.requests).toEqual([]);
    expect(run.stdout).toContain('everything is checked');
    expect(run.outputs).toMatchObject({ errors: '0', breaking: '0', 'changed-products': '[]', 'comment-id': '' });
    expect(run.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compares against event.before and reports the changed product, without any API call', async () => {
    const repo = pullRequestRepo(dropEventType);
    const api = new FakeGitHub({ owner: OWNER, repo: NAME, pr: PR, token: TOKEN });
    await api.start();
    const run = await runAction({
      dist,
      workspace: repo.dir,
      eventName: 'push',
      event: { ref: 'refs/heads/main', before: repo.base, after: repo.merge, repository: { full_name: `${OWNER}/${NAME}` } },
      inputs: inputs({ 'fail-on': 'never' }),
      apiUrl: api.url,
      repository: `${OWNER}/${NAME}`,
    });
    await api.stop();
    expect(api.requests).toEqual([]);
    expect(run.stdout).toContain(`base ${repo.base}: the push's previous head`);
    expect(JSON.parse(run.outputs['changed-products']!)).toEqual(['customer/customer-events-v1']);
    expect(Number(run.outputs.breaking)).toBeGreaterThan(0);
    expect(run.status).toBe(0);
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });
});
