import { execFile } from 'node:child_process';

/** The lines a change touched, per file (paths relative to the checked root, forward slashes). */
export type ChangedLines = ReadonlyMap<string, readonly (readonly [number, number])[]>;

export function isChangedLine(changed: ChangedLines | undefined, file: string, line: number): boolean {
  const ranges = changed?.get(file);
  return !!ranges && ranges.some(([from, to]) => line >= from && line <= to);
}

export function isChangedFile(changed: ChangedLines | undefined, file: string): boolean {
  return !!changed?.has(file);
}

/** Runs git with an argument array (never a shell: file names in a PR are attacker-controlled). */
export function git(cwd: string, args: readonly string[], maxBuffer = 256 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, maxBuffer, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed: ${(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
  });
}

/**
 * The lines added or modified between `base` and the working tree under `root`, from
 * `git diff --unified=0`. A pure deletion marks the lines around it: a finding about a removed
 * field sits on its enclosing node.
 */
export async function changedLines(root: string, base: string): Promise<ChangedLines> {
  const out = await git(root, [
    '-c', 'core.quotePath=false',
    'diff', '--unified=0', '--no-color', '--no-ext-diff', '--no-renames', '--relative',
    '--src-prefix=a/', '--dst-prefix=b/', base, '--',
  ]);
  return parseUnifiedDiff(out);
}

export function parseUnifiedDiff(diff: string): Map<string, [number, number][]> {
  const result = new Map<string, [number, number][]>();
  let current: [number, number][] | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      // git ends the name with a tab when it contains a space.
      const target = line.slice(4).replace(/\t$/, '');
      if (target === '/dev/null') {
        current = undefined;
        continue;
      }
      const name = unquoteGitPath(target).replace(/^b\//, '');
      current = result.get(name) ?? [];
      result.set(name, current);
    } else if (line.startsWith('@@') && current) {
      const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      if (count > 0) current.push([start, start + count - 1]);
      else current.push([Math.max(1, start), start + 1]);
    }
  }
  return result;
}

/** git C-quotes a path with special characters: "a\tb\303\251". */
export function unquoteGitPath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
