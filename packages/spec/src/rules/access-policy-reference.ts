import { resolveAccessPolicy } from '../access-policies';
import type { Rule } from './rule';

export const accessPolicyReference: Rule = {
  code: 'MESH114',
  name: 'access-policy-reference',
  title: 'governance.access_policy is an opa://<bundle>/<name> reference to a Rego package of the repository',
  severity: 'error',
  // One product at a time against the repository's Rego packages: a change to those packages
  // reaches every product that names one (see validateChange).
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      const reference = product.spec.spec.governance?.access_policy;
      if (reference === undefined) continue;
      const resolved = resolveAccessPolicy(reference, mesh.regoPackages());
      if (resolved.ok) continue;
      report({ document: product.document, path: ['spec', 'governance', 'access_policy'], message: resolved.message, hint: resolved.hint });
    }
  },
};
