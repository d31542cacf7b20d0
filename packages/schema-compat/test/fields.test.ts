import { listFields, parseAvro, resolveFieldRef, type AvroSchema } from '@data-mesh/schema-compat';

function schemaOf(json: unknown): AvroSchema {
  const result = parseAvro(JSON.stringify(json));
  expect(result.errors).toEqual([]);
  return result.schema!;
}

const customerEvent = schemaOf({
  type: 'record',
  name: 'CustomerEvent',
  namespace: 'com.acme.customer',
  fields: [
    { name: 'event_id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'occurred_at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    {
      name: 'payload',
      type: [
        'null',
        {
          type: 'record',
          name: 'CustomerProfilePayload',
          fields: [
            { name: 'customer_id', type: 'string' },
            { name: 'email_hash', type: ['null', 'string'], default: null },
            { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'id', type: 'long' }] } },
          ],
        },
      ],
      default: null,
    },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'id', type: 'long' }] } } },
    { name: 'labels', type: { type: 'map', values: 'string' } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['ACTIVE', 'CLOSED'] } },
    { name: 'checksum', type: { type: 'fixed', name: 'Md5', size: 16 } },
  ],
});

describe('listFields', () => {
  it('lists every field at every depth with display types, through nullable unions, arrays and maps', () => {
    expect(listFields(customerEvent)).toEqual([
      { path: 'event_id', name: 'event_id', type: 'string (uuid)', leaf: true, nullable: false },
      { path: 'occurred_at', name: 'occurred_at', type: 'long (timestamp-millis)', leaf: true, nullable: false },
      { path: 'amount', name: 'amount', type: 'bytes (decimal(10,2))', leaf: true, nullable: false },
      { path: 'payload', name: 'payload', type: 'union [null, record CustomerProfilePayload]', leaf: false, nullable: true },
      { path: 'payload.customer_id', name: 'customer_id', type: 'string', leaf: true, nullable: false },
      { path: 'payload.email_hash', name: 'email_hash', type: 'union [null, string]', leaf: true, nullable: true },
      { path: 'payload.address', name: 'address', type: 'record Address', leaf: false, nullable: false },
      { path: 'payload.address.city', name: 'city', type: 'string', leaf: true, nullable: false },
      { path: 'payload.address.id', name: 'id', type: 'long', leaf: true, nullable: false },
      { path: 'items', name: 'items', type: 'array<record Item>', leaf: false, nullable: false },
      { path: 'items.sku', name: 'sku', type: 'string', leaf: true, nullable: false },
      { path: 'items.id', name: 'id', type: 'long', leaf: true, nullable: false },
      { path: 'labels', name: 'labels', type: 'map<string>', leaf: true, nullable: false },
      { path: 'status', name: 'status', type: 'enum Status', leaf: true, nullable: false },
      { path: 'checksum', name: 'checksum', type: 'fixed Md5(16)', leaf: true, nullable: false },
    ]);
  });

  it('terminates on a recursive record, listing the recursive field without descending again', () => {
    const tree = schemaOf({
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'value', type: 'int' },
        { name: 'children', type: { type: 'array', items: 'Node' } },
      ],
    });
    expect(listFields(tree).map((field) => [field.path, field.leaf])).toEqual([
      ['value', true],
      ['children', false],
    ]);
  });

  it('lists nothing for a schema that is not a record', () => {
    expect(listFields(schemaOf('string'))).toEqual([]);
  });
});

describe('resolveFieldRef', () => {
  it.each([
    ['a dotted path', 'payload.customer_id', 'payload.customer_id'],
    ['a dotted path to a non-leaf', 'payload.address', 'payload.address'],
    ['a top-level name', 'occurred_at', 'occurred_at'],
    ['a bare name matching one leaf', 'customer_id', 'payload.customer_id'],
    ['a bare name of a deep leaf', 'city', 'payload.address.city'],
    ['a bare name inside an array of records', 'sku', 'items.sku'],
  ])('finds %s', (_label, ref, path) => {
    expect(resolveFieldRef(customerEvent, ref)).toEqual({ ok: true, field: expect.objectContaining({ path }) });
  });

  it('reports a bare name matching several leaves as ambiguous, with every matching path', () => {
    expect(resolveFieldRef(customerEvent, 'id')).toEqual({ ok: false, reason: 'ambiguous', candidates: ['payload.address.id', 'items.id'] });
  });

  it('does not match a bare name against a non-leaf field below the top level', () => {
    expect(resolveFieldRef(customerEvent, 'address')).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it.each([
    ['a misspelt name', 'customer_idd', ['payload.customer_id']],
    ['a wrong case', 'Occurred_At', ['occurred_at']],
    ['a wrong dotted path', 'payload.customerid', ['payload.customer_id']],
    ['a name far from anything', 'zzzzzzzzzz', []],
  ])('reports %s as not found, with close names', (_label, ref, candidates) => {
    expect(resolveFieldRef(customerEvent, ref)).toEqual({ ok: false, reason: 'not-found', candidates });
  });
});
