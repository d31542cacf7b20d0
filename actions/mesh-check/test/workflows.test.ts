// The workflows' hardening, checked on the files themselves, then actionlint and zizmor
// (installed at their pinned versions by scripts/setup-ci-tools.sh when missing).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { REPO } from './support/git-fixture';

const DIR = path.join(REPO, '.github', 'workflows');
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Step { uses?: string; run?: string; with?: Record<string, unknown> }
interface Job { permissions?: unknown; 'timeout-minutes'?: number; steps?: Step[]; environment?: unknown }
interface Workflow { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, Job> }

describe.each(files)('%s', (file) => {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const wf = parse(text) as Workflow;
  const jobs = Object.entries(wf.jobs);

  it('grants nothing at the top and something explicit per job, with a timeout', () => {
    expect(wf.permissions).toEqual({});
    for (const [, job] of jobs) {
      expect(job.permissions).toBeDefined();
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  it('pins every third-party action to a full commit SHA with its version in a comment', () => {
    for (const line of text.split('\n').filter((l) => /^\s*(-\s*)?uses:/.test(l))) {
      const ref = line.replace(/^\s*(-\s*)?uses:\s*/, '');
      if (ref.startsWith('./')) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
  });

  it('keeps ${{ }} out of run:, checks out without persisted credentials, never uses pull_request_target', () => {
    expect(Object.keys(wf.on)).not.toContain('pull_request_target');
    expect(Object.keys(wf.on)).not.toContain('workflow_run');
    for (const [, job] of jobs) {
      for (const step of job.steps ?? []) {
        if (step.run) expect(step.run).not.toMatch(/\$\{\{/);
        if (step.uses?.startsWith('actions/checkout@')) expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });

  it('asks for an OIDC token only in jobs that run in a protected environment', () => {
    for (const [, job] of jobs) {
      const perms = (job.permissions ?? {}) as Record<string, string>;
      if (perms['id-token'] === 'write') expect(job.environment).toBeDefined();
    }
  });
});

describe('deploy.yml', () => {
  const wf = parse(fs.readFileSync(path.join(DIR, 'deploy.yml'), 'utf8')) as Workflow & { concurrency: { 'cancel-in-progress': boolean } };
  it('deploys production with OIDC in one job only and never cancels a running deploy', () => {
    const withToken = Object.entries(wf.jobs).filter(([, j]) => (j.permissions as Record<string, string>)['id-token'] === 'write');
    expect(withToken.map(([name]) => name)).toEqual(['deploy']);
    expect(wf.jobs.deploy!.environment).toBe('production');
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
    expect(JSON.stringify(wf.jobs.deploy!.steps)).toContain('role-to-assume');
  });

  it('builds the catalog site from the full history and publishes it after the deploy, warning when there is no bucket', () => {
    const synth = wf.jobs.synth!.steps as { uses?: string; run?: string; with?: Record<string, unknown> }[];
    expect(synth.find((s) => s.uses?.startsWith('actions/checkout@'))!.with!['fetch-depth']).toBe(0);
    expect(synth.some((s) => s.run?.includes('mesh.js catalog build --root . --out catalog-site'))).toBe(true);
    const deploy = (wf.jobs.deploy!.steps as { name?: string; run?: string }[]);
    const cdk = deploy.findIndex((s) => s.name === 'cdk deploy');
    const publish = deploy.findIndex((s) => s.name === 'Publish the catalog site');
    expect(publish).toBeGreaterThan(cdk);
    expect(deploy[publish]!.run).toMatch(/::warning title=catalog not published::[^]*aws s3 sync catalog-site/);
  });
});

describe('actionlint and zizmor', () => {
  it('report nothing on .github/workflows/', () => {
    // Installs the pinned tools into .tools/ when missing (Go proxy, PyPI), then lints; exit 1 on any finding.
    const out = execFileSync('bash', [path.join(REPO, 'scripts', 'setup-ci-tools.sh'), '--lint'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toContain('setup-ci-tools: actionlint');
  }, 900_000);
});
