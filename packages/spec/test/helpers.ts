import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLES_NOW, validateMesh, type Diagnostic } from '../src';

export const BASE = path.join(__dirname, 'fixtures', 'base');
export const ORDERS = 'domains/orders/order-events-v1/data-product.yaml';
export const REVENUE = 'domains/finance/revenue-daily/data-product.yaml';
export const ORDER_SCHEMA = 'domains/orders/schemas/order_event_v1.avsc';
export const REVENUE_SCHEMA = 'domains/finance/schemas/revenue_daily_v3.avsc';
export const MAP = 'domains/domain-map.yaml';

/** A file's new content: text, bytes, a rewrite of the old text, or null to delete it. */
export type Edit = string | Buffer | null | ((old: string) => string | Buffer);

/** A copy of the base mesh in a temporary folder, with some files changed. */
export function meshWith(edits: Record<string, Edit> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-test-'));
  fs.cpSync(BASE, root, { recursive: true });
  applyEdits(root, edits);
  return root;
}

/** Changes files of a mesh in place. */
export function applyEdits(root: string, edits: Record<string, Edit>): void {
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(root, file);
    if (edit === null) {
      fs.rmSync(full, { recursive: true, force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (typeof edit === 'function') {
      const before = fs.readFileSync(full, 'utf8');
      const after = edit(before);
      if (typeof after === 'string' && after === before) throw new Error(`the edit of ${file} changed nothing: the test would prove nothing`);
      fs.writeFileSync(full, after);
    } else fs.writeFileSync(full, edit);
  }
}

/** A git repository holding the base mesh in one commit; `commit` adds another. */
export function gitMesh(): { root: string; commit: (edits: Record<string, Edit>, message?: string) => string } {
  const root = meshWith();
  const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=mesh@example.com', '-c', 'user.name=mesh', ...args], { encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return {
    root,
    commit(edits, message = 'change') {
      applyEdits(root, edits);
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}

/** Replaces text that must be present (so a fixture drift fails the test instead of passing it). */
export function replace(search: string | RegExp, replacement: string): (old: string) => string {
  return (old) => {
    if (typeof search === 'string' ? !old.includes(search) : !search.test(old)) throw new Error(`fixture text not found: ${String(search)}`);
    return old.replace(search, replacement);
  };
}

/** The 1-based line of the first occurrence of `marker` in a file of the mesh. */
export function lineOf(root: string, file: string, marker: string, occurrence = 1): number {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(marker) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${marker}" is not in ${file}`);
}

export function validate(root: string): readonly Diagnostic[] {
  return validateMesh(root, { now: new Date(EXAMPLES_NOW) }).diagnostics;
}

export function withCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}
