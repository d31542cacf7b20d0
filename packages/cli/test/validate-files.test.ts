import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

const C360 = 'domains/customer/customer-360/data-product.yaml';
const REFUNDS = 'domains/payments/refund-events-v1/data-product.yaml';
const EVENTS_SCHEMA = 'domains/customer/schemas/customer_events_v1.avsc';

function copyOfExamples(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-files-'));
  for (const entry of ['domains', 'platform.yaml', '.github/CODEOWNERS']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  return root;
}

function edit(root: string, file: string, from: string, to: string): void {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  fs.writeFileSync(full, text.replace(from, to));
}

interface Report {
  diagnostics: { code: string; file: string; line: number }[];
  summary: { domains: number; products: number; errors: number; warnings: number };
}

async function validate(args: string[], cwd: string): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await mesh(['validate', '--no-policy', '--format', 'json', ...args], { cwd });
  return { code: run.code, report: run.stdout ? (JSON.parse(run.stdout) as Report) : (undefined as unknown as Report), stderr: run.stderr };
}

const found = (report: Report) => report.diagnostics.map((d) => `${d.code} ${d.file}`);

describe('mesh validate FILE...', () => {
  it('reports only the named specs, counted in the summary and the exit code', async () => {
    const root = copyOfExamples();
    edit(root, REFUNDS, 'owner: payments-engineering', 'owner: someone-else'); // MESH103
    const whole = await validate([], root);
    expect(found(whole.report)).toEqual([`MESH103 ${REFUNDS}`]);

    const clean = await validate([C360], root);
    expect(clean).toEqual({ code: 0, stderr: '', report: { diagnostics: [], summary: { domains: 1, products: 1, errors: 0, warnings: 0 } } });

    const broken = await validate([REFUNDS, C360], root);
    expect(broken.code).toBe(1);
    expect(found(broken.report)).toEqual([`MESH103 ${REFUNDS}`]);
    expect(broken.report.summary).toEqual({ domains: 2, products: 2, errors: 1, warnings: 0 });

    const text = await mesh(['validate', '--no-policy', C360], { cwd: root });
    expect(text.stdout).toBe('✔ 0 errors, 0 warnings in 1 named product across 1 domain (references resolved against all 9)\n');
  });

  it('paths are relative to the current folder, and the root is found upward from it', async () => {
    const root = copyOfExamples();
    edit(root, REFUNDS, 'owner: payments-engineering', 'owner: someone-else');
    const run = await validate(['refund-events-v1/data-product.yaml'], path.join(root, 'domains/payments'));
    expect(found(run.report)).toEqual([`MESH103 ${REFUNDS}`]);
    expect((await validate(['data-product.yaml'], path.join(root, 'domains/customer/customer-360'))).code).toBe(0);
  });

  it('cross-product references resolve against the whole mesh', async () => {
    const root = copyOfExamples();
    // customer-360 reads occurred_at of customer-events-v1: renamed in the source's schema
    edit(root, EVENTS_SCHEMA, '{"name": "occurred_at"', '{"name": "occurred_time"');
    const consumer = await validate([C360], root);
    expect(consumer.code).toBe(1);
    expect(found(consumer.report)).toEqual(expect.arrayContaining([`MESH109 ${C360}`]));
    expect(consumer.report.diagnostics.every((d) => d.file === C360)).toBe(true);
    // the schema named: its own product's findings (the source's quality rules), not its readers'
    const schema = await validate([EVENTS_SCHEMA], root);
    expect(schema.report.diagnostics.length).toBeGreaterThan(0);
    expect(schema.report.diagnostics.every((d) => d.file === 'domains/customer/customer-events-v1/data-product.yaml' || d.file === EVENTS_SCHEMA)).toBe(true);
    expect(schema.report.summary).toMatchObject({ products: 1, domains: 1 });
  });

  it('a folder names every spec and schema under it', async () => {
    const root = copyOfExamples();
    edit(root, REFUNDS, 'owner: payments-engineering', 'owner: someone-else');
    const payments = await validate(['domains/payments'], root);
    expect(payments.report.summary).toEqual({ domains: 1, products: 3, errors: 1, warnings: 0 });
    expect((await validate(['domains/logistics'], root)).report.summary).toEqual({ domains: 1, products: 3, errors: 0, warnings: 0 });
    expect((await validate(['.'], root)).report).toEqual((await validate([], root)).report);
  });

  it('findings in the domain map (and outside domains/) are always reported: every product depends on them', async () => {
    const root = copyOfExamples();
    edit(root, 'domains/domain-map.yaml', '      - refund-events-v1\n', ''); // its folder is no longer listed: MESH102 at the map
    const run = await validate([C360], root);
    expect(run.code).toBe(1);
    expect(found(run.report)).toEqual(['MESH102 domains/domain-map.yaml']);
    fs.writeFileSync(path.join(root, '.github/CODEOWNERS'), '# stale\n');
    expect(found((await validate([C360], root)).report)).toEqual(['MESH117 .github/CODEOWNERS', 'MESH102 domains/domain-map.yaml']);
    expect(found((await validate(['domains/domain-map.yaml'], root)).report)).toEqual(['MESH117 .github/CODEOWNERS', 'MESH102 domains/domain-map.yaml']);
  });

  it('the governance standards too: only the named products\' findings', async () => {
    const run = await mesh(['validate', '--format', 'json', C360], { cwd: REPO_ROOT });
    expect(run.code).toBe(0);
    expect(found(JSON.parse(run.stdout) as Report)).toEqual([`MESH317 ${C360}`]);
  });

  it('a file that is not there, not of the mesh or outside it: exit 2, naming it', async () => {
    const root = copyOfExamples();
    const cases: [string, RegExp][] = [
      ['domains/customer/nope/data-product.yaml', /^mesh: domains\/customer\/nope\/data-product\.yaml: no such file or folder\n/],
      ['platform.yaml', /^mesh: platform\.yaml is not a data-product spec, an Avro schema or the domain map of the mesh\n {2}mesh validate reads /],
      [os.tmpdir(), /is outside the mesh at /],
      ['domains/customer/policies', /^mesh: domains\/customer\/policies holds no data-product spec or Avro schema of the mesh\n/],
    ];
    for (const [file, message] of cases) {
      const run = await mesh(['validate', '--no-policy', file], { cwd: root });
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
    }
  });
});
