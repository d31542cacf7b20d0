import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataProduct } from '@data-mesh/cdk';
import { Annotations } from 'aws-cdk-lib';
import { mesh } from './helpers';

jest.setTimeout(180_000);

describe('mesh synth prints what the constructs raise', () => {
  it('the warnings of the example domains, at their product and port, and still ✔', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-text-'));
    const run = await mesh(['synth', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^domains\/customer\/customer-events-v1\/data-product\.yaml$/m);
    expect(run.stdout).toMatch(/^ {2}20:13 {2}warning {2}MESH516 {2}customer\/customer-events-v1\/customer_events_stream: an SLA of 60s needs a measurement every 30s; EventBridge Scheduler's shortest rate is 1 minute$/m);
    expect(run.stdout).toMatch(/^ {2}1:1 {2}warning {2}MESH516 {2}customer\/customer-events-v1: no batch port has every column of: /m);
    const warnings = (run.stdout.match(/ warning {2}MESH516 /g) ?? []).length;
    expect(warnings).toBeGreaterThanOrEqual(6);
    expect(run.stdout).toMatch(new RegExp(`^✔ 6 template\\(s\\) in \\S+, 0 error\\(s\\), ${warnings + 1} warning\\(s\\)$`, 'm')); // + the example config's MESH501
    expect(run.stdout).toMatch(/DataMesh-Governance\.template\.json {2}\(\d+ resources\)/);
  });

  it('an error a construct raises fails the synth (exit 1, ✖), at the product', async () => {
    // A construct raising an error annotation: none of this repository's does today, so one is made to.
    const grantConsumers = DataProduct.prototype.grantConsumers;
    const spy = jest.spyOn(DataProduct.prototype, 'grantConsumers').mockImplementation(function (this: DataProduct, ...args) {
      Annotations.of(this).addError('the grants cannot be made');
      return grantConsumers.apply(this, args);
    });
    try {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-error-'));
      const run = await mesh(['synth', '--out', out, '--format', 'json']);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.ok).toBe(false);
      const errors = report.diagnostics.filter((d: { severity: string }) => d.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toMatchObject({ code: 'MESH516', file: expect.stringMatching(/^domains\/[^/]+\/[^/]+\/data-product\.yaml$/), message: expect.stringMatching(/^[a-z]+\/[a-z0-9-]+: the grants cannot be made$/) });
      const text = await mesh(['synth', '--out', out]);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^✖ 6 template\(s\) in \S+, [1-9]\d* error\(s\)/m);
    } finally {
      spy.mockRestore();
    }
  });
});
