import * as fs from 'node:fs';
import * as path from 'node:path';
import { addToDomainMap, loadMesh, scaffoldProduct, validateMesh } from '../src';
import { MAP, meshWith } from './helpers';

const BLOCK = `# the map
domains:
  customer:
    owner_team: customer-platform # the team
    oncall_pagerduty: customer-data-oncall
    source_products:
      - customer-events-v1 # raw events
      - customer-profile-snapshot
    consumer_products:
      - customer-360
  payments:
    owner_team: payments-engineering
    oncall_pagerduty: payments-data-oncall
    source_products: [transaction-events-v1]
    consumer_products: []
  logistics: {owner_team: logistics-data, oncall_pagerduty: logistics-oncall, source_products: [shipment-events-v2]}
  support:
    owner_team: support
    oncall_pagerduty: support-oncall
    source_products:
`;

describe('addToDomainMap: one entry added, the rest of the text as written', () => {
  it.each([
    ['a block list, after its last item (its comment kept)', 'customer', 'source_products', '      - customer-profile-snapshot\n', '      - customer-profile-snapshot\n      - refund-events-v1\n'],
    ['a block list with a trailing comment', 'customer', 'consumer_products', '      - customer-360\n', '      - customer-360\n      - refund-events-v1\n'],
    ['a flow list', 'payments', 'source_products', '[transaction-events-v1]', '[transaction-events-v1, refund-events-v1]'],
    ['an empty flow list', 'payments', 'consumer_products', 'consumer_products: []', 'consumer_products: [refund-events-v1]'],
    ['a flow map without the list', 'logistics', 'consumer_products', 'source_products: [shipment-events-v2]}', 'source_products: [shipment-events-v2], consumer_products: [refund-events-v1]}'],
    ['a key without a value', 'support', 'source_products', '    source_products:\n', '    source_products: [refund-events-v1]\n'],
    ['a block map without the list', 'support', 'consumer_products', '    source_products:\n', '    source_products:\n    consumer_products: [refund-events-v1]\n'],
  ] as const)('%s', (_, domain, list, before, after) => {
    const edited = addToDomainMap(BLOCK, domain, list, 'refund-events-v1');
    // the last occurrence: the support entry, whose text also occurs earlier
    const at = BLOCK.lastIndexOf(before);
    expect(edited).toBe(`${BLOCK.slice(0, at)}${after}${BLOCK.slice(at + before.length)}`);
  });

  it('a map it cannot edit safely is left alone (undefined)', () => {
    expect(addToDomainMap('domains: [', 'customer', 'source_products', 'x')).toBeUndefined();
    expect(addToDomainMap('domains:\n  customer: 3\n', 'customer', 'source_products', 'x')).toBeUndefined();
    expect(addToDomainMap('domains:\n  customer:\n    source_products: x\n', 'customer', 'source_products', 'y')).toBeUndefined();
  });
});

describe('scaffoldProduct', () => {
  it.each(['source', 'consumer'] as const)('a %s product that validates as written, beside the others', (kind) => {
    const root = meshWith();
    const result = scaffoldProduct(loadMesh(root), { domain: 'finance', product: 'refund-summary-v2', kind });
    if (!result.ok) throw new Error(result.message);
    expect(result.files.map((f) => [f.file, f.create])).toEqual([
      ['domains/finance/refund-summary-v2/data-product.yaml', true],
      ['domains/finance/schemas/refund_summary_v2.avsc', true],
      [MAP, false],
    ]);
    for (const f of result.files) {
      fs.mkdirSync(path.dirname(path.join(root, f.file)), { recursive: true });
      fs.writeFileSync(path.join(root, f.file), f.content, { flag: f.create ? 'wx' : 'w' });
    }
    const validation = validateMesh(root);
    expect(validation.diagnostics).toEqual([]);
    expect(validation.summary.products).toBe(3);
    const product = validation.mesh.products.get('finance/refund-summary-v2');
    expect(product?.spec.metadata).toMatchObject({ version: '2.0.0', owner: 'finance-team' });
    const port = product?.spec.spec.outputPorts[0];
    expect(port?.type).toBe(kind === 'source' ? 'stream' : 'batch');
    // a batch table goes to the bucket the mesh's tables use
    if (kind === 'consumer') expect(port?.location).toBe('s3://mesh-test-lake/finance-domain/refund-summary-v2/v2/');
    else expect(port?.topic).toBe('finance-domain.refund-summary-v2');
    expect(validation.mesh.domains.get('finance')?.[kind === 'source' ? 'sourceProducts' : 'consumerProducts']).toContain('refund-summary-v2');
  });

  it('refuses what exists, what is unknown and bad names, with the reason', () => {
    const mesh = loadMesh(meshWith());
    const refused = (domain: string, product: string) => {
      const result = scaffoldProduct(mesh, { domain, product, kind: 'source' });
      return result.ok ? 'ok' : result.message;
    };
    expect(refused('orders', 'order-events-v1')).toBe('orders/order-events-v1 is already listed in domains/domain-map.yaml');
    expect(refused('billing', 'invoices')).toBe('"billing" is not a domain of domains/domain-map.yaml (its domains: finance, orders)');
    expect(refused('orders', 'Order_Events')).toMatch(/^"Order_Events" is not a valid product name: kebab-case/);
    expect(refused('orders', 'schemas')).toBe('"schemas" is a reserved folder name and cannot name a product');
    expect(refused('orders', `a${'-b'.repeat(20)}`)).toMatch(/is 41 characters long; a product name has at most 40$/);
    expect(refused('orders', 'order-event-v1')).toBe('domains/orders/schemas/order_event_v1.avsc exists already: mesh new never overwrites a schema');
  });
});
