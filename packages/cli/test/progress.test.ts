import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type Io } from '../src';
import { progressOn } from '../src/progress';
import { REPO_ROOT } from './helpers';

jest.setTimeout(180_000);

/** Runs `mesh` in-process as from a terminal (or not), capturing both streams. */
async function run(args: string[], stderrIsTTY: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { cwd: REPO_ROOT, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, stderrIsTTY };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function io(stderrIsTTY: boolean): Io & { err: string[] } {
  const err: string[] = [];
  return { cwd: '/', stdout: () => undefined, stderr: (t) => err.push(t), color: false, stderrIsTTY, err };
}

describe('progress on stderr', () => {
  it('on a terminal: one line redrawn in place (at most every 80 ms within a step), cleared at the end', () => {
    let t = 0;
    const terminal = io(true);
    const progress = progressOn(terminal, undefined, 'mesh synth', () => t);
    progress.update('building', '1/3 products');
    t = 10;
    progress.update('building', '2/3 products'); // too soon: skipped
    t = 100;
    progress.update('building', '3/3 products');
    t = 110;
    progress.update('writing'); // a new step: always drawn
    t = 1500;
    progress.end();
    expect(terminal.err).toEqual([
      '\r\x1b[Kmesh synth: building 1/3 products (0.0 s)',
      '\r\x1b[Kmesh synth: building 3/3 products (0.1 s)',
      '\r\x1b[Kmesh synth: writing (0.1 s)',
      '\r\x1b[K',
    ]);
  });

  it('not a terminal: nothing, unless asked (--progress: a line per step); --no-progress: nothing on a terminal either', () => {
    let t = 0;
    const pipe = io(false);
    const quiet = progressOn(pipe, undefined, 'mesh synth', () => t);
    quiet.update('building');
    quiet.end();
    expect(pipe.err).toEqual([]);
    const asked = progressOn(pipe, true, 'mesh synth', () => t);
    asked.update('building', '1/2 products');
    asked.update('building', '2/2 products');
    t = 2000;
    asked.update('writing');
    asked.end();
    expect(pipe.err).toEqual(['mesh synth: building (0.0 s)\n', 'mesh synth: writing (2.0 s)\n', 'mesh synth: done (2.0 s)\n']);
    const terminal = io(true);
    const off = progressOn(terminal, false, 'mesh synth', () => t);
    off.update('building');
    off.end();
    expect(terminal.err).toEqual([]);
  });

  it('mesh synth shows where it is, on stderr only: --format json stays one document', async () => {
    const out = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-progress-'));
    const terminal = await run(['synth', '--out', out(), '--format', 'json'], true);
    expect(terminal.code).toBe(0);
    expect(JSON.parse(terminal.stdout)).toMatchObject({ ok: true });
    const drawn = terminal.stderr.split('\r\x1b[K').filter(Boolean).map((line) => line.replace(/ \(\d+\.\d s\)$/, ''));
    expect(drawn[0]).toBe('mesh synth: loading aws-cdk-lib');
    expect(drawn).toEqual(expect.arrayContaining(['mesh synth: validating 9 products, compiling the policies', 'mesh synth: building the constructs 1/9 products', 'mesh synth: preparing 7 stacks', 'mesh synth: writing the templates 1/7 stacks', 'mesh synth: checking the templates']));
    expect(terminal.stderr.endsWith('\r\x1b[K')).toBe(true);

    const logged = await run(['synth', '--out', out(), '--progress'], false);
    expect(logged.code).toBe(0);
    expect(logged.stderr.replace(/ \(\d+\.\d s\)$/gm, '')).toBe(
      ['loading aws-cdk-lib', 'validating 9 products, compiling the policies', 'building the constructs', 'preparing 7 stacks', 'writing the templates', 'checking the templates', 'done'].map((step) => `mesh synth: ${step}\n`).join(''),
    );
    expect(logged.stdout).toMatch(/^✔ 7 template\(s\)/m);

    expect((await run(['synth', '--out', out(), '--no-progress', '--format', 'json'], true)).stderr).toBe('');
  });
});
