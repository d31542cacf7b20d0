import { parsedQualityChecks } from '../quality/checks';
import { ruleLevel } from '../quality/rule-language';
import type { Rule } from './rule';

export const qualityRuleLevel: Rule = {
  code: 'MESH405',
  name: 'quality-rule-level',
  title: 'Each part of a quality rule judges rows or the whole data, not a column against an aggregate',
  severity: 'error',
  scope: 'product',
  check({ mesh, report }) {
    for (const product of mesh.judgedProducts()) {
      parsedQualityChecks(product).forEach((rule, index) => {
        if (!rule.ok) return;
        const level = ruleLevel(rule.expression);
        if (level.level !== 'mixed') return;
        report({
          document: product.document,
          path: ['spec', 'qualityChecks', index, 'rule'],
          offsetInValue: level.offset,
          message: 'the rule compares a row\'s column with an aggregate (or joins them with OR / NOT): neither a row nor the whole data can be judged by it',
          hint: 'compare aggregates with numbers ("avg(amount) > 10") and join row conditions to aggregate ones with a top-level AND ("id IS NOT NULL AND count(*) > 0"), or split it into two rules',
        });
      });
    }
  },
};
