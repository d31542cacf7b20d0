/**
 * The examples of every rule: changes to the example mesh (test/fixtures/base, which passes
 * every rule) that make a rule fail, and changes it must accept. The rule tests run them all;
 * `mesh explain` and docs/codes.md show them. One list, so an example shown is an example tested.
 */

export const ORDERS = 'domains/orders/order-events-v1/data-product.yaml';
export const REVENUE = 'domains/finance/revenue-daily/data-product.yaml';
export const ORDER_SCHEMA = 'domains/orders/schemas/order_event_v1.avsc';
export const REVENUE_SCHEMA = 'domains/finance/schemas/revenue_daily_v3.avsc';
export const MAP = 'domains/domain-map.yaml';
export const ORDERS_V2 = 'domains/orders/order-events-v2/data-product.yaml';

/** The day the examples are judged on (sunset dates are before or after it): the rule tests pass it as `now`. */
export const EXAMPLES_NOW = '2027-01-15T00:00:00Z';

/** Text of the example mesh replaced by other text. */
export interface Swap {
  readonly replace: string;
  readonly with: string;
}

/** A file's change: swaps (in order), a new content, or null to delete it. */
export type ExampleEdit = Swap | readonly Swap[] | string | null;

function swap(replace: string, replacement: string): Swap {
  return { replace, with: replacement };
}

export interface FailingExample {
  readonly code: string;
  readonly name: string;
  readonly edits: Readonly<Record<string, ExampleEdit>>;
  /** Where the finding must be: the file and a text on its line (in the edited file). */
  readonly file: string;
  readonly marker: string;
  readonly occurrence?: number;
  readonly message?: RegExp;
  readonly severity?: 'error' | 'warning' | 'info';
}

const ORDER_COPY = [
  'apiVersion: data-mesh/v1',
  'kind: DataProduct',
  'metadata: { name: order-copy, version: "1.0.0", owner: orders-team, domain: orders }',
  'spec:',
  '  description: A copy of the order stream under a topic name that differs only in "_".',
  '  outputPorts:',
  '    - name: copy',
  '      type: stream',
  '      format: avro',
  '      schema: "schema-registry://orders/order_event_v1"',
  '      topic: "orders-domain_order-events-v1"',
  '      sla: { freshness: "< 1 minute", uptime: "99.99%" }',
  '',
].join('\n');

const DEPRECATE_ORDER_PORT = swap('      format: avro\n', '      format: avro\n      deprecated: true\n      sunset: "2027-03-31"\n');

/** The orders domain's successor of order-events-v1: its metadata lines after `domain: orders`. */
function orderEventsV2(metadata: string): string {
  return [
    'apiVersion: data-mesh/v1',
    'kind: DataProduct',
    'metadata:',
    '  name: order-events-v2',
    '  version: "2.0.0"',
    '  owner: orders-team',
    '  domain: orders',
    metadata,
    'spec:',
    '  description: Every order, from the orders domain\'s own pipeline.',
    '  outputPorts:',
    '    - name: order_events',
    '      type: stream',
    '      format: avro',
    '      schema: "schema-registry://orders/order_event_v1"',
    '      topic: "orders-domain.order-events-v2"',
    '      sla: { freshness: "< 1 minute", uptime: "99.99%" }',
    '  governance:',
    '    pii_fields: [customer_email]',
    '    data_classification: confidential',
    '    retention_days: 365',
    '',
  ].join('\n');
}

const MAP_WITH_V2 = swap('source_products: [order-events-v1]', 'source_products: [order-events-v1, order-events-v2]');
const V2_CUT_OVER = orderEventsV2('  replaces: [{ product: orders/order-events-v1 }]\n  migration: { cutover: "2027-01-10", windowDays: 30 }');
const DEPRECATE_V1 = swap('  tags: [pii]\n', '  tags: [pii]\n  status: deprecated\n  sunset: "2027-03-31"\n  replacedBy: { product: orders/order-events-v2 }\n');
const REVENUE_READS_V2 = swap('sourceProduct: orders/order-events-v1', 'sourceProduct: orders/order-events-v2');
const PORT_SUNSET_PASSED = swap('      format: avro\n', '      format: avro\n      deprecated: true\n      sunset: "2026-12-31"\n');

export const FAILING_EXAMPLES: readonly FailingExample[] = [
  {
    code: 'MESH100', name: 'malformed YAML',
    edits: { [REVENUE]: swap('  description: Revenue per day, from the order stream.', '  description: [unclosed') },
    file: REVENUE, marker: 'outputPorts:', message: /malformed YAML/,
  },
  {
    code: 'MESH101', name: 'unknown key names the expected keys',
    edits: { [ORDERS]: swap('  owner: orders-team', '  owner: orders-team\n  ownr: typo') },
    file: ORDERS, marker: 'ownr: typo', message: /unknown key "ownr" in metadata/,
  },
  {
    code: 'MESH101', name: 'unquoted version is a number',
    edits: { [ORDERS]: swap('version: "1.2.0"', 'version: 1.2') },
    file: ORDERS, marker: 'version: 1.2', message: /metadata\.version must be a string/,
  },
  {
    code: 'MESH101', name: 'classification outside the enum',
    edits: { [ORDERS]: swap('data_classification: confidential', 'data_classification: secret') },
    file: ORDERS, marker: 'data_classification: secret', message: /expected one of: public, internal, confidential, restricted/,
  },
  {
    code: 'MESH101', name: 'retention must be positive',
    edits: { [ORDERS]: swap('retention_days: 365', 'retention_days: 0') },
    file: ORDERS, marker: 'retention_days: 0', message: /at least 1/,
  },
  {
    code: 'MESH101', name: 'missing required key points at its parent',
    edits: { [REVENUE]: swap('  version: "3.0.1"\n', '') },
    file: REVENUE, marker: 'metadata:', message: /missing the required key "version"/,
  },
  {
    code: 'MESH101', name: 'domain map entry with a bad product name',
    edits: { [MAP]: swap('consumer_products: [revenue-daily]', 'consumer_products: [revenue-daily, ../../etc]') },
    file: MAP, marker: '../../etc', message: /kebab-case/,
  },
  {
    code: 'MESH102', name: 'folder not in the map',
    edits: { 'domains/orders/stray-product/data-product.yaml': 'x: 1\n' },
    file: MAP, marker: '  orders:', message: /stray-product\/ is not listed/,
  },
  {
    code: 'MESH102', name: 'listed product without a spec',
    edits: { [MAP]: swap('source_products: [order-events-v1]', 'source_products: [order-events-v1, refund-events-v1]') },
    file: MAP, marker: 'refund-events-v1', message: /refund-events-v1\/data-product.yaml does not exist/,
  },
  {
    code: 'MESH102', name: 'domain folder not in the map',
    edits: { 'domains/marketing/campaigns/data-product.yaml': 'x: 1\n' },
    file: MAP, marker: 'domains:', message: /domains\/marketing\/ is not a domain/,
  },
  {
    code: 'MESH103', name: 'owner is not the owner team',
    edits: { [ORDERS]: swap('owner: orders-team', 'owner: finance-team') },
    file: ORDERS, marker: 'owner: finance-team', message: /owned by "orders-team"/,
  },
  {
    code: 'MESH103', name: 'domain is not the folder',
    edits: { [ORDERS]: swap('domain: orders', 'domain: finance') },
    file: ORDERS, marker: 'domain: finance',
  },
  {
    code: 'MESH103', name: 'name is not the folder',
    edits: { [ORDERS]: swap('name: order-events-v1', 'name: order-events-v2') },
    file: ORDERS, marker: 'name: order-events-v2',
  },
  {
    code: 'MESH104', name: 'duplicate port names',
    edits: { [ORDERS]: swap('  qualityChecks:', '    - name: order_events\n      type: stream\n      format: avro\n      schema: "schema-registry://orders/order_event_v1"\n      topic: "orders-domain.order-events-v1-copy.v1"\n      sla: { freshness: "< 1 minute", uptime: "99.99%" }\n  qualityChecks:') },
    file: ORDERS, marker: '- name: order_events', occurrence: 2, message: /already used by outputPorts\[0\]/,
  },
  {
    code: 'MESH105', name: 'stream port without a topic',
    edits: { [ORDERS]: swap('      topic: "orders-domain.order-events-v1"\n', '') },
    file: ORDERS, marker: '- name: order_events', message: /has no topic/,
  },
  {
    code: 'MESH105', name: 'batch port with a topic',
    edits: { [REVENUE]: swap('      partitioning:', '      topic: "finance.revenue.v3"\n      partitioning:') },
    file: REVENUE, marker: 'topic: "finance.revenue.v3"', message: /a batch port has no topic/,
  },
  {
    code: 'MESH106', name: 'schema file missing',
    edits: { [ORDERS]: swap('orders/order_event_v1"', 'orders/order_event_v9"') },
    file: ORDERS, marker: 'order_event_v9', message: /order_event_v9.avsc is missing/,
  },
  {
    code: 'MESH106', name: 'schema is not Avro',
    edits: { [ORDER_SCHEMA]: swap('"type": "double"', '"type": "money"') },
    file: ORDER_SCHEMA, marker: '"money"', message: /not a valid Avro schema/,
  },
  {
    code: 'MESH107', name: 'topic version is not the major',
    edits: { [ORDERS]: swap('version: "1.2.0"', 'version: "2.0.0"') },
    file: ORDERS, marker: 'topic: "orders-domain.order-events-v1"', message: /version v1 but the product is at 2\.0\.0/,
  },
  {
    code: 'MESH107', name: 'location without a version',
    edits: { [REVENUE]: swap('revenue-daily/v3/', 'revenue-daily/latest/') },
    file: REVENUE, marker: 'location:', message: /does not end in a major version \(v3\)/,
  },
  {
    code: 'MESH108', name: 'source product does not exist',
    edits: { [REVENUE]: swap('sourceProduct: orders/order-events-v1', 'sourceProduct: orders/order-events-v7') },
    file: REVENUE, marker: 'order-events-v7', message: /does not exist/,
  },
  {
    code: 'MESH108', name: 'pinned port does not exist',
    edits: { [REVENUE]: swap('    - sourceProduct: orders/order-events-v1\n', '    - sourceProduct: orders/order-events-v1\n      port: order_stream\n') },
    file: REVENUE, marker: 'port: order_stream', message: /no output port "order_stream"/,
  },
  {
    code: 'MESH109', name: 'consumed field does not exist',
    edits: { [REVENUE]: swap('fields: [order_id, amount,', 'fields: [order_id, amount_usd,') },
    file: REVENUE, marker: 'amount_usd', message: /has no field "amount_usd"/,
  },
  {
    code: 'MESH109', name: 'bare name matching two leaves is ambiguous',
    edits: { [REVENUE]: swap('billing.country]', 'city]') },
    file: REVENUE, marker: 'city]', message: /ambiguous/,
  },
  {
    code: 'MESH110', name: 'freshness outside the grammar',
    edits: { [ORDERS]: swap('freshness: "< 1 minute"', 'freshness: "fast"') },
    file: ORDERS, marker: 'freshness: "fast"', message: /not understood/,
  },
  {
    code: 'MESH110', name: 'uptime outside the grammar',
    edits: { [ORDERS]: swap('uptime: "99.99%"', 'uptime: "four nines"') },
    file: ORDERS, marker: 'four nines',
  },
  {
    code: 'MESH111', name: 'input staler than the output promise',
    edits: { [REVENUE]: swap('freshness: "< 2 hours after midnight UTC"', 'freshness: "< 30 seconds"') },
    file: REVENUE, marker: 'freshness: "< 30 seconds"', message: /unresolvable contract gap/,
  },
  {
    code: 'MESH111', name: 'equal staleness is a gap too',
    edits: { [REVENUE]: swap('freshness: "< 2 hours after midnight UTC"', 'freshness: "< 60 seconds"') },
    file: REVENUE, marker: 'freshness: "< 60 seconds"',
  },
  {
    code: 'MESH112', name: 'inputs cannot carry the uptime', severity: 'warning',
    edits: { [REVENUE]: swap('uptime: "99.5%"', 'uptime: "99.999%"') },
    file: REVENUE, marker: 'uptime: "99.999%"', message: /inputs together offer 99\.99%/,
  },
  {
    code: 'MESH113', name: 'PII field not in any schema',
    edits: { [ORDERS]: swap('pii_fields: [customer_email]', 'pii_fields: [customer_email, phone]') },
    file: ORDERS, marker: 'pii_fields:', message: /"phone" is in none/,
  },
  {
    code: 'MESH114', name: 'access policy is not an opa reference',
    edits: { [ORDERS]: swap('"opa://orders-domain/order-events-v1-access"', '"https://policies/orders"') },
    file: ORDERS, marker: 'access_policy:', message: /is not of the form opa:\/\/<bundle>\/<name>/,
  },
  {
    code: 'MESH114', name: 'access policy without a Rego package',
    edits: { [ORDERS]: swap('"opa://orders-domain/order-events-v1-access"', '"opa://orders-domain/order-audit-access"') },
    file: ORDERS, marker: 'access_policy:', message: /no Rego package data_mesh\.access\.orders_domain\.order_audit_access/,
  },
  {
    code: 'MESH114', name: "access policy whose package names another reference",
    edits: { 'domains/orders/policies/order_events_v1_access.rego': swap('policy_ref := "opa://orders-domain/order-events-v1-access"', 'policy_ref := "opa://orders-domain/elsewhere"') },
    file: ORDERS, marker: 'access_policy:', message: /declares policy_ref "opa:\/\/orders-domain\/elsewhere"/,
  },
  {
    code: 'MESH115', name: "topics colliding on '.' and '_'",
    edits: {
      [MAP]: swap('source_products: [order-events-v1]', 'source_products: [order-events-v1, order-copy]'),
      'domains/orders/order-copy/data-product.yaml': ORDER_COPY,
    },
    file: ORDERS, marker: 'topic:', message: /collides with "orders-domain_order-events-v1"/,
  },
  {
    code: 'MESH115', name: "a domain named like one of the platform's own stacks",
    edits: { [MAP]: swap('domains:\n', 'domains:\n  access:\n    owner_team: access-team\n    oncall_pagerduty: access-oncall\n    source_products: []\n    consumer_products: []\n') },
    file: MAP, marker: '  access:', message: /would deploy as the stack <prefix>-Access, which is the platform's own/,
  },
  {
    code: 'MESH115', name: 'two products whose construct ids meet once dashes are dropped',
    edits: {
      [MAP]: swap('source_products: [order-events-v1]', 'source_products: [order-events-v1, order-events-v-1]'),
      'domains/orders/order-events-v-1/data-product.yaml': ORDER_COPY.replace('name: order-copy', 'name: order-events-v-1').replace('orders-domain_order-events-v1', 'orders-domain.order-events-v-1'),
    },
    file: 'domains/orders/order-events-v-1/data-product.yaml', marker: 'name: order-events-v-1', message: /orders\/order-events-v-1 and orders\/order-events-v1 get the same construct id, OrdersOrderEventsV1/,
  },
  {
    code: 'MESH115', name: 'invalid bucket name',
    edits: { [REVENUE]: swap('s3://mesh-test-lake/', 's3://mesh..lake/') },
    file: REVENUE, marker: 'location:', message: /not a valid S3 bucket name/,
  },
  {
    code: 'MESH116', name: 'lineage cycle',
    edits: {
      [ORDERS]: swap('  qualityChecks:', '  inputPorts:\n    - sourceProduct: finance/revenue-daily\n      fields: [revenue_usd]\n  qualityChecks:'),
      [REVENUE]: swap('freshness: "< 2 hours after midnight UTC"', 'freshness: "< 1 second"'),
    },
    file: ORDERS, marker: 'sourceProduct: finance/revenue-daily', message: /lineage cycle/,
  },
  {
    code: 'MESH117', name: 'stale CODEOWNERS',
    edits: { [MAP]: swap('owner_team: finance-team', 'owner_team: money-team'), [REVENUE]: swap('owner: finance-team', 'owner: money-team') },
    file: '.github/CODEOWNERS', marker: '/domains/finance/', message: /stale/,
  },
  {
    code: 'MESH117', name: 'no CODEOWNERS is a hint', severity: 'info',
    edits: { '.github/CODEOWNERS': null },
    file: '.github/CODEOWNERS', marker: '', message: /no \.github\/CODEOWNERS/,
  },
  {
    code: 'MESH118', name: 'deprecated without sunset',
    edits: { [ORDERS]: swap('      format: avro\n', '      format: avro\n      deprecated: true\n') },
    file: ORDERS, marker: 'deprecated: true', message: /no sunset date/,
  },
  {
    code: 'MESH118', name: 'sunset that is not a date',
    edits: { [ORDERS]: swap('      format: avro\n', '      format: avro\n      deprecated: true\n      sunset: "2027-02-30"\n') },
    file: ORDERS, marker: 'sunset:', message: /not a calendar date/,
  },
  {
    code: 'MESH119', name: 'a batch port without a date or timestamp field',
    edits: { [REVENUE_SCHEMA]: swap('{ "type": "int", "logicalType": "date" }', '"int"') },
    file: REVENUE, marker: '- name: revenue_by_day', message: /no required top-level date or timestamp field: its rows cannot be deleted after retention_days \(730\)/,
  },
  {
    code: 'MESH119', name: 'a nullable time field is not a retention column',
    edits: { [REVENUE_SCHEMA]: swap('{ "type": "int", "logicalType": "date" }', '["null", { "type": "int", "logicalType": "date" }], "default": null') },
    file: REVENUE, marker: '- name: revenue_by_day', message: /\(day is nullable\): its rows cannot be deleted/,
  },
  {
    code: 'MESH119', name: 'recordTimeField not in the schema',
    edits: { [REVENUE]: swap('      partitioning: "year/month/day"\n', '      partitioning: "year/month/day"\n      recordTimeField: dya\n') },
    file: REVENUE, marker: 'recordTimeField: dya', message: /"dya" is not a top-level field/,
  },
  {
    code: 'MESH119', name: 'recordTimeField that is not a time',
    edits: { [REVENUE]: swap('      partitioning: "year/month/day"\n', '      partitioning: "year/month/day"\n      recordTimeField: order_count\n') },
    file: REVENUE, marker: 'recordTimeField: order_count', message: /is long, not a date or timestamp/,
  },
  {
    code: 'MESH119', name: 'recordTimeField on a stream port',
    edits: { [ORDERS]: swap('      format: avro\n', '      format: avro\n      recordTimeField: occurred_at\n') },
    file: ORDERS, marker: 'recordTimeField: occurred_at', message: /applies to batch ports only/,
  },
  {
    code: 'MESH119', name: 'a nullable recordTimeField warns', severity: 'warning',
    edits: {
      [REVENUE_SCHEMA]: swap('{ "name": "order_count", "type": "long" }', '{ "name": "order_count", "type": "long" },\n    { "name": "closed_at", "type": ["null", { "type": "long", "logicalType": "timestamp-millis" }], "default": null }'),
      [REVENUE]: swap('      partitioning: "year/month/day"\n', '      partitioning: "year/month/day"\n      recordTimeField: closed_at\n'),
    },
    file: REVENUE, marker: 'recordTimeField: closed_at', message: /is nullable: rows whose closed_at is NULL never expire/,
  },
  {
    code: 'MESH121', name: 'a day partition on a column that is not a date',
    edits: { [REVENUE]: swap('partitioning: "year/month/day"', 'partitioning: "day(order_count)"') },
    file: REVENUE, marker: 'partitioning: "day(order_count)"', message: /day\(order_count\) needs a date or timestamp column, "order_count" is long/,
  },
  {
    code: 'MESH121', name: 'an hourly layout over a date',
    edits: { [REVENUE]: swap('partitioning: "year/month/day"', 'partitioning: "year/month/day/hour"') },
    file: REVENUE, marker: 'partitioning: "year/month/day/hour"', message: /"year\/month\/day\/hour" needs a timestamp column and the schema has none/,
  },
  {
    code: 'MESH121', name: 'a partition column the schema does not have',
    edits: { [REVENUE]: swap('partitioning: "year/month/day"', 'partitioning: "day(dya)"') },
    file: REVENUE, marker: 'partitioning: "day(dya)"', message: /column "dya" is not in the table's schema/,
  },
  {
    code: 'MESH120', name: 'erasure without a subject-id field',
    edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true') },
    file: ORDERS, marker: 'gdpr_subject_to_erasure: true', message: /does not name its subject-id field/,
  },
  {
    code: 'MESH120', name: 'a subject-id field the schema does not have',
    edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true\n    subject_id_field: customer_idd') },
    file: ORDERS, marker: 'subject_id_field: customer_idd', message: /"customer_idd" is not in port order_events's schema/,
  },
  {
    code: 'MESH120', name: 'an ambiguous subject-id field',
    edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true\n    subject_id_field: country') },
    file: ORDERS, marker: 'subject_id_field: country', message: /ambiguous in port order_events: billing.country, shipping.country/,
  },
  {
    code: 'MESH120', name: 'a subject-id field that is not an id type',
    edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true\n    subject_id_field: amount') },
    file: ORDERS, marker: 'subject_id_field: amount', message: /is double in port order_events/,
  },
  {
    code: 'MESH120', name: 'a subject-id field inside an array',
    edits: {
      [ORDER_SCHEMA]: swap('{ "name": "order_id", "type": "string" },', '{ "name": "order_id", "type": "string" },\n    { "name": "buyers", "type": { "type": "array", "items": { "type": "record", "name": "Buyer", "fields": [{ "name": "buyer_id", "type": "string" }] } } },'),
      [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true\n    subject_id_field: buyer_id'),
    },
    file: ORDERS, marker: 'subject_id_field: buyer_id', message: /inside an array or map \(buyers.buyer_id\)/,
  },
  {
    code: 'MESH120', name: 'a subject-id field without erasure warns', severity: 'warning',
    edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: false\n    subject_id_field: order_id') },
    file: ORDERS, marker: 'subject_id_field: order_id', message: /no erasure deletes by it/,
  },
  {
    code: 'MESH122', name: 'a deprecated product without a sunset',
    edits: { [ORDERS]: swap('  tags: [pii]\n', '  tags: [pii]\n  status: deprecated\n') },
    file: ORDERS, marker: 'status: deprecated', message: /has no sunset date/,
  },
  {
    code: 'MESH122', name: 'a sunset on an active product',
    edits: { [ORDERS]: swap('  tags: [pii]\n', '  tags: [pii]\n  sunset: "2027-03-31"\n') },
    file: ORDERS, marker: 'sunset:', message: /has a sunset date but its status is active/,
  },
  {
    code: 'MESH123', name: 'reading a deprecated port warns with its sunset', severity: 'warning',
    edits: { [ORDERS]: DEPRECATE_ORDER_PORT },
    file: REVENUE, marker: 'sourceProduct: orders/order-events-v1', message: /reads the port order_events of orders\/order-events-v1, which is deprecated until its sunset 2027-03-31/,
  },
  {
    code: 'MESH123', name: 'reading a deprecated product warns with its replacement', severity: 'warning',
    edits: { [ORDERS]: DEPRECATE_V1, [ORDERS_V2]: V2_CUT_OVER, [MAP]: MAP_WITH_V2 },
    file: REVENUE, marker: 'sourceProduct: orders/order-events-v1', message: /deprecated until its sunset 2027-03-31; its replacement is orders\/order-events-v2/,
  },
  {
    code: 'MESH123', name: 'reading a port after its sunset',
    edits: { [ORDERS]: PORT_SUNSET_PASSED },
    file: REVENUE, marker: 'sourceProduct: orders/order-events-v1', message: /whose sunset 2026-12-31 has passed/,
  },
  {
    code: 'MESH124', name: 'reading a retired product',
    edits: { [ORDERS]: swap('  tags: [pii]\n', '  tags: [pii]\n  status: retired\n') },
    file: REVENUE, marker: 'sourceProduct: orders/order-events-v1', message: /which is retired/,
  },
  {
    code: 'MESH125', name: 'another domain reads a shadow product',
    edits: { [ORDERS]: swap('  tags: [pii]\n', '  tags: [pii]\n  status: shadow\n') },
    file: REVENUE, marker: 'sourceProduct: orders/order-events-v1', message: /a shadow product of the orders domain/,
  },
  {
    code: 'MESH126', name: 'replaces a product that does not exist',
    edits: { [ORDERS_V2]: orderEventsV2('  replaces: [{ product: orders/order-events-v0 }]'), [MAP]: MAP_WITH_V2 },
    file: ORDERS_V2, marker: 'replaces:', message: /the product orders\/order-events-v0 does not exist/,
  },
  {
    code: 'MESH126', name: 'cut over, but the replaced product does not name its successor',
    edits: { [ORDERS]: swap('  tags: [pii]\n', '  tags: [pii]\n  status: deprecated\n  sunset: "2027-03-31"\n'), [ORDERS_V2]: V2_CUT_OVER, [MAP]: MAP_WITH_V2, [REVENUE]: REVENUE_READS_V2 },
    file: ORDERS_V2, marker: 'replaces:', message: /which is deprecated but does not name orders\/order-events-v2 as its replacement/,
  },
  {
    code: 'MESH126', name: 'a sunset inside the migration window',
    edits: { [ORDERS]: DEPRECATE_V1, [ORDERS_V2]: orderEventsV2('  replaces: [{ product: orders/order-events-v1 }]\n  migration: { cutover: "2027-03-10", windowDays: 30 }'), [MAP]: MAP_WITH_V2, [REVENUE]: REVENUE_READS_V2 },
    file: ORDERS_V2, marker: 'windowDays', message: /sunset on 2027-03-31, before the migration window of 30 days from the cutover 2027-03-10 ends \(2027-04-09\)/,
  },
  {
    code: 'MESH401', name: 'quality rule does not parse, at the column of the error',
    edits: { [ORDERS]: swap('"order_id IS NOT NULL"', '"order_id IS NOT"') },
    file: ORDERS, marker: 'order_id IS NOT"', message: /expected NULL/,
  },
  {
    code: 'MESH402', name: 'quality rule names an unknown column',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue >= 0"') },
    file: REVENUE, marker: '"revenue >= 0"', message: /"revenue" is in none/,
  },
  {
    code: 'MESH404', name: 'REFERENCES a product that does not exist',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd REFERENCES orders/order-events-v9.order_events.amount"') },
    file: REVENUE, marker: 'REFERENCES orders/order-events-v9', message: /there is no such data product/,
  },
  {
    code: 'MESH404', name: 'REFERENCES a port the product does not have',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd REFERENCES orders/order-events-v1.orders.amount"') },
    file: REVENUE, marker: 'REFERENCES orders/order-events-v1.orders', message: /has no output port "orders"/,
  },
  {
    code: 'MESH404', name: 'REFERENCES a column the port does not have',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd REFERENCES orders/order-events-v1.order_events.amount_usd"') },
    file: REVENUE, marker: 'amount_usd', message: /has no column "amount_usd"/,
  },
  {
    code: 'MESH404', name: 'REFERENCES a column of another type',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"order_count REFERENCES orders/order-events-v1.order_events.order_id"') },
    file: REVENUE, marker: 'order_count REFERENCES', message: /order_count is a number and order_id a text, so no value would ever be found/,
  },
  {
    code: 'MESH405', name: 'a column compared with an aggregate',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd > avg(revenue_usd)"') },
    file: REVENUE, marker: 'avg(revenue_usd)', message: /compares a row's column with an aggregate/,
  },
  {
    code: 'MESH405', name: 'a row condition OR an aggregate one',
    edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd >= 0 OR count(*) > 0"') },
    file: REVENUE, marker: 'count(*) > 0', message: /neither a row nor the whole data can be judged/,
  },
];

export interface PassingExample {
  readonly code: string;
  readonly name: string;
  readonly edits: Readonly<Record<string, ExampleEdit>>;
}

/** The order port deprecated, beside its successor on a v2 topic (the product's major bumped), which its consumer reads from. */
const ORDER_PORT_REPLACED = [
  DEPRECATE_ORDER_PORT,
  swap('      sunset: "2027-03-31"\n', '      sunset: "2027-03-31"\n      replacedBy: { port: order_events_v2 }\n'),
  swap('        uptime: "99.99%"\n', '        uptime: "99.99%"\n    - name: order_events_v2\n      type: stream\n      format: avro\n      schema: "schema-registry://orders/order_event_v1"\n      topic: "orders-domain.order-events-v2"\n      sla: { freshness: "< 1 minute", uptime: "99.99%" }\n'),
  swap('version: "1.2.0"', 'version: "2.0.0"'),
];

export const PASSING_EXAMPLES: readonly PassingExample[] = [
  { code: 'MESH109', name: 'a dotted path into a nullable record', edits: { [REVENUE]: swap('billing.country]', 'shipping.country]') } },
  { code: 'MESH109', name: 'a bare name matching exactly one leaf', edits: { [REVENUE]: swap('billing.country]', 'customer_email]') } },
  { code: 'MESH111', name: 'a daily deadline over a rolling input', edits: { [REVENUE]: swap('"< 2 hours after midnight UTC"', '"< 30 minutes after 06:00 UTC"') } },
  { code: 'MESH107', name: 'a deprecated port keeps its old major', edits: { [ORDERS]: ORDER_PORT_REPLACED } },
  { code: 'MESH404', name: "a column found among another product's port column", edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd IS NULL OR revenue_usd REFERENCES orders/order-events-v1.order_events.amount"') } },
  { code: 'MESH405', name: 'row conditions joined to an aggregate by a top-level AND', edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"NOT (revenue_usd < 0) AND count(*) > 0 AND order_count >= 0"') } },
  { code: 'MESH401', name: 'BETWEEN, NOT IN and arithmetic', edits: { [REVENUE]: swap('"revenue_usd >= 0"', '"revenue_usd BETWEEN 0 AND 1000000 AND order_count NOT IN (-1) AND revenue_usd + 1 > 0"') } },
  { code: 'MESH118', name: 'deprecated with a sunset', edits: { [ORDERS]: ORDER_PORT_REPLACED } },
  { code: 'MESH122', name: 'deprecated with a sunset and a successor its consumers read', edits: { [ORDERS]: DEPRECATE_V1, [ORDERS_V2]: V2_CUT_OVER, [MAP]: MAP_WITH_V2, [REVENUE]: REVENUE_READS_V2 } },
  { code: 'MESH123', name: 'a consumer whose fields the replacement port has too', edits: { [ORDERS]: ORDER_PORT_REPLACED } },
  { code: 'MESH124', name: 'a retired product no one reads', edits: { [ORDERS]: swap('  tags: [pii]\n', '  tags: [pii]\n  status: retired\n  sunset: "2027-01-10"\n  replacedBy: { product: orders/order-events-v2 }\n'), [ORDERS_V2]: orderEventsV2('  replaces: [{ product: orders/order-events-v1 }]'), [MAP]: MAP_WITH_V2, [REVENUE]: REVENUE_READS_V2 } },
  { code: 'MESH125', name: 'a shadow product beside the one it replaces', edits: { [ORDERS_V2]: orderEventsV2('  status: shadow\n  replaces: [{ product: orders/order-events-v1 }]'), [MAP]: MAP_WITH_V2 } },
  { code: 'MESH126', name: 'cut over: the replaced product names its successor', edits: { [ORDERS]: DEPRECATE_V1, [ORDERS_V2]: V2_CUT_OVER, [MAP]: MAP_WITH_V2, [REVENUE]: REVENUE_READS_V2 } },
  {
    code: 'MESH119', name: 'a time field derived among several',
    edits: { [REVENUE_SCHEMA]: swap('{ "name": "order_count", "type": "long" }', '{ "name": "order_count", "type": "long" },\n    { "name": "computed_at", "type": { "type": "long", "logicalType": "timestamp-micros" } }') },
  },
  { code: 'MESH119', name: 'a declared record-time field', edits: { [REVENUE]: swap('      partitioning: "year/month/day"\n', '      partitioning: "year/month/day"\n      recordTimeField: day\n') } },
  { code: 'MESH121', name: 'a day transform and a bucket', edits: { [REVENUE]: swap('partitioning: "year/month/day"', 'partitioning: "day(day), bucket(16, order_count)"') } },
  { code: 'MESH120', name: 'a top-level subject id', edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true\n    subject_id_field: customer_email') } },
  { code: 'MESH120', name: 'a subject id by dotted path', edits: { [ORDERS]: swap('gdpr_subject_to_erasure: false', 'gdpr_subject_to_erasure: true\n    subject_id_field: billing.country') } },
];

