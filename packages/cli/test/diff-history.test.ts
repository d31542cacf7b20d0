// `mesh diff` (and `mesh check`) on history the clone really holds: the three-version case in a
// full clone and in a `git clone --depth 2`, and bases the head does not continue.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitIn, shallowClone, threeVersions } from '../../spec/test/history-fixture';
import { mesh, REPO_ROOT } from './helpers';

const TRANSACTIONS = 'domains/payments/schemas/transaction_events_v1.avsc';
const TRANSACTION_SPEC = 'domains/payments/transaction-events-v1/data-product.yaml';

/** This repository's committed example mesh, with the three versions on payments' FULL_TRANSITIVE transaction_events_stream. */
function exampleThreeVersions(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-history-'));
  const tar = execFileSync('git', ['-C', REPO_ROOT, 'archive', '--format=tar', 'HEAD', '--', 'domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env'], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', root], { input: tar });
  gitIn(root, 'init', '-q', '-b', 'main');
  gitIn(root, 'add', '-A');
  gitIn(root, 'commit', '-q', '-m', 'v1');
  const edit = (file: string, change: (text: string) => string) => {
    const full = path.join(root, file);
    const before = fs.readFileSync(full, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    fs.writeFileSync(full, after);
  };
  const fields = (change: (f: { name: string; default?: unknown }[]) => void) => (text: string) => {
    const schema = JSON.parse(text);
    change(schema.fields);
    return `${JSON.stringify(schema, null, 2)}\n`;
  };
  edit(TRANSACTIONS, fields((f) => f.push({ name: 'zz_note', type: 'string', default: '' } as never)));
  edit(TRANSACTION_SPEC, (t) => t.replace('version: "1.3.0"', 'version: "1.4.0"'));
  gitIn(root, 'commit', '-q', '-am', 'v2: zz_note with a default');
  edit(TRANSACTIONS, fields((f) => delete f.find((x) => x.name === 'zz_note')!.default));
  edit(TRANSACTION_SPEC, (t) => t.replace('version: "1.4.0"', 'version: "2.0.0"'));
  gitIn(root, 'commit', '-q', '-am', 'v3: zz_note without a default');
  return root;
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  file: string;
  line: number;
  message: string;
  hint?: string;
}

const diagnostics = (stdout: string): JsonDiagnostic[] => JSON.parse(stdout).diagnostics;

describe('mesh diff on the three-version case (v1; v2 adds zz_note with a default; v3 drops it) on a FULL_TRANSITIVE port', () => {
  it('a full clone fails on v3 against v1 (MESH201 READER_FIELD_MISSING_DEFAULT_VALUE)', async () => {
    const { root } = threeVersions();
    const run = await mesh(['diff', '--root', root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(run.code).toBe(1);
    const found = diagnostics(run.stdout);
    expect(found.filter((d) => d.code === 'MESH201').map((d) => d.message)).toEqual([expect.stringContaining('READER_FIELD_MISSING_DEFAULT_VALUE')]);
    expect(found.map((d) => d.code)).not.toContain('MESH214');
  });

  it('a --depth 2 clone fails with the incomplete check and its fix, in json and in text', async () => {
    const { root, v2 } = threeVersions();
    const clone = shallowClone(root, 2);
    fs.rmSync(root, { recursive: true, force: true }); // nothing to fetch from
    const json = await mesh(['diff', '--root', clone, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(json.code).toBe(1);
    const found = diagnostics(json.stdout);
    expect(found.map((d) => d.code)).not.toContain('MESH201');
    expect(found.filter((d) => d.code === 'MESH214')).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'domains/orders/order-events-v1/data-product.yaml',
        message: expect.stringContaining(`the FULL_TRANSITIVE check of "order_events" is incomplete: the clone's history of domains/orders/schemas/order_event_v1.avsc stops at the shallow boundary ${v2.slice(0, 12)}`),
        hint: expect.stringContaining('fetch-depth: 0'),
      }),
    ]);
    const text = await mesh(['diff', '--root', clone, '--base', 'HEAD~1']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/MESH214.*checked against 1 earlier version, not every one/);
    expect(text.stdout).toContain('git fetch --filter=blob:none --unshallow origin');
    expect(text.stdout).toMatch(/✖ 1 changed product\(s\), \d+ breaking change\(s\), [1-9]\d* error\(s\)/);
  });

  it('mesh check says the same as mesh diff, on the example mesh, in a full and a --depth 2 clone', async () => {
    const root = exampleThreeVersions();
    const clone = shallowClone(root, 2);
    const opa = path.join(REPO_ROOT, '.tools', 'bin');
    const savedPath = process.env.PATH;
    process.env.PATH = [opa, savedPath].join(path.delimiter);
    try {
      for (const [dir, code, absent] of [[root, 'MESH201', 'MESH214'], [clone, 'MESH214', 'MESH201']] as const) {
        const check = await mesh(['check', '--root', dir, '--base', 'HEAD~1', '--format', 'json', '--policy-tests', 'never']);
        const diff = await mesh(['diff', '--root', dir, '--base', 'HEAD~1', '--format', 'json']);
        expect([check.code, diff.code]).toEqual([1, 1]);
        const fromCheck = diagnostics(check.stdout).filter((d) => d.code.startsWith('MESH2'));
        expect(fromCheck.map((d) => d.code)).toContain(code);
        expect(fromCheck.map((d) => d.code)).not.toContain(absent);
        expect(fromCheck).toEqual(diagnostics(diff.stdout));
      }
    } finally {
      process.env.PATH = savedPath;
    }
  });
});

describe('mesh diff with a base the head does not continue', () => {
  it('a diverged base exits 2 with the merge base to compare against, no stack trace', async () => {
    const { root } = threeVersions();
    const fork = gitIn(root, 'rev-parse', 'HEAD~1');
    gitIn(root, 'checkout', '-q', '-b', 'other', 'HEAD~1');
    fs.writeFileSync(`${root}/NOTES.md`, 'elsewhere\n');
    gitIn(root, 'add', 'NOTES.md');
    gitIn(root, 'commit', '-q', '-m', 'other work');
    const run = await mesh(['diff', '--root', root, '--base', 'other', '--head', 'main']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^mesh: "other" \\([0-9a-f]{12}\\) is not an ancestor of "main" \\([0-9a-f]{12}\\): the branches diverged at ${fork.slice(0, 12)}`));
    expect(run.stderr).toContain(`--base ${fork.slice(0, 12)}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a base the shallow clone does not hold exits 2 and says to fetch it', async () => {
    const clone = shallowClone(threeVersions().root, 2);
    const run = await mesh(['diff', '--root', clone, '--base', 'HEAD~2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mesh: "HEAD~2" is not a commit in .*, which is a shallow clone/);
    expect(run.stderr).toContain('git fetch --filter=blob:none --unshallow origin');
  });
});
