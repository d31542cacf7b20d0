import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES as POLICY_CODES } from '@data-mesh/policy';
import { CHANGE_RULES, FAILING_EXAMPLES, PASSING_EXAMPLES, RULES } from '@data-mesh/spec';
import { CODE_CATALOG, CODES_PAGE, codeAnchor, docsUrl } from '../src/codes';
import { codesPage } from '../src/commands/explain';
import { mesh, REPO_ROOT } from './helpers';

describe('mesh explain', () => {
  it("prints the rule's title, description, a failing and a passing example and the documentation link", async () => {
    const { code, stdout } = await mesh(['explain', 'MESH103']);
    expect(code).toBe(0);
    const rule = RULES.find((r) => r.code === 'MESH103')!;
    expect(stdout).toContain(`MESH103 ownership (error; contract rule, mesh validate)\n${rule.title}\n`);
    expect(stdout).toContain('Fails (owner is not the owner team):\n  in domains/orders/order-events-v1/data-product.yaml\n    - owner: orders-team\n    + owner: finance-team\n');
    expect(stdout).toContain('Passes: the example mesh as it is, without that change (it passes every rule).');
    expect(stdout).toContain('Documentation: docs/codes.md#mesh103\n');
  });

  it('shows the passing example a rule has, and takes a bare number or a rule name', async () => {
    const byNumber = await mesh(['explain', '118']);
    expect(byNumber.stdout).toContain('Passes (deprecated with a sunset):\n  in domains/orders/order-events-v1/data-product.yaml\n');
    expect(byNumber.stdout).toContain('+       sunset: "2027-03-31"');
    expect((await mesh(['explain', 'deprecation'])).stdout).toBe(byNumber.stdout);
  });

  it('explains the codes of every registry: a change rule, a policy code, an infra code', async () => {
    expect((await mesh(['explain', 'MESH203'])).stdout).toMatch(/^MESH203 consumer-impact \(error; change rule/);
    expect((await mesh(['explain', 'MESH312'])).stdout).toMatch(/^MESH312 restricted-access-policy \(error; governance policy/);
    expect((await mesh(['explain', 'MESH505'])).stdout).toMatch(/^MESH505 product-not-synthesizable \(error; infrastructure/);
  });

  it('rejects an unknown code with exit 2, suggesting the closest codes', async () => {
    const run = await mesh(['explain', 'MESH1O3']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('mesh: unknown code "MESH1O3"\n  did you mean MESH103, MESH113, MESH123? (mesh explain lists every code)\n');
    expect((await mesh(['explain', 'nonsense-at-all'])).stderr).toBe('mesh: unknown code "nonsense-at-all"\n  mesh explain lists every code\n');
  });

  it('lists every code without one', async () => {
    const { code, stdout } = await mesh(['explain']);
    expect(code).toBe(0);
    for (const c of CODE_CATALOG) expect(stdout).toContain(`${c.code}  ${c.name}`);
  });

  it('gives the examples as JSON, the message pattern as its source', async () => {
    const json = JSON.parse((await mesh(['explain', 'MESH110', '--format', 'json'])).stdout);
    expect(json).toMatchObject({ code: 'MESH110', name: 'sla-grammar', docsUrl: 'docs/codes.md#mesh110', failing: { name: 'freshness outside the grammar', message: 'not understood' }, passing: null });
  });
});

describe('the code catalog', () => {
  it('holds every code of every registry, once', () => {
    const catalog = new Set(CODE_CATALOG.map((c) => c.code));
    expect(catalog.size).toBe(CODE_CATALOG.length);
    const registered = [...RULES.map((r) => r.code), ...CHANGE_RULES.map((r) => r.code), ...Object.values(POLICY_CODES)];
    expect(registered.filter((c) => !catalog.has(c))).toEqual([]);
  });

  it('holds every code the sources report (the infra codes have no registry)', () => {
    const found = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        // (not the catalog itself)
        else if (entry.name.endsWith('.ts') && full !== path.join(REPO_ROOT, 'packages/cli/src/codes.ts')) for (const m of fs.readFileSync(full, 'utf8').matchAll(/['"`](MESH\d{3})['"`]/g)) found.add(m[1]!);
      }
    };
    const sources = [...fs.readdirSync(path.join(REPO_ROOT, 'packages')).map((p) => path.join('packages', p, 'src')), 'infra/src', 'actions/mesh-check/src'];
    for (const dir of sources) if (fs.existsSync(path.join(REPO_ROOT, dir))) walk(path.join(REPO_ROOT, dir));
    expect(found.size).toBeGreaterThan(60);
    const catalog = new Set(CODE_CATALOG.map((c) => c.code));
    expect([...found].filter((c) => !catalog.has(c)).sort()).toEqual([]);
  });

  it('has a failing example for every rule of mesh validate, and examples only of known codes', () => {
    for (const rule of RULES) expect(FAILING_EXAMPLES.some((e) => e.code === rule.code)).toBe(true);
    const catalog = new Set(CODE_CATALOG.map((c) => c.code));
    expect([...FAILING_EXAMPLES, ...PASSING_EXAMPLES].filter((e) => !catalog.has(e.code))).toEqual([]);
  });
});

describe('docs/codes.md', () => {
  const page = fs.readFileSync(path.join(REPO_ROOT, CODES_PAGE), 'utf8');

  it('has a section for every code, at the anchor its findings link', () => {
    // GitHub's anchor of a heading "## MESH103" is "mesh103".
    const anchors = new Set([...page.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    const missing = CODE_CATALOG.filter((c) => !anchors.has(codeAnchor(c.code)) || !docsUrl(c.code).endsWith(`${CODES_PAGE}#${codeAnchor(c.code)}`));
    expect(missing.map((c) => c.code)).toEqual([]);
  });

  it('is what mesh explain --format markdown generates', () => {
    expect(page).toBe(codesPage());
  });
});
