// `mesh diff` on a product's deletion, in real git history of this repository's example mesh:
// a product that others still read and that never went through `retired` fails; one that a
// merged change retired, and that no one reads, goes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitIn } from '../../spec/test/history-fixture';
import { mesh, REPO_ROOT } from './helpers';

const MAP = 'domains/domain-map.yaml';

/** A git repository holding this repository's committed example mesh in one commit. */
function exampleRepository(): { root: string; edit: (file: string, change: (text: string) => string) => void; remove: (dir: string) => void; commit: (message: string) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-lifecycle-'));
  const tar = execFileSync('git', ['-C', REPO_ROOT, 'archive', '--format=tar', 'HEAD', '--', 'domains', 'governance', 'platform.yaml', '.github/CODEOWNERS', 'tools/versions.env'], { maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', root], { input: tar });
  gitIn(root, 'init', '-q', '-b', 'main');
  gitIn(root, 'add', '-A');
  gitIn(root, 'commit', '-q', '-m', 'base');
  return {
    root,
    edit(file, change) {
      const full = path.join(root, file);
      const before = fs.readFileSync(full, 'utf8');
      const after = change(before);
      if (after === before) throw new Error(`the edit of ${file} changed nothing: the test would prove nothing`);
      fs.writeFileSync(full, after);
    },
    remove: (dir) => fs.rmSync(path.join(root, dir), { recursive: true }),
    commit(message) {
      gitIn(root, 'add', '-A');
      gitIn(root, 'commit', '-q', '-m', message);
    },
  };
}

interface JsonDiagnostic {
  code: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

function lineOf(root: string, file: string, marker: string): number {
  const index = fs.readFileSync(path.join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (index === -1) throw new Error(`"${marker}" is not in ${file}`);
  return index + 1;
}

const unlist = (name: string) => (text: string) => text.replace(new RegExp(`^\\s*- ${name}\\b.*\\n`, 'm'), '');

describe('mesh diff when a product spec is deleted', () => {
  it('fails a deleted product that others read and that was never retired, naming each consumer at the domain map', async () => {
    const repo = exampleRepository();
    repo.remove('domains/payments/transaction-events-v1');
    repo.edit(MAP, unlist('transaction-events-v1'));
    repo.commit('delete transaction-events-v1');
    const run = await mesh(['diff', '--root', repo.root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(run.code).toBe(1);
    const found = (JSON.parse(run.stdout).diagnostics as JsonDiagnostic[]).filter((d) => d.severity === 'error');
    const line = lineOf(repo.root, MAP, '  payments:');
    expect(found.filter((d) => d.code === 'MESH211').map((d) => [d.file, d.line, d.message])).toEqual([
      [MAP, line, expect.stringMatching(/^payments\/transaction-events-v1 is removed but customer\/customer-360 \(team customer-platform, on-call customer-data-oncall\) still reads it/)],
      [MAP, line, expect.stringMatching(/^payments\/transaction-events-v1 is removed but payments\/revenue-daily-summary \(team payments-engineering, on-call payments-data-oncall\) still reads it/)],
    ]);
    expect(found.filter((d) => d.code === 'MESH215')).toEqual([expect.objectContaining({ file: MAP, line, message: expect.stringContaining('its status at the base is active') })]);
  });

  it('fails deleting an active product that no one reads: a merged change must retire it first', async () => {
    const repo = exampleRepository();
    repo.remove('domains/payments/revenue-daily-summary');
    repo.edit(MAP, unlist('revenue-daily-summary'));
    repo.commit('delete revenue-daily-summary');
    const run = await mesh(['diff', '--root', repo.root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout).diagnostics as JsonDiagnostic[]).map((d) => d.code)).toEqual(['MESH215']);
  });

  it('passes a product deleted after a merged change retired it and no one reads it', async () => {
    const repo = exampleRepository();
    repo.edit('domains/payments/revenue-daily-summary/data-product.yaml', (t) => t.replace(/^ {2}domain: payments\n/m, '  domain: payments\n  status: retired\n  sunset: "2026-11-30"\n'));
    repo.commit('retire revenue-daily-summary');
    const retired = await mesh(['diff', '--root', repo.root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(JSON.parse(retired.stdout).summary).toMatchObject({ errors: 0 });
    repo.remove('domains/payments/revenue-daily-summary');
    repo.edit(MAP, unlist('revenue-daily-summary'));
    repo.commit('delete revenue-daily-summary');
    const run = await mesh(['diff', '--root', repo.root, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.diagnostics).toEqual([]);
    expect(result.changes).toEqual([expect.objectContaining({ product: 'payments/revenue-daily-summary', change: 'removed', breaking: [] })]);
  });
});
