import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../src';

const ROOT = path.resolve(__dirname, '..', '..');

describe('synthesize on the example domains', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-'));
  const result = synthesize(ROOT, out);

  it('writes the platform, domain and access templates', () => {
    console.log(JSON.stringify(result.diagnostics.filter((d) => d.severity !== 'info').slice(0, 40), null, 1));
    console.log(result.templates.map((t) => `${t.stackName} ${t.resourceCount}`).join('\n'));
    expect(result.templates.map((t) => t.stackName).sort()).toEqual(expect.arrayContaining(['DataMesh-Platform', 'DataMesh-Customer', 'DataMesh-Payments', 'DataMesh-Logistics']));
  });
});
