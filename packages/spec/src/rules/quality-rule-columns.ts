import { resolveInPorts } from '../fields';
import { parsedQualityChecks } from '../quality/checks';
import type { Rule } from './rule';

export const qualityRuleColumns: Rule = {
  code: 'MESH402',
  name: 'quality-rule-columns',
  title: "Every column a quality rule names exists in the product's schemas",
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      if (product.outputPorts.every((p) => !p.schemaFile?.fields)) continue;
      parsedQualityChecks(product).forEach((rule, index) => {
        if (!rule.ok) return;
        for (const column of rule.columns) {
          const resolution = resolveInPorts(product.outputPorts, column.name);
          if (resolution.ok) continue;
          report({
            document: product.document,
            path: ['spec', 'qualityChecks', index, 'rule'],
            offsetInValue: column.offset,
            message:
              resolution.reason === 'ambiguous'
                ? `the column "${column.name}" is ambiguous: ${resolution.candidates.join('; ')}`
                : `the column "${column.name}" is in none of the product's port schemas`,
            hint: resolution.candidates.length && resolution.reason !== 'ambiguous' ? `did you mean: ${resolution.candidates.slice(0, 5).join(', ')}?` : undefined,
          });
        }
      });
    }
  },
};
