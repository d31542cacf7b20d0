import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_FIXTURE, REPO_ROOT } from './helpers';

const BIN = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');

/** A copy of the base fixture whose one product has `count` quality rules naming unknown columns: that many MESH402 errors. */
function meshWithManyFindings(count: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-pipe-'));
  fs.cpSync(BASE_FIXTURE, root, { recursive: true });
  const file = path.join(root, 'domains/orders/order-events-v1/data-product.yaml');
  const rules = Array.from({ length: count }, (_, i) => `    - rule: "no_such_column_${i} IS NOT NULL"\n`).join('');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  qualityChecks:\n', `  qualityChecks:\n${rules}`));
  return root;
}

const STACK = /^\s+at .*:\d+:\d+\)?$|node:internal|Unhandled 'error' event/m;

interface Closed {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly stdout: string;
}

/** Runs the real binary with the read end of one of its output pipes closed before it writes anything. */
function runWithClosed(stream: 'stdout' | 'stderr', args: string[]): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child[stream].destroy();
    let stderr = '';
    let stdout = '';
    if (stream === 'stdout') child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    else child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

describe('a reader that closes the pipe early', () => {
  it('`mesh validate | head -1` ends quietly, with the exit code of its findings', () => {
    const root = meshWithManyFindings(3000);
    // far more than a pipe holds, so mesh is still writing when head exits
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" validate --root "${root}" --no-policy | head -1; echo "mesh exited $\{PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(run.stdout).toBe('domains/orders/order-events-v1/data-product.yaml\n');
    expect(run.stderr).not.toMatch(STACK);
    expect(run.stderr).not.toContain('EPIPE');
    expect(run.stderr).toBe('mesh exited 1\n');
    const json = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" validate --root "${root}" --no-policy --format json | head -c 20; echo "mesh exited $\{PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(json.stdout).toBe('{"diagnostics":[{"se');
    expect(json.stderr).toBe('mesh exited 1\n');
  });

  it.each([
    [['validate', '--no-policy'], 0],
    [['validate', '--no-policy', '--format', 'json'], 0],
    [['--help'], 0],
    [['validate', '--help'], 0],
    [['codeowners', '--stdout'], 0],
  ])('stdout closed: mesh %j exits %i without a word on stderr', async (args, code) => {
    const run = await runWithClosed('stdout', args);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code, signal: null });
  });

  it('stderr closed: a usage error still exits 2', async () => {
    const run = await runWithClosed('stderr', ['validate', '--format', 'yaml']);
    expect(run).toMatchObject({ code: 2, signal: null, stdout: '' });
  });
});
