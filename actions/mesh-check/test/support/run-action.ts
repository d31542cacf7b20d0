import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DIST = path.resolve(__dirname, '..', '..', 'dist', 'index.js');

export interface ActionRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly ms: number;
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks and `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Runs the bundled Action as a runner does: INPUT_* variables, the event file, the command files. */
export async function runAction(options: {
  readonly workspace: string;
  readonly eventName: string;
  readonly event: unknown;
  readonly inputs: Record<string, string>;
  readonly apiUrl: string;
  readonly repository: string;
  readonly env?: Record<string, string>;
  readonly dist?: string;
}): Promise<ActionRun> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-action-run-'));
  const files = { event: path.join(tmp, 'event.json'), output: path.join(tmp, 'output'), summary: path.join(tmp, 'summary.md') };
  fs.writeFileSync(files.event, JSON.stringify(options.event));
  fs.writeFileSync(files.output, '');
  fs.writeFileSync(files.summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.example.com',
    GITHUB_REPOSITORY: options.repository,
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    RUNNER_TEMP: tmp,
    ...options.env,
  };
  // The runner turns each input into INPUT_<NAME upper-cased> (dashes kept).
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [options.dist ?? DIST], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = Date.now() - started;
  const run = {
    status,
    stdout,
    stderr,
    outputs: parseOutputFile(fs.readFileSync(files.output, 'utf8')),
    summary: fs.readFileSync(files.summary, 'utf8'),
    ms,
  };
  fs.rmSync(tmp, { recursive: true, force: true });
  return run;
}

/** A pull_request `synchronize` payload shaped like GitHub's (the fields the Action reads and more). */
export function pullRequestEvent(o: { owner: string; repo: string; number: number; base: string; head: string; labels?: string[]; fork?: boolean }) {
  const full = `${o.owner}/${o.repo}`;
  const headRepo = o.fork ? `contributor/${o.repo}` : full;
  return {
    action: 'synchronize',
    number: o.number,
    before: o.head,
    after: o.head,
    pull_request: {
      id: 1_000_000 + o.number,
      number: o.number,
      state: 'open',
      title: 'Drop event_type from customer events',
      user: { login: 'alice', type: 'User' },
      labels: (o.labels ?? []).map((name, i) => ({ id: i + 1, name })),
      base: { ref: 'main', sha: o.base, repo: { full_name: full, name: o.repo, owner: { login: o.owner } } },
      head: { ref: o.fork ? 'patch-1' : 'feature', sha: o.head, repo: { full_name: headRepo, name: o.repo, owner: { login: headRepo.split('/')[0] }, fork: !!o.fork } },
      merge_commit_sha: null,
    },
    repository: { full_name: full, name: o.repo, owner: { login: o.owner } },
    sender: { login: 'alice', type: 'User' },
  };
}

/** The `::error file=...::message` lines of a run. */
export function annotations(stdout: string): { level: string; props: Record<string, string>; message: string }[] {
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return stdout
    .split('\n')
    .map((l) => /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({
      level: m[1]!,
      props: Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))])),
      message: unescape(m[3]!),
    }));
}
