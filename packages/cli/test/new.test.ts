import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mesh, REPO_ROOT } from './helpers';

/** The example domains with the governance and pinned tools, so that mesh validate runs every check, standards included. */
function copyOfExamples(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-new-'));
  for (const entry of ['domains', 'platform.yaml', '.github/CODEOWNERS', 'governance', 'tools/versions.env']) fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  fs.mkdirSync(path.join(root, '.tools'));
  fs.symlinkSync(path.join(REPO_ROOT, '.tools', 'bin'), path.join(root, '.tools', 'bin'));
  return root;
}

/** Every file under a folder with its content, to tell that a refused command changed nothing. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(path.join(root, 'domains'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.join(entry.parentPath, entry.name)] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

interface Report {
  diagnostics: { code: string; severity: string; file: string }[];
  summary: { domains: number; products: number; errors: number; warnings: number };
}

describe('mesh new <domain>/<product>', () => {
  it.each([
    [['--source'], 'payments/chargeback-events-v1', 'source_products', 'domains/payments/schemas/chargeback_events_v1.avsc'],
    [['--consumer'], 'logistics/carrier-scorecard', 'consumer_products', 'domains/logistics/schemas/carrier_scorecard_v1.avsc'],
    [[], 'customer/loyalty-events-v2', 'source_products', 'domains/customer/schemas/loyalty_events_v2.avsc'],
  ])('%j %s: spec, schema and map entry (no flag: a source), and mesh validate passes on the first run', async (flags, name, list, schema) => {
    const root = copyOfExamples();
    const before = JSON.parse((await mesh(['validate', '--format', 'json'], { cwd: root })).stdout) as Report;
    const spec = `domains/${name}/data-product.yaml`;
    const run = await mesh(['new', name, ...flags], { cwd: root });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const [domain, product] = name.split('/');
    expect(run.stdout).toBe(
      `created ${spec}\ncreated ${schema}\nadded ${product} to the ${list} of ${domain} in domains/domain-map.yaml\n\n` +
        `Fill in the TODOs (the description, the schema's fields, quality rules, governance), then run\n  mesh validate ${spec}\n`,
    );
    // the whole mesh: one product more, the same findings as before (the examples' two warnings)
    const after = await mesh(['validate', '--format', 'json'], { cwd: root });
    expect(after.code).toBe(0);
    const report = JSON.parse(after.stdout) as Report;
    expect(report.diagnostics).toEqual(before.diagnostics);
    expect(report.summary).toEqual({ ...before.summary, products: before.summary.products + 1 });
    // the new product alone: not a finding
    const alone = await mesh(['validate', '--format', 'json', spec], { cwd: root });
    expect(JSON.parse(alone.stdout)).toEqual({ diagnostics: [], summary: { domains: 1, products: 1, errors: 0, warnings: 0 } });
    // the map gained one line, under the domain's list
    const map = fs.readFileSync(path.join(root, 'domains/domain-map.yaml'), 'utf8').split('\n');
    const original = fs.readFileSync(path.join(REPO_ROOT, 'domains/domain-map.yaml'), 'utf8').split('\n');
    expect(map.filter((line) => !original.includes(line))).toEqual([`      - ${product}`]);
    expect(map.length).toBe(original.length + 1);
    // the same again is refused: the product exists
    const again = await mesh(['new', name, ...flags], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^mesh: ${name} is already listed in domains/domain-map.yaml\n`));
  });

  it('works from inside a domain, the paths it prints relative to there', async () => {
    const root = copyOfExamples();
    const cwd = path.join(root, 'domains/payments');
    const run = await mesh(['new', 'payments/dispute-events-v1'], { cwd });
    expect(run.stdout).toMatch(/^created dispute-events-v1\/data-product\.yaml\ncreated schemas\/dispute_events_v1\.avsc\nadded dispute-events-v1 to the source_products of payments in \.\.\/domain-map\.yaml\n/);
    expect((await mesh(['validate', '--no-policy', 'dispute-events-v1/data-product.yaml'], { cwd })).code).toBe(0);
  });

  it('refuses to overwrite, and bad names, unknown domains and both kinds at once, changing nothing', async () => {
    const root = copyOfExamples();
    fs.mkdirSync(path.join(root, 'domains/payments/half-done'));
    fs.writeFileSync(path.join(root, 'domains/payments/schemas/taken_v1.avsc'), '{}');
    const files = snapshot(root);
    const cases: [string[], string][] = [
      [['new', 'payments/refund-events-v1'], 'mesh: payments/refund-events-v1 is already listed in domains/domain-map.yaml\n  edit domains/payments/refund-events-v1/data-product.yaml, or choose another name\n'],
      [['new', 'payments/half-done'], 'mesh: domains/payments/half-done/ exists already: mesh new never overwrites a product\n  choose another name, or remove the folder\n'],
      [['new', 'payments/taken'], 'mesh: domains/payments/schemas/taken_v1.avsc exists already: mesh new never overwrites a schema\n  choose another product name, or write the spec by hand for that schema\n'],
      [['new', 'billing/invoices'], 'mesh: "billing" is not a domain of domains/domain-map.yaml (its domains: customer, logistics, payments)\n  a new domain needs its owner_team and oncall_pagerduty: ask the platform team to add it to domains/domain-map.yaml (then mesh codeowners), or check the spelling\n'],
      [['new', 'payments/Refund_Events'], 'mesh: "Refund_Events" is not a valid product name: kebab-case, lowercase letters and digits separated by single hyphens, starting with a letter\n  name it <domain>/<product>, e.g. payments/refund-events-v1\n'],
      [['new', 'payments/schemas'], 'mesh: "schemas" is a reserved folder name and cannot name a product\n  name it <domain>/<product>, e.g. payments/refund-events-v1\n'],
      [['new', 'refund-events-v2'], 'mesh: "refund-events-v2" is not <domain>/<product>\n  e.g. mesh new payments/refund-events-v1\n'],
      [['new', 'payments/a/b'], 'mesh: "payments/a/b" is not <domain>/<product>\n  e.g. mesh new payments/refund-events-v1\n'],
      [['new', 'payments/x', '--source', '--consumer'], 'mesh: --source and --consumer exclude each other\n  a source product publishes raw events; a consumer product aggregates or joins other products\n'],
    ];
    for (const [args, stderr] of cases) expect(await mesh(args, { cwd: root })).toEqual({ code: 2, stdout: '', stderr });
    expect((await mesh(['new'], { cwd: root })).code).toBe(2);
    expect(snapshot(root)).toEqual(files);
  });
});
