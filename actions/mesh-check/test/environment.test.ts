import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedLines } from '../src/changed-lines';
import { isForkPullRequest, resolveBase } from '../src/event';
import { InputError, readInputs } from '../src/inputs';
import { ChecksumError, downloadVerified, expectedChecksum, findOnPath, opaDownloadUrl, opaPlatform, sha256File } from '../src/opa';
import { dropEventType, git, initMeshRepo, pullRequestRepo, CUSTOMER_EVENTS_SCHEMA, CUSTOMER_EVENTS_SPEC } from './support/git-fixture';

describe('base revision', () => {
  let pr: ReturnType<typeof pullRequestRepo>;
  beforeAll(() => {
    pr = pullRequestRepo(dropEventType);
  });
  afterAll(() => fs.rmSync(pr.dir, { recursive: true, force: true }));

  it('on pull_request is the merge commit\'s first parent, not the stale base.sha', async () => {
    const staleBase = git(pr.dir, 'rev-parse', 'HEAD^1^');
    const r = await resolveBase(pr.dir, 'pull_request', { pull_request: { number: 1, base: { sha: staleBase } } }, '');
    expect(r.base).toBe('HEAD^1');
    expect(git(pr.dir, 'rev-parse', 'HEAD^1')).toBe(pr.base);
  });

  it('on pull_request with the head checked out is the merge base with base.sha', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-clone-'));
    git(dir, 'clone', '-q', pr.dir, '.');
    git(dir, 'checkout', '-q', '--detach', pr.head);
    const r = await resolveBase(dir, 'pull_request', { pull_request: { number: 1, base: { sha: pr.base } } }, '');
    expect(r.base).toBe(git(dir, 'merge-base', pr.base, pr.head));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on push is event.before, and nothing when it is all zeros', async () => {
    expect((await resolveBase(pr.dir, 'push', { before: pr.base }, '')).base).toBe(pr.base);
    expect((await resolveBase(pr.dir, 'push', { before: '0'.repeat(40) }, '')).base).toBeUndefined();
    await expect(resolveBase(pr.dir, 'push', { before: 'f'.repeat(40) }, '')).rejects.toThrow(/fetch-depth/);
  });

  it('on merge_group is base_sha; the input wins over everything', async () => {
    expect((await resolveBase(pr.dir, 'merge_group', { merge_group: { base_sha: 'abc' } }, '')).base).toBe('abc');
    expect((await resolveBase(pr.dir, 'pull_request', {}, ' main ')).base).toBe('main');
    expect((await resolveBase(pr.dir, 'workflow_dispatch', {}, '')).base).toBeUndefined();
  });

  it('changed lines come from git diff --unified=0 against the base', async () => {
    const changed = await changedLines(pr.dir, 'HEAD^1');
    expect([...changed.keys()].sort()).toEqual([CUSTOMER_EVENTS_SPEC, CUSTOMER_EVENTS_SCHEMA]);
    const line = fs.readFileSync(path.join(pr.dir, CUSTOMER_EVENTS_SCHEMA), 'utf8').split('\n').findIndex((l) => l.includes('"occurred_at"')) + 1;
    expect(changed.get(CUSTOMER_EVENTS_SCHEMA)).toEqual([[line - 1, line]]);
  });

  it('a hostile file name reaches git as one argument, not through a shell', async () => {
    const dir = initMeshRepo();
    const name = 'domains/$(touch pwned);x.yaml';
    fs.writeFileSync(path.join(dir, name), 'a: 1\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'hostile');
    const changed = await changedLines(dir, 'HEAD^');
    expect([...changed.keys()]).toEqual([name]);
    expect(fs.existsSync(path.join(dir, 'pwned'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('fork detection', () => {
  const repo = { full_name: 'acme/mesh' };
  it.each([
    [{ head: { repo: { full_name: 'acme/mesh' } }, base: { repo } }, false],
    [{ head: { repo: { full_name: 'someone/mesh' } }, base: { repo } }, true],
    [{ head: { repo: null }, base: { repo } }, true],
  ])('%j -> %s', (pr, fork) => {
    expect(isForkPullRequest({ pull_request: { number: 1, ...pr } })).toBe(fork);
  });
});

describe('inputs', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  it('defaults: fail-on error, comment on, OPA version from tools/versions.env', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-inputs-'));
    fs.mkdirSync(path.join(root, 'tools'));
    fs.writeFileSync(path.join(root, 'tools', 'versions.env'), 'OPA_VERSION=1.22.3\n');
    expect(readInputs(get({}), root)).toMatchObject({ root, failOn: 'error', comment: true, opaVersion: '1.22.3', opaPath: '' });
    expect(readInputs(get({ 'opa-version': 'v1.4.2', comment: 'false' }), root)).toMatchObject({ opaVersion: '1.4.2', comment: false });
  });
  it.each<Record<string, string>>([{ 'fail-on': 'sometimes' }, { comment: 'yes' }, { 'opa-version': 'latest' }])('rejects %j', (values) => {
    expect(() => readInputs(get(values), os.tmpdir())).toThrow(InputError);
  });
});

describe('OPA download (served from 127.0.0.1: no GitHub access here)', () => {
  let server: http.Server;
  let url = '';
  const binary = Buffer.from('#!/bin/sh\necho "Version: 1.22.3"\n');
  const good = createHash('sha256').update(binary).digest('hex');
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/v1.22.3/opa_linux_amd64_static') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(binary);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const linux = opaPlatform('linux', 'x64');

  it('names the static linux asset and looks its checksum up by version and platform', () => {
    expect(opaDownloadUrl('1.22.3', linux, url)).toBe(`${url}/v1.22.3/opa_linux_amd64_static`);
    expect(opaPlatform('darwin', 'arm64').asset).toBe('opa_darwin_arm64_static');
    expect(opaPlatform('darwin', 'x64').asset).toBe('opa_darwin_amd64');
    expect(expectedChecksum('1.22.3', linux, { '1.22.3': { linux_amd64: good } })).toBe(good);
    expect(expectedChecksum('9.9.9', linux, { '1.22.3': { linux_amd64: good } })).toBeUndefined();
  });

  it('keeps a download whose sha256 matches, executable', async () => {
    const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'opa-dl-')), 'opa');
    await downloadVerified(opaDownloadUrl('1.22.3', linux, url), good, dest);
    expect(await sha256File(dest)).toBe(good);
    expect(fs.statSync(dest).mode & 0o111).not.toBe(0);
  });

  it('refuses a download whose sha256 does not match and writes nothing', async () => {
    const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'opa-dl-')), 'opa');
    await expect(downloadVerified(opaDownloadUrl('1.22.3', linux, url), 'a'.repeat(64), dest)).rejects.toThrow(ChecksumError);
    expect(fs.existsSync(dest)).toBe(false);
    await expect(downloadVerified(`${url}/v0.0.0/opa_linux_amd64_static`, good, dest)).rejects.toThrow(/HTTP 404/);
  });

  it('finds opa on PATH without a shell', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-path-'));
    fs.writeFileSync(path.join(dir, 'opa'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findOnPath('opa', ['/nonexistent', dir].join(path.delimiter))).toBe(path.join(dir, 'opa'));
    expect(findOnPath('opa', '/nonexistent')).toBeUndefined();
  });
});
