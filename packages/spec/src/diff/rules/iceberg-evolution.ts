import { avroToIceberg, checkIcebergEvolution } from '@data-mesh/schema-compat';
import type { ChangeRule } from '../context';
import { nextMajor } from './schema-compatibility';

export const icebergEvolution: ChangeRule = {
  code: 'MESH202',
  name: 'iceberg-evolution',
  title: "A batch port's schema evolves by Iceberg's rules (add optional columns, widen types)",
  severity: 'error',
  check: {
    port(port, sink) {
      if (port.head.spec.type !== 'batch') return;
      const schemas = port.schemas();
      if (!schemas) return;
      const evolution = checkIcebergEvolution(avroToIceberg(schemas.base), avroToIceberg(schemas.head));
      for (const change of evolution.changes) {
        if (!change.breaking) {
          sink.additive(`${port.head.name}: ${change.message}`);
          continue;
        }
        sink.breaking(`${port.head.name}: ${change.message}`);
        sink.report({
          document: port.product.head!.document,
          path: port.path('schema'),
          message: `the Iceberg table of "${port.head.name}" cannot evolve this way: ${change.kind} at ${change.path}: ${change.message}`,
          hint: `ship it as a new port on a v${nextMajor(port)} location beside this one, deprecated with a sunset date`,
        });
      }
    },
  },
};
