import type { ChangeRule } from '../context';
import { nextMajor } from './schema-compatibility';

export const portAddress: ChangeRule = {
  code: 'MESH212',
  name: 'port-address',
  title: "A port's topic or location does not change in place",
  severity: 'error',
  check: {
    port(port, sink) {
      for (const key of ['topic', 'location'] as const) {
        const was = port.base.spec[key];
        const is = port.head.spec[key];
        if (was === undefined || was === is) continue;
        sink.breaking(`${port.head.name}: ${key} moved from ${was} to ${is ?? '(none)'}`);
        sink.report({
          document: port.product.head!.document,
          path: port.path(is === undefined ? 'type' : key),
          message: `the ${key} of "${port.head.name}" moves from "${was}" to "${is ?? '(none)'}": its consumers keep reading the old one`,
          hint: `add a new port (v${nextMajor(port)}) beside this one and deprecate this one with a sunset date`,
        });
      }
    },
  },
};
