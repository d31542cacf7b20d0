import { productStatus } from '../../lifecycle';
import { DOMAIN_MAP_FILE } from '../../load';
import type { ChangeRule } from '../context';

export const retireBeforeRemoval: ChangeRule = {
  code: 'MESH215',
  name: 'retire-before-removal',
  title: 'A product spec is deleted only once the base has it retired',
  severity: 'error',
  check(product, sink) {
    if (!product.base || !product.deleted()) return;
    const status = productStatus(product.base);
    if (status === 'retired') return;
    const map = product.headMesh.domainMap;
    sink.breaking(`removed while ${status}: it never went through retired`);
    sink.report({
      ...(map ? { document: map.document, path: ['domains', product.base.domain], anchor: 'key' as const } : { file: DOMAIN_MAP_FILE, position: { line: 1, column: 1 } }),
      message: `${product.id} is removed while its status at the base is ${status}: a product is deleted only after a merged change retired it`,
      hint: `first merge metadata.status: deprecated with a sunset, then retired once its consumers have moved; delete ${product.base.file} in a later change`,
    });
  },
};
