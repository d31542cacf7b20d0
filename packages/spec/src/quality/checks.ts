import type { DataProduct } from '../model';
import { parseQualityRule, type RuleParse } from './rule-language';

const parsed = new WeakMap<DataProduct, readonly RuleParse[]>();

/** The parsed `qualityChecks` of a product, in order (parsed once per product). */
export function parsedQualityChecks(product: DataProduct): readonly RuleParse[] {
  let rules = parsed.get(product);
  if (!rules) {
    rules = (product.spec.spec.qualityChecks ?? []).map((check) => parseQualityRule(check.rule));
    parsed.set(product, rules);
  }
  return rules;
}
