import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { validateChange, validateMesh, validateMeshParallel } from '../src';
import { applyEdits, gitMesh, lineOf, meshWith, ORDERS, replace, REVENUE, validate } from './helpers';

/** Six errors in one spec: two the JSON Schema finds, four only the rules beyond it find. */
const SIX_ERRORS = {
  [REVENUE]: (old: string) =>
    [
      replace('  domain: finance\n', '  domain: finance\n  tagz: [finance]\n'),
      replace('        uptime: "99.5%"', '        uptime: "99.5%"\n      recordTimeFeld: day'),
      replace('freshness: "< 2 hours after midnight UTC"', 'freshness: "two hours, more or less"'),
      replace('billing.country]', 'billing.country, coupon_code]'),
      replace('"revenue_usd >= 0"', '"refunds_usd >= 0"'),
      replace('"day > (NOW() - INTERVAL 400 DAY)"', '"day > (NOW() - INTERVAL"'),
    ].reduce((text, edit) => edit(text), old),
};

describe('a spec that fails its JSON Schema', () => {
  it('still gets every finding the rest of the document allows, in one run, each at its line', () => {
    const root = meshWith(SIX_ERRORS);
    const found = validate(root).filter((d) => d.file === REVENUE);
    const at = (marker: string) => lineOf(root, REVENUE, marker);
    expect(found.map((d) => [d.code, d.line])).toEqual(
      [
        ['MESH101', at('tagz')],
        ['MESH101', at('recordTimeFeld')],
        ['MESH110', at('two hours')],
        ['MESH109', at('coupon_code')],
        ['MESH402', at('refunds_usd')],
        ['MESH401', at('INTERVAL"')],
      ].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
    expect(found.find((d) => d.message.includes('tagz'))?.message).toContain('did you mean "tags"?');
  });

  it('gives the same findings on several threads as on one', async () => {
    const root = meshWith(SIX_ERRORS);
    const parallel = await validateMeshParallel(root, { jobs: 2, minProductsPerJob: 1 });
    expect(parallel.diagnostics).toEqual(validateMesh(root).diagnostics);
  });

  it('gives the same findings when only the change is checked (mesh check)', () => {
    const { root } = gitMesh();
    applyEdits(root, SIX_ERRORS);
    expect(validateChange(root, { base: 'HEAD' }).diagnostics).toEqual(validateMesh(root).diagnostics);
  });

  it('positions findings after a removed list item at their own line', () => {
    // The first quality check is broken and taken out: the second one's finding must still point at the second.
    const root = meshWith({
      [REVENUE]: replace('    - rule: "revenue_usd >= 0"', '    - rule: "revenue_usd >= 0"\n      severity: fatal\n    - rule: "nothing_here IS NOT NULL"'),
    });
    const found = validate(root).filter((d) => d.file === REVENUE);
    expect(found.map((d) => [d.code, d.line])).toEqual([
      ['MESH101', lineOf(root, REVENUE, 'severity: fatal')],
      ['MESH402', lineOf(root, REVENUE, 'nothing_here')],
    ]);
  });

  it('does not judge readers against a port it lost: their findings would be about the broken node', () => {
    // The orders port loses its SLA (a required key): the port is taken out of the salvaged spec.
    const root = meshWith({ [ORDERS]: replace(/ {6}sla:\n {8}freshness: "< 1 minute"\n {8}uptime: "99.99%"\n/, '') });
    const found = validate(root);
    expect(found.map((d) => d.code)).toEqual(['MESH101']);
    expect(found[0]!.file).toBe(ORDERS);
  });

  it('is judged only by its schema when its metadata is broken (nothing is left to name the product by)', () => {
    const root = meshWith({ [REVENUE]: (old) => replace('version: "3.0.1"', 'version: 3')(replace('"revenue_usd >= 0"', '"refunds_usd >= 0"')(old)) });
    expect(validate(root).map((d) => d.code)).toEqual(['MESH101']);
  });
});

/** Every node of a spec replaced by a value of every other type: a finding, never a crash, and never a pass. */
describe('wrong types anywhere in a spec (fuzz)', () => {
  const WRONG: readonly unknown[] = [null, 7, 'text', true, [], {}, [1, 'a'], { x: 1 }];
  const original = () => parse(fs.readFileSync(path.join(meshWith(), ORDERS), 'utf8')) as unknown;

  function nodes(value: unknown, at: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => nodes(v, [...at, i]))];
    if (value !== null && typeof value === 'object') return [at, ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...at, k]))];
    return [at];
  }
  const set = (data: unknown, at: readonly (string | number)[], value: unknown): unknown => {
    const copy = structuredClone(data) as Record<string | number, unknown>;
    let node = copy;
    for (const segment of at.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
    node[at[at.length - 1]!] = value;
    return copy;
  };

  it('never crashes a rule: the schema reports the node, the salvaged rest is judged', () => {
    const root = meshWith();
    const file = path.join(root, ORDERS);
    const data = original();
    let runs = 0;
    for (const at of nodes(data).filter((p) => p.length > 0)) {
      for (const wrong of WRONG) {
        const changed = set(data, at, wrong);
        if (JSON.stringify(changed) === JSON.stringify(data)) continue;
        fs.writeFileSync(file, stringify(changed));
        const found = validate(root);
        runs++;
        if (found.some((d) => d.code === 'MESH101')) continue;
        // A replacement the schema accepts (a string for a free-text field) must not crash the rules either.
        expect(found.every((d) => typeof d.code === 'string')).toBe(true);
      }
    }
    expect(runs).toBeGreaterThan(100);
  }, 120_000);
});
