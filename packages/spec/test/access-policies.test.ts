import * as path from 'node:path';
import { accessPolicyName, fileSystemSource, loadMesh, resolveAccessPolicy, scanRegoPackages } from '../src';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

describe('access policy references', () => {
  const packages = scanRegoPackages(fileSystemSource(REPO_ROOT));

  test('opa://<bundle>/<name> maps to data_mesh.access.<bundle_id>.<name_id>', () => {
    expect(accessPolicyName('opa://customer-domain/customer-360-access')).toMatchObject({
      package: 'data_mesh.access.customer_domain.customer_360_access',
      segments: ['customer_domain', 'customer_360_access'],
    });
    expect(accessPolicyName('opa://Customer/x')).toBeUndefined();
    expect(accessPolicyName('opa://customer-domain')).toBeUndefined();
    expect(accessPolicyName('http://customer-domain/x')).toBeUndefined();
  });

  test('every access_policy of the example specs resolves to a package declaring that policy_ref', () => {
    const refs = [...loadMesh(REPO_ROOT).products.values()].map((p) => p.spec.spec.governance?.access_policy).filter((r): r is string => r !== undefined);
    expect(refs.length).toBeGreaterThanOrEqual(5);
    for (const ref of refs) expect({ ref, result: resolveAccessPolicy(ref, packages) }).toEqual({ ref, result: expect.objectContaining({ ok: true }) });
  });

  test.each([
    ['opa://customer-domain/customer-360-access', true, ''],
    ['opa://customer-domain/nope-access', false, 'no Rego package data_mesh.access.customer_domain.nope_access'],
    ['opa://customer_domain/x', false, 'is not of the form'],
    ['customer-360-access', false, 'is not of the form'],
  ])('resolveAccessPolicy(%s)', (ref, ok, message) => {
    const result = resolveAccessPolicy(ref, packages);
    expect(result.ok).toBe(ok);
    if (!result.ok) {
      expect(result.message).toContain(message);
      expect(result.hint).toBeTruthy();
    }
  });

  test('a plain list of package names works too; a missing or different policy_ref is reported', () => {
    expect(resolveAccessPolicy('opa://a-domain/b', ['data_mesh.access.a_domain.b'])).toEqual({ ok: true, package: 'data_mesh.access.a_domain.b' });
    const wrong = new Map([['data_mesh.access.a_domain.b', { package: 'data_mesh.access.a_domain.b', file: 'domains/a/policies/b.rego', line: 1, policyRef: 'opa://a-domain/c' }]]);
    expect(resolveAccessPolicy('opa://a-domain/b', wrong)).toMatchObject({ ok: false, message: expect.stringContaining('declares policy_ref "opa://a-domain/c"') });
    const none = new Map([['data_mesh.access.a_domain.b', { package: 'data_mesh.access.a_domain.b', file: 'domains/a/policies/b.rego', line: 1 }]]);
    expect(resolveAccessPolicy('opa://a-domain/b', none)).toMatchObject({ ok: false, message: expect.stringContaining('does not declare policy_ref') });
  });
});
