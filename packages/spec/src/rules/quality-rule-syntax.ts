import { parsedQualityChecks } from '../quality/checks';
import type { Rule } from './rule';

export const qualityRuleSyntax: Rule = {
  code: 'MESH401',
  name: 'quality-rule-syntax',
  title: 'Quality rules parse in the rule language',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      parsedQualityChecks(product).forEach((rule, index) => {
        if (rule.ok) return;
        report({
          document: product.document,
          path: ['spec', 'qualityChecks', index, 'rule'],
          offsetInValue: rule.offset,
          message: `the quality rule does not parse: ${rule.message}`,
          hint: 'rules are SQL-like conditions, e.g. "amount_usd >= 0", "customer_id IS NOT NULL", "completeness(email) >= 0.95"',
        });
      });
    }
  },
};
