import { checkCompatibility } from '@data-mesh/schema-compat';
import type { ChangeRule } from '../context';

const MAX_REPORTED = 20;

/** '/fields/1/type' (Java's location) as a JSON path into the schema file. */
export function javaLocationToPath(location: string): (string | number)[] {
  return location
    .split('/')
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export const schemaCompatibility: ChangeRule = {
  code: 'MESH201',
  name: 'schema-compatibility',
  title: "A stream port's schema is compatible with every earlier version under the port's mode",
  severity: 'error',
  check: {
    port(port, sink) {
      if (port.head.spec.type === 'batch') return;
      const schemas = port.schemas();
      if (!schemas) return;
      const previous = port.history();
      const report = checkCompatibility(schemas.head, previous.length > 0 ? previous : [{ name: 'base', schema: schemas.base }], port.head.compatibility);
      if (report.compatible) {
        const { added } = port.fields();
        if (added.length > 0) sink.additive(`${port.head.name}: adds ${added.join(', ')}`);
        return;
      }
      sink.breaking(`${port.head.name}: the schema is not ${report.mode} compatible (${report.incompatibilities.length} incompatibilit${report.incompatibilities.length === 1 ? 'y' : 'ies'})`);
      const document = port.headSchema();
      for (const incompatibility of report.incompatibilities.slice(0, MAX_REPORTED)) {
        sink.report({
          document,
          // A forward finding's location is in the previous schema: the new file has only its enclosing record.
          path: incompatibility.direction === 'backward' ? javaLocationToPath(incompatibility.path) : ['fields'],
          anchor: incompatibility.direction === 'backward' ? 'value' : 'key',
          message: `${incompatibility.kind} at ${incompatibility.path} against ${incompatibility.previous} (${report.mode}): ${incompatibility.message}`,
          hint: `a breaking change ships as a new port (e.g. "${port.head.name}_v${nextMajor(port)}" on a v${nextMajor(port)} topic) beside this one, deprecated with a sunset date`,
        });
      }
    },
  },
};

export function nextMajor(port: { base: { product: { spec: { metadata: { version: string } } } } }): number {
  return Number(port.base.product.spec.metadata.version.split('.')[0]) + 1;
}
