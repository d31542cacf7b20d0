import type { Rule } from './rule';

export const inputSource: Rule = {
  code: 'MESH108',
  name: 'input-source',
  title: 'Input ports name a product (and port) that exists',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const product of subjects()) {
      for (const edge of product.inputs) {
        const path = ['spec', 'inputPorts', edge.index];
        if (edge.spec.sourceProduct === product.id) {
          report({ document: product.document, path: [...path, 'sourceProduct'], message: `${product.id} lists itself as an input` });
          continue;
        }
        if (!edge.source) {
          if (mesh.unreadableProducts.has(edge.spec.sourceProduct)) continue;
          const [domain] = edge.spec.sourceProduct.split('/');
          report({
            document: product.document,
            path: [...path, 'sourceProduct'],
            message: `the source product ${edge.spec.sourceProduct} does not exist`,
            hint: mesh.domains.has(domain as string) ? `the domain "${domain}" has: ${[...mesh.products.values()].filter((p) => p.domain === domain).map((p) => p.name).join(', ') || 'no products'}` : `there is no domain "${domain}"`,
          });
          continue;
        }
        if (edge.spec.port !== undefined && mesh.hasIntactPorts(edge.source.id) && !edge.source.outputPorts.some((p) => p.name === edge.spec.port)) {
          report({
            document: product.document,
            path: [...path, 'port'],
            message: `${edge.spec.sourceProduct} has no output port "${edge.spec.port}"`,
            hint: `its ports are: ${edge.source.outputPorts.map((p) => p.name).join(', ')}`,
          });
        }
      }
    }
  },
};
