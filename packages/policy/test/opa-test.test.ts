import * as fs from 'node:fs';
import { lintPolicies, runPolicyTests } from '../src';
import { requireOpa, ROOT, scratchRepo } from './helpers';

beforeAll(requireOpa);

describe('runPolicyTests (mesh policy test)', () => {
  test('the repository policies pass with the real opa, coverage >= 90%', async () => {
    const report = await runPolicyTests(ROOT);
    expect(report.diagnostics).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(60);
    expect(report.coverage).toBeGreaterThanOrEqual(90);
    // the mesh-wide tests ran over the generated data, and every folder was tested
    const names = report.results.map((r) => `${r.package}.${r.name}`);
    expect(names).toContain('data.data_mesh.mesh_test.test_no_pii_field_is_served_without_the_role');
    expect(new Set(report.results.map((r) => r.file.split('/').slice(0, -1).join('/')))).toEqual(
      new Set(['governance/policies', 'domains/customer/policies', 'domains/payments/policies']),
    );
    expect(report.commands[0]).toEqual(expect.arrayContaining(['test', '--format', 'json', 'governance/policies']));
  }, 60_000);

  test('opa check --strict, opa fmt and regal lint are clean', async () => {
    const report = await lintPolicies(ROOT);
    expect(report.diagnostics).toEqual([]);
    expect(report.commands.map((c) => c[0])).toEqual(['check', 'fmt', 'lint']);
  }, 60_000);

  describe('in a scratch copy', () => {
    let repo: ReturnType<typeof scratchRepo>;
    beforeEach(() => (repo = scratchRepo()));
    afterEach(() => repo.dispose());

    test('a failing Rego test becomes MESH301 at its file and line, with what it printed', async () => {
      repo.write(
        'governance/policies/extra_test.rego',
        'package data_mesh.extra_test\n\ntest_ok if true\n\ntest_broken if {\n\tprint("expected", 1, "got", 2)\n\t1 == 2\n}\n',
      );
      const report = await runPolicyTests(repo.root, { coverage: false });
      expect(report.failed).toBe(1);
      expect(report.diagnostics).toEqual([
        expect.objectContaining({
          severity: 'error',
          code: 'MESH301',
          file: 'governance/policies/extra_test.rego',
          line: 5,
          message: 'Rego test data_mesh.extra_test.test_broken failed: expected 1 got 2',
        }),
      ]);
    }, 60_000);

    test('a policy that does not parse becomes MESH303 at its file and line', async () => {
      repo.write('domains/customer/policies/broken.rego', 'package data_mesh.access.customer_domain.broken\n\nallow if input.x == == 1\n\nother := 2\n');
      const report = await runPolicyTests(repo.root);
      expect(report.results).toEqual([]);
      expect(report.diagnostics[0]).toMatchObject({ code: 'MESH303', file: 'domains/customer/policies/broken.rego', line: 3 });
    }, 60_000);

    test('low coverage is MESH304', async () => {
      repo.write('governance/policies/untested.rego', `package data_mesh.untested\n\n${Array.from({ length: 150 }, (_, i) => `r${i} := ${i} if input.x == ${i}\n`).join('\n')}`);
      const report = await runPolicyTests(repo.root, { coverageThreshold: 90 });
      expect(report.failed).toBe(0);
      expect(report.coverage).toBeLessThan(90);
      expect(report.diagnostics).toEqual([expect.objectContaining({ code: 'MESH304' })]);
    }, 60_000);

    test('lint findings carry file and line', async () => {
      repo.edit('governance/policies/access.rego', 'default allow := false', 'default allow   :=    false');
      repo.write('.regal/config.yaml', fs.readFileSync(`${ROOT}/.regal/config.yaml`, 'utf8'));
      const report = await lintPolicies(repo.root);
      expect(report.diagnostics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'MESH308', file: 'governance/policies/access.rego' }),
          expect.objectContaining({ code: 'MESH309', file: 'governance/policies/access.rego', message: expect.stringMatching(/opa-fmt/) }),
        ]),
      );
    }, 60_000);
  });
});
