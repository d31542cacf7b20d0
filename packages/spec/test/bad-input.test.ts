import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateMesh } from '../src';
import { lineOf, MAP, meshWith, ORDER_SCHEMA, ORDERS, replace, REVENUE, validate, withCode, type Edit } from './helpers';

interface BadInput {
  readonly name: string;
  readonly edits: Record<string, Edit>;
  readonly code: string;
  readonly file: string;
  /** The expected line, or a text that marks it in the edited file. */
  readonly line: number | string;
  readonly message: RegExp;
}

/** Rewrites a file and saves it as Latin-1, so a non-ASCII character becomes an invalid UTF-8 byte. */
function latin1(rewrite: (old: string) => string): Edit {
  return (old) => Buffer.from(rewrite(old) as string, 'latin1');
}

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

const cases: BadInput[] = [
  { name: 'malformed YAML', edits: { [ORDERS]: replace('  description: Every order placed', '  description: note: Every order placed') }, code: 'MESH100', file: ORDERS, line: 'description: note:', message: /malformed YAML/ },
  { name: 'a tab in the indentation', edits: { [ORDERS]: replace('  name: order-events-v1', '\tname: order-events-v1') }, code: 'MESH100', file: ORDERS, line: 'name: order-events-v1', message: /tab/ },
  { name: 'a duplicate key', edits: { [ORDERS]: replace('  owner: orders-team\n', '  owner: orders-team\n  owner: orders-team\n') }, code: 'MESH100', file: ORDERS, line: 7, message: /duplicate key/ },
  { name: 'a YAML alias bomb', edits: { [ORDERS]: BILLION_LAUGHS }, code: 'MESH100', file: ORDERS, line: 2, message: /aliases expand beyond the limit/ },
  { name: 'a 20 MB file', edits: { [ORDERS]: Buffer.alloc(20 << 20, 0x61) }, code: 'MESH100', file: ORDERS, line: 1, message: /above the limit of 1048576 bytes/ },
  { name: 'non-UTF-8 bytes', edits: { [ORDERS]: latin1(replace('Every order placed', 'Every order placed in Zürich')) }, code: 'MESH100', file: ORDERS, line: 'description:', message: /not valid UTF-8/ },
  { name: 'an empty file', edits: { [REVENUE]: '' }, code: 'MESH100', file: REVENUE, line: 1, message: /empty/ },
  { name: 'a file of comments only', edits: { [REVENUE]: '# nothing here yet\n' }, code: 'MESH100', file: REVENUE, line: 1, message: /empty/ },
  { name: 'two YAML documents in one file', edits: { [REVENUE]: (old) => `${old}---\nkind: DataProduct\n` }, code: 'MESH100', file: REVENUE, line: '---', message: /malformed YAML/ },
  { name: 'a list where a mapping belongs', edits: { [REVENUE]: '- just\n- a list\n' }, code: 'MESH101', file: REVENUE, line: 1, message: /must be a mapping/ },
  { name: 'a product name with ../ in the map', edits: { [MAP]: replace('source_products: [order-events-v1]', 'source_products: [order-events-v1, ../../../etc/passwd]') }, code: 'MESH101', file: MAP, line: '../../../etc/passwd', message: /kebab-case/ },
  { name: 'a source product with ../', edits: { [REVENUE]: replace('sourceProduct: orders/order-events-v1', 'sourceProduct: ../orders/order-events-v1') }, code: 'MESH101', file: REVENUE, line: 'sourceProduct: ../', message: /<domain>\/<product>/ },
  { name: 'a schema reference with ../', edits: { [ORDERS]: replace('schema-registry://orders/order_event_v1', 'schema-registry://orders/../../../etc/hosts') }, code: 'MESH101', file: ORDERS, line: 'schema:', message: /schema-registry:\/\/<domain>\/<subject>/ },
  { name: 'a domain name that makes an invalid AWS name', edits: { [MAP]: replace('  finance:', '  Finance_Team:') }, code: 'MESH101', file: MAP, line: 'Finance_Team:', message: /not valid/ },
  { name: 'an invalid S3 bucket', edits: { [REVENUE]: replace('s3://mesh-test-lake/', 's3://192.168.1.1/') }, code: 'MESH115', file: REVENUE, line: 'location:', message: /IP address/ },
  { name: 'two batch ports on one location', edits: { [REVENUE]: replace('  inputPorts:', '    - name: revenue_copy\n      type: batch\n      format: parquet\n      schema: "schema-registry://finance/revenue_daily_v3"\n      location: "s3://mesh-test-lake/finance-domain/revenue-daily/v3/copy/v3"\n      sla: { freshness: "< 2 hours after midnight UTC", uptime: "99.5%" }\n  inputPorts:') }, code: 'MESH115', file: REVENUE, line: 'revenue-daily/v3/copy/v3', message: /lies inside the location/ },
  { name: 'a schema file that is not JSON', edits: { [ORDER_SCHEMA]: 'record OrderEvent { string id; }\n' }, code: 'MESH106', file: ORDER_SCHEMA, line: 1, message: /JSON syntax error/ },
  { name: 'a schema file that is JSON but not Avro', edits: { [ORDER_SCHEMA]: '{\n  "type": "record",\n  "name": "OrderEvent"\n}\n' }, code: 'MESH106', file: ORDER_SCHEMA, line: 1, message: /not a valid Avro schema/ },
  { name: 'an empty schema file', edits: { [ORDER_SCHEMA]: '' }, code: 'MESH106', file: ORDER_SCHEMA, line: 1, message: /not a valid Avro schema/ },
  { name: 'a missing domain map', edits: { [MAP]: null }, code: 'MESH100', file: MAP, line: 1, message: /domain-map.yaml is missing/ },
];

describe.each(cases)('bad input: $name', (c) => {
  it('yields a clear diagnostic at the right line, quickly', () => {
    const root = meshWith(c.edits);
    const started = process.hrtime.bigint();
    const diagnostics = validate(root);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const line = typeof c.line === 'number' ? c.line : lineOf(root, c.file, c.line);
    const found = withCode(diagnostics, c.code).filter((d) => d.file === c.file && d.line === line);
    expect(found).not.toEqual([]);
    expect(found.some((d) => c.message.test(d.message))).toBe(true);
    expect(seconds).toBeLessThan(2);
  });
});

describe('a symbolic link out of the repository', () => {
  it('is refused, not followed', () => {
    const root = meshWith({ [ORDER_SCHEMA]: null });
    fs.symlinkSync('/etc/hostname', path.join(root, ORDER_SCHEMA));
    const found = withCode(validate(root), 'MESH100').filter((d) => d.file === ORDER_SCHEMA);
    expect(found).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/outside the repository/) })]);
  });
});

describe('one broken spec', () => {
  it('does not hide the findings of the others', () => {
    const root = meshWith({
      [REVENUE]: '{{{{',
      [ORDERS]: replace('owner: orders-team', 'owner: finance-team'),
    });
    const { diagnostics, summary } = validateMesh(root);
    expect(summary.products).toBe(2);
    expect(withCode(diagnostics, 'MESH100').map((d) => d.file)).toEqual([REVENUE]);
    expect(withCode(diagnostics, 'MESH103').map((d) => d.file)).toEqual([ORDERS]);
  });
});
