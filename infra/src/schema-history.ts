import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Every version of each schema file, oldest first: the versions committed in the git history of
 * the repository at `root`, then the working copy when it differs. Consecutive identical
 * versions (whitespace edits, reverts to the same text) collapse into one. With `revision`, the
 * versions in that commit's history only (what a plan's base or head deployed). Three git processes
 * in all, whatever the number of files; outside a git repository, only the working copy.
 */
export function schemaHistories(root: string, files: readonly string[], revision?: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const committed = committedVersions(root, files, revision);
  for (const file of files) {
    const versions = [...(committed.get(file) ?? [])];
    // At a revision, its history ends with the version it holds; else the working copy comes last.
    if (revision === undefined) {
      try {
        versions.push(fs.readFileSync(path.join(root, file), 'utf8'));
      } catch {
        // a missing file was reported by the loader
      }
    }
    out.set(file, collapse(versions));
  }
  return out;
}

function normalize(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.trim();
  }
}

function collapse(versions: string[]): string[] {
  const out: string[] = [];
  for (const v of versions) if (out.length === 0 || normalize(out[out.length - 1]) !== normalize(v)) out.push(v);
  return out;
}

function git(root: string, args: string[], input?: string): string | undefined {
  const r = spawnSync('git', args, { cwd: root, input, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout : undefined;
}

function committedVersions(root: string, files: readonly string[], revision?: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  if (files.length === 0) return result;
  const prefix = git(root, ['rev-parse', '--show-prefix']);
  if (prefix === undefined) return result;
  const inRepo = (f: string) => `${prefix.trim()}${f}`;
  const wanted = new Map(files.map((f) => [inRepo(f), f]));
  const dirs = [...new Set(files.map((f) => path.posix.dirname(f)))];
  const log = git(root, ['log', '--format=commit %H', '--name-only', '--diff-filter=AMR', ...(revision ? [revision] : []), '--', ...dirs]);
  if (!log) return result;
  const byFile = new Map<string, string[]>();
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('commit ')) { commit = line.slice(7).trim(); continue; }
    const f = wanted.get(line.trim());
    if (f && commit) byFile.set(f, [...(byFile.get(f) ?? []), commit]);
  }
  const requests: { file: string; spec: string }[] = [];
  for (const [file, commits] of byFile) for (const c of [...commits].reverse()) requests.push({ file, spec: `${c}:${inRepo(file)}` });
  if (requests.length === 0) return result;
  const raw = spawnSync('git', ['cat-file', '--batch'], { cwd: root, input: requests.map((r) => r.spec).join('\n') + '\n', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
  if (raw.status !== 0) return result;
  const buf = raw.stdout as Buffer;
  let pos = 0;
  for (const r of requests) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const header = buf.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!m) continue; // "missing"
    const size = Number(m[1]);
    const text = buf.subarray(pos, pos + size).toString('utf8');
    pos += size + 1;
    result.set(r.file, [...(result.get(r.file) ?? []), text]);
  }
  return result;
}
