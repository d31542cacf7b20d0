import * as path from 'node:path';
import { main } from '../src';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const BASE_FIXTURE = path.join(REPO_ROOT, 'packages', 'spec', 'test', 'fixtures', 'base');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mesh` in-process with captured output. */
export async function mesh(args: string[], options: { cwd?: string; color?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd: options.cwd ?? REPO_ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    color: options.color ?? false,
  });
  return { code, stdout, stderr };
}
