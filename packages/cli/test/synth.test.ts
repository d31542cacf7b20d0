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
    // A 60 s SLA is measured every 30 s now: no under-sampling warning.
    expect(run.stdout).not.toMatch(/needs a measurement every/);
    // The stream-only product's row-level rules run in the SDK at publish time; none is dropped silently.
    expect(run.stdout).toMatch(/^ {2}1:1 {2}info {2}MESH516 {2}customer\/customer-events-v1: \d+ quality rule\(s\) run only in the SDK at publish time /m);
    const warnings = (run.stdout.match(/ warning {2}MESH516 /g) ?? []).length;
    expect(run.stdout).toMatch(new RegExp(`^✔ 7 template\\(s\\) in \\S+, 0 error\\(s\\), ${warnings + 1} warning\\(s\\)$`, 'm')); // + the example config's MESH501
    expect(run.stdout).toMatch(/DataMesh-Dashboards\.template\.json {2}\(\d+ resources\)/);
    expect(run.stdout).toMatch(/^ {2}quality rules: [1-9]\d* on Glue Data Quality tables, [1-9]\d* only in the SDK at publish time, \d+ nowhere/m);
    expect(run.stdout).toMatch(/DataMesh-Governance\.template\.json {2}\(\d+ resources\)/);
  });

  it('--format json says where every quality rule runs: each rule of each product, with its places or why it runs nowhere', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-quality-'));
    const report = JSON.parse((await mesh(['synth', '--out', out, '--format', 'json'])).stdout) as { quality: { product: string; rules: { rule: string; runs: { engine: string; port: string }[]; notRunReason?: string }[] }[] };
    const events = report.quality.find((q) => q.product === 'customer/customer-events-v1')!;
    const spec = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'domains', 'customer', 'customer-events-v1', 'data-product.yaml'), 'utf8');
    expect(events.rules).toHaveLength((spec.match(/^\s*- rule: /gm) ?? []).length);
    for (const r of events.rules) expect(r.runs.length > 0 || (r.notRunReason ?? '').length > 0).toBe(true);
    expect(events.rules.some((r) => r.runs.some((run) => run.engine === 'sdk-publish' && run.port === 'customer_events_stream'))).toBe(true);
    // The stream-only products' aggregate rules (uniqueness of an event id) have no table to run on: reported, not dropped.
    const nowhere = report.quality.flatMap((q) => q.rules).filter((r) => r.runs.length === 0);
    for (const r of nowhere) expect(r.notRunReason).toMatch(/aggregate rule/);
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
      expect(text.stdout).toMatch(/^✖ 7 template\(s\) in \S+, [1-9]\d* error\(s\)/m);
    } finally {
      spy.mockRestore();
    }
  });
});
