import type { Rule } from './rule';

export const ownership: Rule = {
  code: 'MESH103',
  name: 'ownership',
  title: "A spec names its folder's product and domain, and the domain's owner team",
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      const { metadata } = product.spec;
      const document = product.document;
      if (metadata.name !== product.name) {
        report({ document, path: ['metadata', 'name'], message: `metadata.name is "${metadata.name}" but the spec lives in the folder "${product.name}"`, hint: 'the folder name is the product name: make them equal' });
      }
      if (metadata.domain !== product.domain) {
        report({ document, path: ['metadata', 'domain'], message: `metadata.domain is "${metadata.domain}" but the spec lives under domains/${product.domain}/` });
        continue;
      }
      const domain = mesh.domains.get(product.domain);
      if (domain && metadata.owner !== domain.ownerTeam) {
        report({
          document,
          path: ['metadata', 'owner'],
          message: `metadata.owner is "${metadata.owner}" but the domain "${product.domain}" is owned by "${domain.ownerTeam}"`,
          hint: 'ownership changes go through the domain map, owned by the platform team',
        });
      }
    }
  },
};
