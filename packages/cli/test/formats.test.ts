import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { main } from '../src';
import { BASE_FIXTURE, REPO_ROOT } from './helpers';

const ORDERS = 'domains/orders/order-events-v1/data-product.yaml';

/** The base mesh with the owner of order-events-v1 changed: one MESH103 error. */
function brokenMesh(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-formats-'));
  fs.cpSync(BASE_FIXTURE, root, { recursive: true });
  const file = path.join(root, ORDERS);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('owner: orders-team', 'owner: finance-team'));
  return root;
}

async function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, env });
  return { code, stdout, stderr };
}

const ownerLine = (root: string) => fs.readFileSync(path.join(root, ORDERS), 'utf8').split('\n').findIndex((l) => l.includes('owner: finance-team')) + 1;

describe('mesh validate --format sarif', () => {
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validateSarif = ajv.compile(schema);

  it('writes a SARIF 2.1.0 log that the official JSON Schema accepts, with the rule, level and span', async () => {
    const root = brokenMesh();
    const { code, stdout } = await run(['validate', '--no-policy', '--format', 'sarif'], root);
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as { runs: { tool: { driver: { rules: Record<string, unknown>[] } }; results: Record<string, unknown>[] }[] };
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    const [rule] = log.runs[0]!.tool.driver.rules;
    expect(rule).toMatchObject({ id: 'MESH103', name: 'ownership', shortDescription: { text: expect.stringMatching(/owner team/) }, defaultConfiguration: { level: 'error' } });
    const line = ownerLine(root);
    expect(log.runs[0]!.results).toEqual([
      expect.objectContaining({
        ruleId: 'MESH103',
        ruleIndex: 0,
        level: 'error',
        locations: [{ physicalLocation: { artifactLocation: { uri: ORDERS, uriBaseId: '%SRCROOT%' }, region: { startLine: line, startColumn: 10, endLine: line, endColumn: 10 + 'finance-team'.length } } }],
      }),
    ]);
    // helpUri is an absolute link to the code's section of the docs page, which exists.
    const helpUri = new URL(rule!.helpUri as string);
    expect(helpUri.hash).toBe('#mesh103');
    expect(fs.readFileSync(fileURLToPath(helpUri), 'utf8')).toMatch(/^## MESH103$/m);
  });

  it('links the documentation at the commit checked on GitHub Actions', async () => {
    const { stdout } = await run(['validate', '--no-policy', '--format', 'sarif'], brokenMesh(), { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/mesh', GITHUB_SHA: 'abc123' });
    expect(JSON.parse(stdout).runs[0].tool.driver.rules[0].helpUri).toBe('https://github.com/acme/mesh/blob/abc123/docs/codes.md#mesh103');
  });

  it('has a schema check that can fail', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'mesh' } }, results: [{ ruleId: 'MESH103', level: 'fatal', message: { text: 'x' } }] }] })).toBe(false);
  });

  it('holds the change rules\' findings of mesh diff, and junit their failures', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-formats-diff-'));
    for (const entry of ['domains', 'platform.yaml', '.github/CODEOWNERS']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.email=dev@example.com', '-c', 'user.name=dev', ...args], { encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    const schemaFile = path.join(root, 'domains/payments/schemas/transaction_events_v1.avsc');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as { fields: { name: string }[] };
    schema.fields = schema.fields.filter((f) => f.name !== 'customer_id');
    fs.writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
    git('commit', '-q', '-am', 'drop customer_id');
    const sarif = await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'sarif'], root);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    const rules = log.runs[0].tool.driver.rules as { id: string; name: string; helpUri: string }[];
    expect(rules.find((r) => r.id === 'MESH203')).toMatchObject({ name: 'consumer-impact', helpUri: expect.stringMatching(/docs\/codes\.md#mesh203$/) });
    expect((log.runs[0].results as { ruleId: string }[]).filter((r) => r.ruleId === 'MESH203').length).toBeGreaterThan(0);
    const junit = await run(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'junit'], root);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/<failure type="MESH203" /);
  });

  it('is valid without findings too', async () => {
    const { code, stdout } = await run(['validate', '--no-policy', '--format', 'sarif'], BASE_FIXTURE);
    expect(code).toBe(0);
    expect(validateSarif(JSON.parse(stdout)) ? [] : validateSarif.errors).toEqual([]);
  });
});

describe('mesh validate --format junit', () => {
  it('writes a suite per file with a failure per error', async () => {
    const { code, stdout } = await run(['validate', '--no-policy', '--format', 'junit'], brokenMesh());
    expect(code).toBe(1);
    expect(stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mesh" tests="1" failures="1" errors="0">/);
    expect(stdout).toContain(`<testsuite name="${ORDERS}" tests="1" failures="1"`);
    expect(stdout).toMatch(/<failure type="MESH103" message="metadata.owner is &quot;finance-team&quot; but [^"]*">/);
    expect(stdout).toContain('docs: docs/codes.md#mesh103');
  });

  it('is one passing case without findings', async () => {
    const { code, stdout } = await run(['validate', '--no-policy', '--format', 'junit'], BASE_FIXTURE);
    expect(code).toBe(0);
    expect(stdout).toContain('<testcase classname="mesh" name="no findings"/>');
  });
});

describe('mesh validate --format json', () => {
  it('gives each finding its span and documentation link, keeping the other fields', async () => {
    const root = brokenMesh();
    const { stdout } = await run(['validate', '--no-policy', '--format', 'json'], root);
    const line = ownerLine(root);
    expect(JSON.parse(stdout).diagnostics).toEqual([
      { severity: 'error', code: 'MESH103', message: expect.any(String), file: ORDERS, line, column: 10, endLine: line, endColumn: 22, hint: expect.any(String), docsUrl: 'docs/codes.md#mesh103' },
    ]);
  });
});

describe('the other formats carry the link', () => {
  it('text shows it under the finding, github in the annotation', async () => {
    const root = brokenMesh();
    expect((await run(['validate', '--no-policy'], root)).stdout).toContain('docs: docs/codes.md#mesh103');
    expect((await run(['validate', '--no-policy', '--format', 'github'], root)).stdout).toContain('%0AMESH103: docs/codes.md#mesh103');
  });
});

describe.each([['check'], ['diff'], ['policy', 'test']])('mesh %s', (...command) => {
  it('offers --format sarif and junit', async () => {
    const { stdout } = await run([...command, '--help'], REPO_ROOT);
    expect(stdout).toMatch(/--format <format>[\s\S]*"sarif",\s+"junit"/);
  });
});
