import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

/**
 * REFERENCES on data: every shipment's customer_id must be a customer of customer-360's daily
 * snapshot. The example mesh is copied and the rule added to shipment-events-v2.
 */
const SHIPMENTS = 'logistics/shipment-events-v2';
const RULE = 'customer_id REFERENCES customer/customer-360.customer_snapshot_daily.customer_id';

function meshWithRule(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-references-'));
  fs.cpSync(path.join(REPO_ROOT, 'domains'), path.join(root, 'domains'), { recursive: true });
  const spec = path.join(root, 'domains', SHIPMENTS, 'data-product.yaml');
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('    - rule: "uniqueness(event_id) >= 0.999"\n', `    - rule: "uniqueness(event_id) >= 0.999"\n    - rule: "${RULE}"\n`));
  return root;
}

const root = meshWithRule();
const shipments = fs.readFileSync(path.join(root, 'domains', SHIPMENTS, 'samples', 'shipment_events_stream.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const customers = [...new Set(shipments.map((s) => s.customer_id as string))];

function write(name: string, rows: readonly Record<string, unknown>[]): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return file;
}

const customerFile = (ids: readonly (string | null)[]) => {
  const file = path.join(root, `customers-${ids.length}.csv`);
  fs.writeFileSync(file, ['customer_id', ...ids.map((id) => (id === null ? '' : id))].join('\n') + '\n');
  return file;
};

const run = (...args: string[]) => mesh(['quality', 'run', SHIPMENTS, '--root', root, '--no-freshness', '--format', 'json', ...args]);
const verdictOf = (stdout: string) => (JSON.parse(stdout) as { rules: { rule: string; verdict: string; observed?: string; message?: string; failingRows: Record<string, unknown>[] }[] }).rules.find((r) => r.rule === RULE)!;

describe('REFERENCES on data', () => {
  it('the rule validates', async () => {
    const validate = await mesh(['validate', '--root', root, '--no-policy', '--format', 'json']);
    expect(JSON.parse(validate.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
  });

  it('passes when every value is found (a NULL among the referenced values changes nothing)', async () => {
    const result = await run('--data', write('all.jsonl', shipments), '--ref-data', `customer/customer-360=${customerFile([...customers, null])}`);
    expect(verdictOf(result.stdout)).toMatchObject({ verdict: 'pass', observed: '0' });
  });

  it('fails the rows whose value is missing, and a NULL value passes', async () => {
    const rows = shipments.map((s, i) => (i === 0 ? { ...s, customer_id: 'customer-nobody' } : i === 1 ? { ...s, customer_id: null } : s));
    // the NULL is the business of "customer_id IS NOT NULL"; REFERENCES passes it
    const result = await run('--data', write('some.jsonl', rows), '--ref-data', `customer/customer-360=${customerFile(customers)}`);
    const verdict = verdictOf(result.stdout);
    expect(verdict).toMatchObject({ verdict: 'fail', observed: '1' });
    expect(verdict.failingRows.map((r) => r.customer_id)).toEqual(['customer-nobody']);
    expect(result.code).toBe(1);
  });

  it("without --ref-data reads the other product's samples", async () => {
    const result = await run('--data', write('samples.jsonl', shipments));
    // customer-360's samples are generated apart from the shipments': their ids do not match
    expect(verdictOf(result.stdout)).toMatchObject({ verdict: 'fail' });
  });

  it('says what to pass when the other product has no data, never a pass', async () => {
    fs.rmSync(path.join(root, 'domains', 'customer', 'customer-360', 'samples'), { recursive: true, force: true });
    const result = await run('--data', write('nodata.jsonl', shipments));
    expect(verdictOf(result.stdout)).toMatchObject({ verdict: 'error', message: 'no data for customer/customer-360: pass --ref-data customer/customer-360=FILE (or give it samples/)' });
    expect(result.code).toBe(1);
  });

  it('--ref-data usage errors', async () => {
    expect((await run('--ref-data', 'customer-360=x.csv')).stderr).toMatch(/expected <domain>\/<product>=FILE/);
    expect((await run('--ref-data', 'customer/nobody=x.csv')).stderr).toMatch(/no data product customer\/nobody/);
    expect((await run('--ref-data', `customer/customer-360=${path.join(root, 'missing.csv')}`)).stderr).toMatch(/no such file/);
  });

  it('the GX and DQDL exports say they cannot hold it', async () => {
    expect((await mesh(['quality', 'export', SHIPMENTS, '--root', root, '--format', 'gx'])).stderr).toMatch(/not in the GX suite: .*REFERENCES .*one table/);
    expect((await mesh(['quality', 'export', SHIPMENTS, '--root', root, '--format', 'dqdl'])).stderr).toMatch(/REFERENCES needs the other product's table/);
  });
});
