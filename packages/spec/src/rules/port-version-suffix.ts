import semverMajor from 'semver/functions/major'; // not all of semver (47 modules): start-up
import type { Rule } from './rule';

const VERSION_SUFFIX = /v(\d+)\/?$/;

export const portVersionSuffix: Rule = {
  code: 'MESH107',
  name: 'port-version-suffix',
  title: "Topics and locations end in v<major>, the major of the product's version (deprecated ports exempt)",
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      const major = semverMajor(product.spec.metadata.version);
      for (const port of product.outputPorts) {
        const key = port.spec.type === 'stream' ? 'topic' : 'location';
        const value = port.spec[key];
        if (value === undefined) continue;
        const match = VERSION_SUFFIX.exec(value);
        if (!match) {
          report({
            document: product.document,
            path: ['spec', 'outputPorts', port.index, key],
            message: `the ${key} "${value}" does not end in a major version (v${major})`,
            hint: 'a versioned name lets a breaking change ship beside the old port instead of replacing it',
          });
        } else if (Number(match[1]) !== major && !port.spec.deprecated) {
          report({
            document: product.document,
            path: ['spec', 'outputPorts', port.index, key],
            message: `the ${key} "${value}" is version v${match[1]} but the product is at ${product.spec.metadata.version} (major ${major})`,
            hint: `rename it to end in v${major}, or mark the port deprecated with a sunset date if it is the previous major kept for migration`,
          });
        }
      }
    }
  },
};
