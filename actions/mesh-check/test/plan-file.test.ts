// Runner-style: the BUNDLED Action reads a plan file that `mesh plan --format json` wrote in an
// earlier step (here the CLI in-process, as that step would run it) on the same checkout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '@data-mesh/cli';
import { COMMENT_MARKER } from '../src/comment';
import { FakeGitHub } from './support/fake-github';
import { CUSTOMER_EVENTS_SCHEMA, CUSTOMER_EVENTS_SPEC, editFile, git, pullRequestRepo, REPO, type MeshRepo } from './support/git-fixture';
import { annotations, DIST, pullRequestEvent, runAction } from './support/run-action';

const OWNER = 'acme-data';
const NAME = 'mesh';
const PR = 7;
const TOKEN = 'ghs_test_token';
const OPA = path.join(REPO, '.tools', 'bin', 'opa');
const dist = process.env.MESH_ACTION_DIST ?? DIST;

/** An optional field (nullable union, null default) on customer-events-v1, with a minor bump. */
function addOptionalField(dir: string): void {
  editFile(dir, CUSTOMER_EVENTS_SCHEMA, (t) => {
    const schema = JSON.parse(t);
    schema.fields.push({ name: 'referrer_url', type: ['null', 'string'], default: null, doc: 'where the session came from' });
    return JSON.stringify(schema, null, 2);
  });
  editFile(dir, CUSTOMER_EVENTS_SPEC, (t) => t.replace(/version: "1\.(\d+)\.0"/, (_m, minor) => `version: "1.${Number(minor) + 1}.0"`));
}

/**
 * `mesh plan --base HEAD^1 --format json > <file>` in the checkout, with opa on PATH as
 * pr.yml's setup-opa step puts it (the plan compiles each side's policy decision function).
 */
async function writePlan(dir: string, file: string): Promise<number> {
  let out = '';
  const pathBefore = process.env.PATH;
  process.env.PATH = [path.dirname(OPA), pathBefore].join(path.delimiter);
  try {
    const code = await main(['plan', '--base', 'HEAD^1', '--format', 'json'], { cwd: dir, stdout: (t) => (out += t), stderr: () => undefined, color: false });
    fs.writeFileSync(file, out);
    return code;
  } finally {
    process.env.PATH = pathBefore;
  }
}

describe('the plan-file input', () => {
  let repo: MeshRepo;
  let api: FakeGitHub;
  let planFile: string;
  beforeAll(async () => {
    if (!fs.existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build -w actions/mesh-check\``);
    repo = pullRequestRepo(addOptionalField);
    api = new FakeGitHub({ owner: OWNER, repo: NAME, pr: PR, token: TOKEN, comments: [], labels: [] });
    await api.start();
    planFile = path.join(repo.dir, '..', `${path.basename(repo.dir)}-plan.json`);
    expect(await writePlan(repo.dir, planFile)).toBe(0);
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(repo.dir, { recursive: true, force: true });
    fs.rmSync(planFile, { force: true });
  });
  afterEach(() => expect(api.unexpected).toEqual([]));

  const run = (file: string) => runAction({
    dist,
    workspace: repo.dir,
    eventName: 'pull_request',
    event: pullRequestEvent({ owner: OWNER, repo: NAME, number: PR, base: repo.base, head: repo.head }),
    inputs: { root: '.', 'github-token': TOKEN, comment: 'true', 'fail-on': 'error', 'opa-path': fs.existsSync(OPA) ? OPA : '', 'plan-file': file },
    apiUrl: api.url,
    repository: `${OWNER}/${NAME}`,
  });

  it('shows the plan in a collapsible section of the comment and the summary; nothing replaced, the check passes', async () => {
    const result = await run(planFile);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const comment = api.comments.find((c) => c.body.startsWith(COMMENT_MARKER))!;
    for (const body of [comment.body, result.summary]) {
      expect(body).toContain('### Deploy plan');
      expect(body).toMatch(/<details><summary><b>Deploy plan<\/b>: \d+ added, \d+ modified, 0 replaced, 0 removed/);
      expect(body).toMatch(/\| 🟢 add \| DataMesh-Customer \| `CustomerEventsV1CustomerEventsStreamSchemaVersion\w+` \| AWS::Glue::SchemaVersion \| customer\/customer-events-v1/);
      expect(body).toContain('</details>');
    }
  });

  it('a plan of another head fails the check loudly, at an error annotation', async () => {
    const foreign = `${planFile}.foreign.json`;
    const value = JSON.parse(fs.readFileSync(planFile, 'utf8'));
    value.plan.head.commit = git(repo.dir, 'rev-parse', 'HEAD^1');
    fs.writeFileSync(foreign, JSON.stringify(value));
    const result = await run(foreign);
    expect(result.status).toBe(1);
    const error = annotations(result.stdout).find((a) => a.level === 'error' && a.props.title === 'MESH515');
    expect(error?.message).toMatch(/plan-file .* cannot be used: it is the plan of head [0-9a-f]{12}, not [0-9a-f]{12}/);
    expect(api.comments.find((c) => c.body.startsWith(COMMENT_MARKER))!.body).toContain('<b>Deploy plan</b>: not shown');
    fs.rmSync(foreign);
  });

  it('a missing plan file fails the check, it never passes silently', async () => {
    const result = await run(path.join(repo.dir, 'no-plan.json'));
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error::mesh check: plan-file: it does not exist$/m);
    expect(annotations(result.stdout).some((a) => a.props.title === 'MESH515' && /no-plan\.json cannot be used: it does not exist/.test(a.message))).toBe(true);
  });
});
