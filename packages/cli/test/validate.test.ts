import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_FIXTURE, mesh, REPO_ROOT } from './helpers';

/** The repository's governance and pinned tools beside a mesh, so that `mesh validate` runs the standards on it. */
function withGovernance(root: string): string {
  for (const entry of ['governance', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  return root;
}

function copyOfBase(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cli-'));
  fs.cpSync(BASE_FIXTURE, root, { recursive: true });
  return withGovernance(root);
}

/** The example domains, to break a governance standard in. */
function copyOfExamples(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cli-examples-'));
  for (const entry of ['domains', 'platform.yaml', '.github/CODEOWNERS']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  return withGovernance(root);
}

function breakOwner(root: string): void {
  const file = path.join(root, 'domains/orders/order-events-v1/data-product.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('owner: orders-team', 'owner: someone-else'));
}

describe('mesh validate on the repository', () => {
  it('finds 3 domains, 9 products, no errors, and the warnings mesh check reports', async () => {
    const run = await mesh(['validate', '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ domains: 3, products: 9, errors: 0, warnings: 2 });
    // the two GDPR-scoped streams of the examples keep erased subjects' records too long (a standard)
    expect(report.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`)).toEqual([
      'MESH317 domains/customer/customer-360/data-product.yaml',
      'MESH317 domains/customer/customer-events-v1/data-product.yaml',
    ]);
    const check = JSON.parse((await mesh(['check', '--format', 'json', '--policy-tests', 'never'])).stdout);
    expect(report.diagnostics).toEqual(check.diagnostics);
  });
});

describe('mesh validate runs the governance standards (what mesh check enforces)', () => {
  const EVENTS = 'domains/customer/customer-events-v1/data-product.yaml';
  const untag = (root: string) => {
    const file = path.join(root, EVENTS);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tags: [pii, gdpr-scoped,', 'tags: [gdpr-scoped,'));
  };

  it('a product with PII fields but no pii tag fails at its tags (MESH310), counted in the summary', async () => {
    const root = copyOfExamples();
    const clean = await mesh(['validate', '--root', root, '--format', 'json']);
    expect(JSON.parse(clean.stdout).diagnostics.filter((d: { code: string }) => d.code.startsWith('MESH3'))).toEqual(
      JSON.parse((await mesh(['validate', '--format', 'json'])).stdout).diagnostics.filter((d: { code: string }) => d.code.startsWith('MESH3')),
    );
    untag(root);
    const run = await mesh(['validate', '--root', root, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const finding = report.diagnostics.find((d: { code: string }) => d.code === 'MESH310');
    expect(finding).toMatchObject({ severity: 'error', file: EVENTS, message: expect.stringContaining("declares PII fields (ip_address) but is not tagged 'pii'") });
    expect(fs.readFileSync(path.join(root, EVENTS), 'utf8').split('\n')[finding.line - 1]).toMatch(/^ {2}tags: \[gdpr-scoped/);
    // with the span of the node, as the contract rules' findings
    expect(finding.endLine).toBe(finding.line);
    expect(fs.readFileSync(path.join(root, EVENTS), 'utf8').split('\n')[finding.line - 1]!.slice(finding.column - 1, finding.endColumn - 1)).toMatch(/\[gdpr-scoped[^\]]*\]$/);
    expect(report.summary).toEqual({
      domains: 3, products: 9,
      errors: report.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length,
      warnings: report.diagnostics.filter((d: { severity: string }) => d.severity === 'warning').length,
    });
    expect(report.summary.errors).toBeGreaterThanOrEqual(1);
    const text = await mesh(['validate', '--root', root]);
    expect(text.stdout).toMatch(/ error {2}MESH310 {2}customer\/customer-events-v1: the product declares PII fields/);
    expect(text.stdout).toMatch(/^✖ [1-9]\d* errors?, /m);
  });

  it('--no-policy skips them', async () => {
    const root = copyOfExamples();
    untag(root);
    const run = await mesh(['validate', '--root', root, '--format', 'json', '--no-policy']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).diagnostics.filter((d: { code: string }) => d.code.startsWith('MESH3'))).toEqual([]);
  });

  it('without opa: a MESH300 error that says how to install it (or skip)', () => {
    const root = copyOfExamples();
    fs.rmSync(path.join(root, '.tools'), { recursive: true });
    const bin = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');
    const run = spawnSync(process.execPath, [bin, 'validate', '--root', root, '--format', 'json'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir() } });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'MESH300', message: expect.stringMatching(/^opa not found: opa [\d.]+ is not installed .*: the governance standards were not checked$/), hint: expect.stringMatching(/npm run setup.*--no-policy/) }));
    expect(report.summary.errors).toBeGreaterThanOrEqual(1);
  });
});

describe('mesh validate --format json', () => {
  it('prints exactly the documented shape, files relative to the root', async () => {
    const root = copyOfBase();
    breakOwner(root);
    const run = await mesh(['validate', '--root', root, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['diagnostics', 'summary']);
    expect(Object.keys(report.summary)).toEqual(['domains', 'products', 'errors', 'warnings']);
    expect(report.summary).toEqual({ domains: 2, products: 2, errors: 1, warnings: 0 });
    expect(report.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'MESH103',
        message: expect.stringContaining('"someone-else"'),
        file: 'domains/orders/order-events-v1/data-product.yaml',
        line: 6,
        column: 10,
        endLine: 6,
        endColumn: 22,
        hint: expect.any(String),
        docsUrl: 'docs/codes.md#mesh103',
      },
    ]);
    expect(Object.keys(report.diagnostics[0])).toEqual(['severity', 'code', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint', 'docsUrl']);
  });

  it('exits 0 with warnings only', async () => {
    const root = copyOfBase();
    const file = path.join(root, 'domains/finance/revenue-daily/data-product.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('uptime: "99.5%"', 'uptime: "99.999%"'));
    const run = await mesh(['validate', '--root', root, '--format', 'json']);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ errors: 0, warnings: 1 });
    expect(run.code).toBe(0);
  });
});

describe('mesh validate --format text', () => {
  it('groups by file and shows the line with a caret under the column', async () => {
    const root = copyOfBase();
    breakOwner(root);
    const run = await mesh(['validate', '--root', root]);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('domains/orders/order-events-v1/data-product.yaml');
    expect(lines[1]).toMatch(/^ {2}6:10 {2}error {2}MESH103 {2}metadata\.owner is "someone-else"/);
    expect(lines[2]).toBe('     6 |   owner: someone-else');
    expect(lines[3]).toBe('       |          ^');
    expect(run.stdout).toContain('✖ 1 error, 0 warnings in 2 products across 2 domains');
  });

  it('colours only when asked', async () => {
    const root = copyOfBase();
    breakOwner(root);
    expect((await mesh(['validate', '--root', root], { color: false })).stdout).not.toContain('\u001b[');
    expect((await mesh(['validate', '--root', root], { color: true })).stdout).toContain('\u001b[31m');
  });
});

describe('mesh validate --format github', () => {
  it('prints workflow commands with escaped data and repository-relative files', async () => {
    const root = copyOfBase();
    breakOwner(root);
    const parent = path.dirname(root);
    const run = await mesh(['validate', '--root', path.basename(root), '--format', 'github'], { cwd: parent });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^::error file=${path.basename(root)}/domains/orders/order-events-v1/data-product.yaml,line=6,col=10,title=MESH103::metadata.owner is "someone-else".*%0A`),
    );
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['validate', '--format', 'xml']],
    [['validate', '--bogus']],
    [['no-such-command']],
    [['validate', '--root', '/no/such/dir']],
    [['validate', '--jobs', '0']],
  ])('mesh %j', async (args) => {
    const run = await mesh(args);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/);
    expect(run.stderr).not.toBe('');
  });

  it('--help exits 0', async () => {
    const run = await mesh(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('validate');
    expect((await mesh(['validate', '--help'])).stdout).toMatch(/--no-policy +skip the governance standards/);
  });
});

describe('the mesh binary', () => {
  it('runs as a process with the same exit codes', () => {
    const bin = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');
    const root = copyOfBase();
    expect(spawnSync(process.execPath, [bin, 'validate', '--root', root]).status).toBe(0);
    breakOwner(root);
    const broken = spawnSync(process.execPath, [bin, 'validate', '--root', root, '--format', 'json'], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout).summary.errors).toBe(1);
    expect(spawnSync(process.execPath, [bin, 'validate', '--format', 'yaml'], { encoding: 'utf8' }).status).toBe(2);
  });
});

describe('mesh validate --jobs', () => {
  it('gives the same report with worker threads as in one thread', () => {
    const bin = path.join(REPO_ROOT, 'packages/cli/bin/mesh.js');
    const root = copyOfBase();
    breakOwner(root);
    const revenue = path.join(root, 'domains/finance/revenue-daily/data-product.yaml');
    fs.writeFileSync(
      revenue,
      fs.readFileSync(revenue, 'utf8').replace('fields: [order_id, amount,', 'fields: [order_id, amount_usd,').replace('"revenue_usd >= 0"', '"revenue >= 0"'),
    );
    const run = (jobs: string) => spawnSync(process.execPath, [bin, 'validate', '--root', root, '--format', 'json', '--jobs', jobs], { encoding: 'utf8' });
    const single = run('1');
    const threaded = run('2');
    expect(single.status).toBe(1);
    expect(threaded.status).toBe(1);
    const codes = JSON.parse(single.stdout).diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['MESH103', 'MESH109', 'MESH402']));
    expect(threaded.stdout).toBe(single.stdout);
  });
});

describe('mesh codeowners', () => {
  it('writes CODEOWNERS that validate accepts, and validate fails when it goes stale', async () => {
    const root = copyOfBase();
    fs.rmSync(path.join(root, '.github'), { recursive: true, force: true });
    const missing = await mesh(['validate', '--root', root, '--format', 'json']);
    expect(JSON.parse(missing.stdout).diagnostics).toEqual([expect.objectContaining({ code: 'MESH117', severity: 'info' })]);
    expect(missing.code).toBe(0);

    fs.writeFileSync(path.join(root, 'platform.yaml'), 'github:\n  organization: acme\n  platform_team: mesh-core\n');
    expect((await mesh(['codeowners', '--root', root])).code).toBe(0);
    const written = fs.readFileSync(path.join(root, '.github/CODEOWNERS'), 'utf8');
    expect(written).toMatch(/^\/domains\/orders\/\s+@acme\/orders-team$/m);
    expect(written).toMatch(/^\/domains\/domain-map\.yaml\s+@acme\/mesh-core$/m);
    expect(written).toMatch(/^\/governance\/\s+@acme\/mesh-core$/m);
    expect(written.indexOf('/domains/orders/')).toBeLessThan(written.indexOf('/domains/domain-map.yaml'));
    expect((await mesh(['validate', '--root', root])).code).toBe(0);

    const map = path.join(root, 'domains/domain-map.yaml');
    fs.writeFileSync(map, fs.readFileSync(map, 'utf8').replace('owner_team: orders-team', 'owner_team: order-squad'));
    const file = path.join(root, 'domains/orders/order-events-v1/data-product.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('owner: orders-team', 'owner: order-squad'));
    const stale = await mesh(['validate', '--root', root, '--format', 'json']);
    expect(stale.code).toBe(1);
    expect(JSON.parse(stale.stdout).diagnostics).toEqual([expect.objectContaining({ code: 'MESH117', file: '.github/CODEOWNERS', line: expect.any(Number) })]);
  });

  it('the committed CODEOWNERS of this repository is current', () => {
    const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'packages/cli/bin/mesh.js'), 'codeowners', '--stdout'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(fs.readFileSync(path.join(REPO_ROOT, '.github/CODEOWNERS'), 'utf8')).toBe(out);
  });
});
