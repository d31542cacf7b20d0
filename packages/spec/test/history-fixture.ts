import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitMesh, ORDER_SCHEMA, ORDERS, replace } from './helpers';

/** A rewrite of a file's text. */
export type Rewrite = (old: string) => string;

/** git in a directory, with a fixed identity and no system or user configuration. */
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.email=mesh@example.com', '-c', 'user.name=mesh', ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir() },
  }).trim();
}

/** Rewrites the order schema's field list. */
export function orderFields(change: (fields: Record<string, unknown>[]) => Record<string, unknown>[]): Rewrite {
  return (old) => {
    const schema = JSON.parse(old);
    schema.fields = change(schema.fields);
    return JSON.stringify(schema, null, 2);
  };
}

export const bump = (version: string): Rewrite => replace(/version: "[^"]+"/, `version: "${version}"`);
export const both = (...edits: Rewrite[]): Rewrite => (old) => edits.reduce((text, edit) => edit(text), old);
export const setMode = (mode: string): Rewrite => replace('      format: avro\n', `      format: avro\n      compatibility: ${mode}\n`);

/** v2: a new field with a default (compatible both ways with v1). */
export const addNote = orderFields((f) => [...f, { name: 'zz_note', type: 'string', default: '' }]);
/** v3: the new field loses its default: fine against v2, a reader that v1's data cannot fill. */
export const dropNoteDefault = orderFields((f) => f.map((x) => (x.name === 'zz_note' ? { name: 'zz_note', type: 'string' } : x)));

/** The commit that wrote the base mesh (and the order schema's v1): the repository's root. */
export const rootCommit = (dir: string) => gitIn(dir, 'rev-list', '--max-parents=0', 'HEAD');

/**
 * The three-version case: the order schema's v1 (the base mesh, the root commit `v1`), v2 adds
 * `zz_note` with a default, v3 drops the default; the port's mode is `mode`, set in a commit
 * between v1 and v2. HEAD is v3, HEAD~1 is v2.
 */
export function threeVersions(mode = 'FULL_TRANSITIVE'): { root: string; v1: string; v2: string; v3: string } {
  const repo = gitMesh();
  const v1 = rootCommit(repo.root);
  repo.commit({ [ORDERS]: setMode(mode) }, 'the port is checked transitively');
  const v2 = repo.commit({ [ORDER_SCHEMA]: addNote, [ORDERS]: bump('1.3.0') }, 'v2: zz_note with a default');
  const v3 = repo.commit({ [ORDER_SCHEMA]: dropNoteDefault, [ORDERS]: bump('2.0.0') }, 'v3: zz_note without a default');
  return { root: repo.root, v1, v2, v3 };
}

/** `git clone --depth N` over file:// (a plain path ignores --depth), into a new folder. */
export function shallowClone(source: string, depth: number, extra: readonly string[] = []): string {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-shallow-')), 'clone');
  execFileSync('git', ['clone', '-q', `--depth=${depth}`, ...extra, `file://${source}`, dest], { stdio: 'pipe' });
  return dest;
}
