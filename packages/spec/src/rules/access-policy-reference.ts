import type { Rule } from './rule';

const POLICY_REF = /^opa:\/\/[a-z][a-z0-9]*(?:-[a-z0-9]+)*\/[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export const accessPolicyReference: Rule = {
  code: 'MESH114',
  name: 'access-policy-reference',
  title: 'governance.access_policy is an opa://<bundle>/<name> reference',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.validProducts()) {
      const reference = product.spec.spec.governance?.access_policy;
      if (reference === undefined || POLICY_REF.test(reference)) continue;
      report({
        document: product.document,
        path: ['spec', 'governance', 'access_policy'],
        message: `access_policy "${reference}" is not an opa://<bundle>/<name> reference`,
        hint: `e.g. opa://${product.domain}-domain/${product.name}-access`,
      });
    }
  },
};
