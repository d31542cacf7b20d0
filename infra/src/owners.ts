import type { IConstruct } from 'constructs';
import { pascalCase, type BuiltApp } from './app';

/** The product a construct belongs to, and the port when it is one port's. */
export interface ConstructOwner {
  readonly product: string;
  readonly port?: string;
}

/**
 * The constructs of every built product with their owner, outer before inner: the product,
 * each port's constructs (schema, topic, table, freshness monitor, quality ruleset, PII-free projection) and each
 * port's Lake Formation grants in the access stacks (`DataProduct.grantConsumers` names them
 * `<id><Port>` under the id the app passes, `pascalCase(productId)`). Found by id, without
 * walking the construct tree.
 */
export function productConstructs(built: BuiltApp): [IConstruct, ConstructOwner][] {
  const out: [IConstruct, ConstructOwner][] = [];
  for (const [product, dp] of built.products) {
    out.push([dp, { product }]);
    for (const group of [dp.subjects, dp.topics, dp.tables, dp.monitors, dp.qualityRulesets, dp.piiProjections] as ReadonlyMap<string, IConstruct>[]) {
      for (const [port, construct] of group) out.push([construct, { product, port }]);
    }
    for (const port of dp.tables.keys()) {
      for (const access of built.accessStacks) {
        const grants = access.node.tryFindChild(`${pascalCase(product)}${pascalCase(port)}`);
        if (grants) out.push([grants, { product, port }]);
      }
    }
  }
  return out;
}
