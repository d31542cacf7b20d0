import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh } from './helpers';

function schemas(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-compat-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const record = (fields: object[]) => ({ type: 'record', name: 'Order', namespace: 'com.example', fields });
const v1 = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'int' }]);
const v2 = record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'long' }, { name: 'note', type: ['null', 'string'], default: null }]);

describe('mesh compat', () => {
  it('prints the documented JSON and exits 0 when compatible', async () => {
    const cwd = schemas({ 'v1.avsc': v1, 'v2.avsc': v2 });
    const run = await mesh(['compat', '--schema', 'v2.avsc', '--previous', 'v1.avsc', '--format', 'json'], { cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ compatible: true, mode: 'BACKWARD_TRANSITIVE', incompatibilities: [] });
  });

  it('names the previous file, the kind and the path of each incompatibility and exits 1', async () => {
    const cwd = schemas({ 'v1.avsc': v1, 'v2.avsc': v2 });
    const run = await mesh(['compat', '--schema', 'v2.avsc', '--previous', 'v1.avsc', '--mode', 'FORWARD', '--format', 'json'], { cwd });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['compatible', 'mode', 'incompatibilities']);
    expect(report).toMatchObject({ compatible: false, mode: 'FORWARD' });
    expect(report.incompatibilities).toEqual([{ previous: 'v1.avsc', kind: 'TYPE_MISMATCH', path: '/fields/1/type', message: expect.any(String) }]);
  });

  it('checks every earlier version only in a transitive mode', async () => {
    // v3 drops `note`, which v2 had with a default: fine for v2 -> v3 backward, but v1 had int amount (readable as long).
    const cwd = schemas({ 'v1.avsc': record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'int' }, { name: 'legacy', type: 'string' }]), 'v2.avsc': v2, 'v3.avsc': record([{ name: 'id', type: 'string' }, { name: 'amount', type: 'long' }, { name: 'legacy', type: 'string' }]) });
    const latest = await mesh(['compat', '--schema', 'v3.avsc', '--previous', 'v1.avsc', '--previous', 'v2.avsc', '--mode', 'BACKWARD', '--format', 'json'], { cwd });
    const transitive = await mesh(['compat', '--schema', 'v3.avsc', '--previous', 'v1.avsc', '--previous', 'v2.avsc', '--mode', 'BACKWARD_TRANSITIVE', '--format', 'json'], { cwd });
    expect(JSON.parse(latest.stdout).compatible).toBe(false);
    expect(JSON.parse(transitive.stdout).incompatibilities.map((i: { previous: string }) => i.previous)).toEqual(['v2.avsc']);
    const forwardLatest = await mesh(['compat', '--schema', 'v3.avsc', '--previous', 'v1.avsc', '--previous', 'v2.avsc', '--mode', 'FORWARD', '--format', 'json'], { cwd });
    const forwardAll = await mesh(['compat', '--schema', 'v3.avsc', '--previous', 'v1.avsc', '--previous', 'v2.avsc', '--mode', 'FORWARD_TRANSITIVE', '--format', 'json'], { cwd });
    expect(JSON.parse(forwardLatest.stdout).compatible).toBe(true);
    expect(JSON.parse(forwardAll.stdout).incompatibilities.map((i: { previous: string }) => i.previous)).toEqual(['v1.avsc']);
  });

  it.each([
    ['a file that is not JSON', 'not json at all'],
    ['JSON that is not Avro', { type: 'record', name: 'X' }],
    ['an unknown type', record([{ name: 'id', type: 'uuid-string' }])],
  ])('exits 2 with a clear error on %s', async (_name, content) => {
    const cwd = schemas({ 'bad.avsc': content as string, 'v1.avsc': v1 });
    const run = await mesh(['compat', '--schema', 'bad.avsc', '--previous', 'v1.avsc'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mesh: bad\.avsc is not a valid Avro schema/);
  });

  it('exits 2 on a missing file or an unknown mode', async () => {
    const cwd = schemas({ 'v1.avsc': v1 });
    expect((await mesh(['compat', '--schema', 'nope.avsc', '--previous', 'v1.avsc'], { cwd })).code).toBe(2);
    expect((await mesh(['compat', '--schema', 'v1.avsc', '--previous', 'v1.avsc', '--mode', 'SIDEWAYS'], { cwd })).code).toBe(2);
    expect((await mesh(['compat', '--schema', 'v1.avsc'], { cwd })).code).toBe(2);
  });
});
