import { DOMAIN_MAP_FILE, DOMAINS_DIR, RESERVED_DOMAIN_FOLDERS, SPEC_FILE_NAME } from '../load';
import type { Rule } from './rule';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const domainMapFolders: Rule = {
  code: 'MESH102',
  name: 'domain-map-folders',
  title: 'Product folders and the domain map agree: every folder is listed, every listed product has a spec',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report }) {
    const map = mesh.domainMap;
    if (!map) return;
    const folders = new Map(mesh.domainFolders.map((d) => [d.name, new Set(d.productFolders)]));
    for (const folder of mesh.domainFolders) {
      const domain = mesh.domains.get(folder.name);
      if (!domain) {
        report({
          document: map.document,
          path: ['domains'],
          anchor: 'key',
          message: `the folder ${DOMAINS_DIR}/${folder.name}/ is not a domain of the domain map`,
          hint: NAME.test(folder.name) ? `add "${folder.name}" under domains: with its owner_team, or remove the folder` : `"${folder.name}" is not a valid domain name (kebab-case); rename the folder`,
        });
        continue;
      }
      const listed = new Set([...domain.sourceProducts, ...domain.consumerProducts]);
      for (const product of folder.productFolders) {
        if (listed.has(product)) continue;
        report({
          document: map.document,
          path: ['domains', folder.name],
          anchor: 'key',
          message: `the product folder ${DOMAINS_DIR}/${folder.name}/${product}/ is not listed under the domain "${folder.name}"`,
          hint: NAME.test(product)
            ? `add "${product}" to source_products or consumer_products of "${folder.name}"`
            : `"${product}" is not a valid product name (kebab-case); rename the folder`,
        });
      }
    }
    for (const [name, domain] of mesh.domains) {
      const present = folders.get(name);
      for (const [list, products] of [['source_products', domain.sourceProducts], ['consumer_products', domain.consumerProducts]] as const) {
        products.forEach((product, index) => {
          if (RESERVED_DOMAIN_FOLDERS.includes(product)) {
            report({ document: map.document, path: ['domains', name, list, index], message: `"${product}" is a reserved folder name inside a domain and cannot name a product` });
          } else if (!present?.has(product) || !mesh.products.has(`${name}/${product}`)) {
            if (mesh.unreadableProducts.has(`${name}/${product}`)) return;
            report({
              document: map.document,
              path: ['domains', name, list, index],
              message: `"${product}" is listed under "${name}" but ${DOMAINS_DIR}/${name}/${product}/${SPEC_FILE_NAME} does not exist`,
              hint: `create the spec, or remove the product from ${DOMAIN_MAP_FILE}`,
            });
          }
        });
      }
      const both = domain.sourceProducts.filter((p) => domain.consumerProducts.includes(p));
      for (const product of both) {
        report({ document: map.document, path: ['domains', name, 'consumer_products', domain.consumerProducts.indexOf(product)], message: `"${product}" is listed both as a source and as a consumer product of "${name}"` });
      }
    }
  },
};
