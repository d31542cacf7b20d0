import { judgedStatus, productStatus } from '../lifecycle';
import type { Rule } from './rule';

export const shadowConsumers: Rule = {
  code: 'MESH125',
  name: 'shadow-consumers',
  title: 'A shadow product is read only inside its own domain',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const consumer of subjects()) {
      if (productStatus(consumer) === 'retired') continue;
      for (const edge of consumer.inputs) {
        const source = edge.source;
        if (!source || source.domain === consumer.domain || judgedStatus(mesh, source) !== 'shadow') continue;
        const replaced = source.spec.metadata.replaces?.map((r) => r.product) ?? [];
        report({
          document: consumer.document,
          path: ['spec', 'inputPorts', edge.index, 'sourceProduct'],
          message: `${consumer.id} reads ${source.id}, a shadow product of the ${source.domain} domain: it is not authoritative yet`,
          hint: replaced.length > 0 ? `read ${replaced.join(', ')} until ${source.id} is active` : `wait until ${source.id} is active (metadata.status)`,
        });
      }
    }
  },
};
