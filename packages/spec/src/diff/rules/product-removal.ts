import { DOMAIN_MAP_FILE } from '../../load';
import type { ChangeRule } from '../context';

export const productRemoval: ChangeRule = {
  code: 'MESH211',
  name: 'product-removal',
  title: 'A product goes only when no other product reads it',
  severity: 'error',
  check(product, sink) {
    if (!product.base || !product.deleted()) return;
    const map = product.headMesh.domainMap;
    for (const edge of product.consumers()) {
      const { team, oncall } = product.team(edge.consumer.id);
      sink.impact({ consumer: edge.consumer.id, team, oncall, port: edge.spec.port ?? '*', fields: [...edge.spec.fields], reason: 'reads a product that is removed' });
      sink.breaking(`removed while ${edge.consumer.id} reads it`);
      sink.report({
        ...(map ? { document: map.document, path: ['domains', product.base.domain], anchor: 'key' as const } : { file: DOMAIN_MAP_FILE, position: { line: 1, column: 1 } }),
        message: `${product.id} is removed but ${edge.consumer.id} (team ${team}, on-call ${oncall}) still reads it`,
        hint: `deprecate it (metadata.status: deprecated, a sunset, replacedBy), retire it once ${edge.consumer.id} has moved, then remove it`,
      });
    }
  },
};
