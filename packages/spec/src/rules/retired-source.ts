import { describeReference, judgedStatus, productStatus } from '../lifecycle';
import type { Rule } from './rule';

export const retiredSource: Rule = {
  code: 'MESH124',
  name: 'retired-source',
  title: 'No product reads a retired product',
  severity: 'error',
  scope: 'mesh',
  check({ mesh, report, subjects }) {
    for (const consumer of subjects()) {
      if (productStatus(consumer) === 'retired') continue;
      for (const edge of consumer.inputs) {
        const source = edge.source;
        if (!source || source === consumer || judgedStatus(mesh, source) !== 'retired') continue;
        const replacement = source.spec.metadata.replacedBy;
        report({
          document: consumer.document,
          path: ['spec', 'inputPorts', edge.index, 'sourceProduct'],
          message: `${consumer.id} reads ${source.id}, which is retired: it is no longer served`,
          hint: replacement ? `read ${describeReference(replacement, source)} instead` : `remove this input, or ask ${source.spec.metadata.owner} what replaced it`,
        });
      }
    }
  },
};
