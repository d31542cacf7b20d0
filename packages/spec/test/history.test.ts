// Schema history as the clone really holds it: shallow and partial clones, renamed and
// re-added files, and bases the head does not continue. Real git repositories, no mocks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffMesh, GitError, type DiffResult } from '../src';
import { gitMesh, lineOf, ORDER_SCHEMA, ORDERS, replace } from './helpers';
import { addNote, both, bump, dropNoteDefault, gitIn, rootCommit, setMode, shallowClone, threeVersions } from './history-fixture';

const NOW = new Date('2026-11-26T12:00:00Z');
const SCHEMA_LINE = 'schema: "schema-registry://orders/order_event_v1"';

const codes = (result: DiffResult) => result.diagnostics.map((d) => d.code);
const withCode = (result: DiffResult, code: string) => result.diagnostics.filter((d) => d.code === code);

/** The GitError a call throws (failing the test when it throws nothing or something else). */
function gitErrorOf(run: () => unknown): GitError {
  try {
    run();
  } catch (error) {
    if (error instanceof GitError) return error;
    throw error;
  }
  throw new Error('expected a GitError');
}

describe('the three-version case (v1; v2 adds zz_note with a default; v3 drops the default) on a FULL_TRANSITIVE port', () => {
  it('a full clone reports v3 against v1 (MESH201 READER_FIELD_MISSING_DEFAULT_VALUE), and no incomplete history', () => {
    const { root, v1 } = threeVersions();
    const result = diffMesh(root, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(withCode(result, 'MESH201')).toEqual([
      expect.objectContaining({ severity: 'error', file: ORDER_SCHEMA, message: expect.stringMatching(new RegExp(`READER_FIELD_MISSING_DEFAULT_VALUE .*against domains/orders/schemas/order_event_v1\\.avsc@${v1.slice(0, 12)} \\(FULL_TRANSITIVE\\)`)) }),
    ]);
    expect(codes(result)).not.toContain('MESH214');
  });

  it('a --depth 2 clone says the transitive check is incomplete (port, file, versions seen, boundary, the fix) instead of passing', () => {
    const { root, v2 } = threeVersions();
    const clone = shallowClone(root, 2);
    expect(gitIn(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    // What git shows there: only the grafted base, as if it added the file.
    expect(gitIn(clone, 'log', '--format=%H', 'HEAD~1', '--', ORDER_SCHEMA)).toBe(v2);
    // The source goes away: nothing could be fetched (the library never fetches anyway).
    fs.rmSync(root, { recursive: true, force: true });

    const result = diffMesh(clone, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(withCode(result, 'MESH214')).toEqual([
      {
        severity: 'error',
        code: 'MESH214',
        file: ORDERS,
        line: lineOf(clone, ORDERS, SCHEMA_LINE),
        column: 7,
        endLine: lineOf(clone, ORDERS, SCHEMA_LINE),
        endColumn: 7 + 'schema'.length,
        message:
          `the FULL_TRANSITIVE check of "order_events" is incomplete: the clone's history of ${ORDER_SCHEMA} stops at the shallow boundary ${v2.slice(0, 12)}, ` +
          'before which the clone holds no history; the new schema was checked against 1 earlier version, not every one',
        hint: 'check out with `fetch-depth: 0` (actions/checkout), or fetch it: `git fetch --filter=blob:none --unshallow origin`; the mesh-check Action fetches it itself when it can',
      },
    ]);
    // v3 against v2 alone is compatible: without MESH214 this would be a pass.
    expect(codes(result)).not.toContain('MESH201');
    expect(result.summary.errors).toBeGreaterThan(0);
  });

  it('after a blobless unshallow of the clone, the v1 incompatibility is back and the history is complete', () => {
    const { root, v1 } = threeVersions();
    gitIn(root, 'config', 'uploadpack.allowFilter', 'true');
    const clone = shallowClone(root, 2);
    expect(codes(diffMesh(clone, { base: 'HEAD~1', head: 'HEAD', now: NOW }))).toContain('MESH214');
    gitIn(clone, 'fetch', '-q', '--filter=blob:none', '--unshallow', 'origin');
    const result = diffMesh(clone, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(codes(result)).not.toContain('MESH214');
    expect(withCode(result, 'MESH201').map((d) => d.message)).toEqual([expect.stringContaining(`READER_FIELD_MISSING_DEFAULT_VALUE at /fields/7 against domains/orders/schemas/order_event_v1.avsc@${v1.slice(0, 12)}`)]);
  });

  it('a blobless clone that cannot fetch an old version reports it unreadable, not deleted', () => {
    const { root, v1 } = threeVersions();
    gitIn(root, 'config', 'uploadpack.allowFilter', 'true');
    const clone = shallowClone(root, 2);
    gitIn(clone, 'fetch', '-q', '--filter=blob:none', '--unshallow', 'origin');
    fs.rmSync(root, { recursive: true, force: true }); // the promisor remote is gone
    const result = diffMesh(clone, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(withCode(result, 'MESH214').map((d) => d.message)).toEqual([
      expect.stringMatching(new RegExp(`lacks the content of \\d+ version\\(s\\) \\(.*${v1.slice(0, 12)}.*\\), which this partial clone could not fetch; the new schema was checked against 1 earlier version`)),
    ]);
    expect(codes(result)).not.toContain('MESH201');
  });

  it('non-transitive modes need only the base version: a shallow clone gives the full clone\'s verdict', () => {
    const { root } = threeVersions('FULL');
    const full = diffMesh(root, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    const shallow = diffMesh(shallowClone(root, 2), { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(codes(shallow)).toEqual(codes(full));
    expect(codes(shallow)).not.toContain('MESH214');
    expect(codes(shallow)).not.toContain('MESH201');
  });

  it('a schema file whose whole history is inside the shallow clone is checked completely', () => {
    // The boundary is a commit without the file: every version is in the clone.
    const repo = gitMesh();
    repo.commit({ 'NOTES.md': 'unrelated\n' }, 'unrelated');
    const audit = [
      '    - name: order_audit',
      '      type: stream',
      '      format: avro',
      '      compatibility: FULL_TRANSITIVE',
      '      schema: "schema-registry://orders/order_audit_v1"',
      '      topic: "orders-domain.order-audit.v1"',
      '      sla: { freshness: "< 5 minutes", uptime: "99.9%" }',
      '',
    ].join('\n');
    const AUDIT_SCHEMA = 'domains/orders/schemas/order_audit_v1.avsc';
    const v1 = repo.commit({ [AUDIT_SCHEMA]: fs.readFileSync(path.join(repo.root, ORDER_SCHEMA), 'utf8'), [ORDERS]: both(replace('  qualityChecks:', `${audit}  qualityChecks:`), bump('1.3.0')) }, 'audit port');
    repo.commit({ [AUDIT_SCHEMA]: addNote, [ORDERS]: bump('1.4.0') }, 'v2');
    repo.commit({ [AUDIT_SCHEMA]: dropNoteDefault, [ORDERS]: bump('2.0.0') }, 'v3');
    const clone = shallowClone(repo.root, 4);
    expect(gitIn(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const result = diffMesh(clone, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(result.diagnostics.filter((d) => d.code === 'MESH214').map((d) => d.message)).toEqual([]);
    expect(withCode(result, 'MESH201').map((d) => d.message)).toEqual([expect.stringContaining(`against domains/orders/schemas/order_audit_v1.avsc@${v1.slice(0, 12)}`)]);
    // The audit schema began as a copy of the order schema: a copy starts a new history, in a full clone too.
    expect(withCode(diffMesh(repo.root, { base: 'HEAD~1', head: 'HEAD', now: NOW }), 'MESH201').map((d) => d.message)).toEqual(withCode(result, 'MESH201').map((d) => d.message));
  });
});

describe('a schema file moved or deleted in the base history', () => {
  it('a renamed file keeps its history (git log --follow): v3 is checked against v1 under its old name', () => {
    const repo = gitMesh();
    repo.commit({ [ORDERS]: setMode('FULL_TRANSITIVE') }, 'mode');
    const v1 = rootCommit(repo.root);
    const MOVED = 'domains/orders/schemas/order_event_main.avsc';
    const content = fs.readFileSync(path.join(repo.root, ORDER_SCHEMA), 'utf8');
    const subject = (old: string) => replace('schema-registry://orders/order_event_v1', 'schema-registry://orders/order_event_main')(old);
    repo.commit({ [ORDER_SCHEMA]: null, [MOVED]: content, [ORDERS]: both(subject, bump('1.2.1')) }, 'rename the schema file');
    repo.commit({ [MOVED]: addNote, [ORDERS]: bump('1.3.0') }, 'v2');
    repo.commit({ [MOVED]: dropNoteDefault, [ORDERS]: bump('2.0.0') }, 'v3');
    const result = diffMesh(repo.root, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(withCode(result, 'MESH201')).toEqual([
      expect.objectContaining({ file: MOVED, message: expect.stringContaining(`READER_FIELD_MISSING_DEFAULT_VALUE at /fields/7 against ${ORDER_SCHEMA}@${v1.slice(0, 12)}`) }),
    ]);
    // The rename itself is not a version of its own.
    expect(withCode(result, 'MESH201')).toHaveLength(1);
  });

  it('a file deleted and added again keeps the versions from before the deletion (the subject and the topic outlive the file)', () => {
    const repo = gitMesh();
    repo.commit({ [ORDERS]: setMode('FULL_TRANSITIVE') }, 'mode');
    const v1 = rootCommit(repo.root);
    const v1Text = fs.readFileSync(path.join(repo.root, ORDER_SCHEMA), 'utf8');
    repo.commit({ [ORDER_SCHEMA]: null }, 'delete the schema');
    repo.commit({ [ORDER_SCHEMA]: addNote(v1Text), [ORDERS]: bump('1.3.0') }, 're-add it as v2');
    repo.commit({ [ORDER_SCHEMA]: dropNoteDefault, [ORDERS]: bump('2.0.0') }, 'v3');
    const result = diffMesh(repo.root, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(withCode(result, 'MESH201').map((d) => d.message)).toEqual([expect.stringContaining(`against ${ORDER_SCHEMA}@${v1.slice(0, 12)}`)]);
  });

  it('a file deleted and added again incompatibly: later changes are still judged against the old versions', () => {
    const repo = gitMesh();
    repo.commit({ [ORDERS]: setMode('BACKWARD_TRANSITIVE') }, 'mode');
    const v1 = rootCommit(repo.root);
    const v1Text = fs.readFileSync(path.join(repo.root, ORDER_SCHEMA), 'utf8');
    repo.commit({ [ORDER_SCHEMA]: null }, 'delete the schema');
    const amountAsText = v1Text.replace('{ "name": "amount", "type": "double" }', '{ "name": "amount", "type": "string" }');
    expect(amountAsText).not.toBe(v1Text);
    repo.commit({ [ORDER_SCHEMA]: amountAsText, [ORDERS]: bump('2.0.0') }, 're-added with amount as text');
    repo.commit({ [ORDER_SCHEMA]: addNote, [ORDERS]: bump('2.1.0') }, 'an optional field');
    const result = diffMesh(repo.root, { base: 'HEAD~1', head: 'HEAD', now: NOW });
    expect(withCode(result, 'MESH201').map((d) => d.message)).toEqual([expect.stringMatching(new RegExp(`TYPE_MISMATCH at /fields/2/type against ${ORDER_SCHEMA}@${v1.slice(0, 12)}`))]);
  });
});

describe('bases the head does not continue', () => {
  it('a diverged base is an environment error that names the merge base; the merge base itself works', () => {
    const repo = gitMesh();
    const fork = gitIn(repo.root, 'rev-parse', 'HEAD');
    gitIn(repo.root, 'checkout', '-q', '-b', 'feature');
    repo.commit({ [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 10 minutes"'), bump('2.0.0')) }, 'feature');
    gitIn(repo.root, 'checkout', '-q', 'main');
    repo.commit({ 'NOTES.md': 'main moved on\n' }, 'main moves on');
    gitIn(repo.root, 'checkout', '-q', 'feature');
    const error = gitErrorOf(() => diffMesh(repo.root, { base: 'main', head: 'feature', now: NOW }));
    expect(error.message).toMatch(new RegExp(`^"main" \\([0-9a-f]{12}\\) is not an ancestor of "feature" \\([0-9a-f]{12}\\): the branches diverged at ${fork.slice(0, 12)}, or history was rewritten since the base`));
    expect(error.hint).toContain(`--base ${fork.slice(0, 12)}`);
    // The work tree (HEAD is feature) is judged the same way.
    expect(gitErrorOf(() => diffMesh(repo.root, { base: 'main', now: NOW })).message).toMatch(/is not an ancestor of "HEAD"/);
    expect(codes(diffMesh(repo.root, { base: fork, head: 'feature', now: NOW }))).toContain('MESH205');
  });

  it('history rewritten since the base (an amended, force-pushed commit) is an environment error, not a diff', () => {
    const repo = gitMesh();
    const pushed = repo.commit({ [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 10 minutes"'), bump('2.0.0')) }, 'pushed');
    gitIn(repo.root, 'commit', '-q', '--amend', '-m', 'rewritten');
    repo.commit({ [ORDERS]: replace('Every order placed', 'Every order ever placed') }, 'after the rewrite');
    expect(gitErrorOf(() => diffMesh(repo.root, { base: pushed, head: 'HEAD', now: NOW })).message).toMatch(/is not an ancestor of "HEAD".*history was rewritten since the base/);
  });

  it('a detached HEAD is compared like a branch', () => {
    const repo = gitMesh();
    repo.commit({ [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 10 minutes"'), bump('2.0.0')) });
    const onBranch = codes(diffMesh(repo.root, { base: 'HEAD~1', now: NOW }));
    gitIn(repo.root, 'checkout', '-q', '--detach', 'HEAD');
    expect(codes(diffMesh(repo.root, { base: 'HEAD~1', now: NOW }))).toEqual(onBranch);
    expect(codes(diffMesh(repo.root, { base: 'HEAD~1', head: 'HEAD', now: NOW }))).toEqual(onBranch);
    expect(onBranch).toContain('MESH205');
  });

  it('an orphan head, before and after its first commit, is an environment error', () => {
    const repo = gitMesh();
    gitIn(repo.root, 'checkout', '-q', '--orphan', 'fresh');
    expect(gitErrorOf(() => diffMesh(repo.root, { base: 'main', now: NOW })).message).toMatch(/^HEAD has no commits \(an orphan branch\), so "main" is not in the history of the work tree/);
    expect(gitErrorOf(() => diffMesh(repo.root, { base: 'main', head: 'HEAD', now: NOW })).message).toMatch(/"HEAD" is not a commit/);
    gitIn(repo.root, 'commit', '-q', '-m', 'orphan root');
    expect(gitErrorOf(() => diffMesh(repo.root, { base: 'main', head: 'HEAD', now: NOW })).message).toMatch(/^"main" \([0-9a-f]{12}\) and "HEAD" \([0-9a-f]{12}\) share no history: HEAD is an orphan or unrelated branch/);
  });

  it('a base that a shallow clone does not hold says to fetch it', () => {
    const { root } = threeVersions();
    const clone = shallowClone(root, 2);
    const error = gitErrorOf(() => diffMesh(clone, { base: 'HEAD~2', head: 'HEAD', now: NOW }));
    expect(error.message).toMatch(/"HEAD~2" is not a commit in .*, which is a shallow clone: the revision may not have been fetched/);
    expect(error.hint).toMatch(/git fetch --filter=blob:none --unshallow origin.*fetch-depth: 0/);
  });

  it('a base fetched into a shallow clone without the history linking it to the head says to fetch that history', () => {
    const { root, v1 } = threeVersions();
    const clone = shallowClone(root, 1);
    gitIn(clone, 'fetch', '-q', '--depth=1', 'origin', v1);
    const error = gitErrorOf(() => diffMesh(clone, { base: v1, head: 'HEAD', now: NOW }));
    expect(error.message).toMatch(/share no history in this shallow clone/);
    expect(error.hint).toContain('--unshallow');
  });
});
