import * as avro from 'avsc';
import { listFields, parseAvroJson, withoutFields } from '@data-mesh/schema-compat';

const event = {
  type: 'record',
  name: 'CustomerEvent',
  namespace: 'com.acme.customer',
  fields: [
    { name: 'event_id', type: 'string' },
    { name: 'ip_address', type: ['null', 'string'], default: null },
    {
      name: 'payload',
      type: ['null', {
        type: 'record',
        name: 'Payload',
        fields: [
          { name: 'customer_id', type: 'string' },
          { name: 'email', type: 'string' },
          { name: 'billing', type: { type: 'record', name: 'com.acme.shared.Address', fields: [{ name: 'city', type: 'string' }, { name: 'postal_code', type: 'string' }] } },
          { name: 'shipping', type: 'com.acme.shared.Address' },
        ],
      }],
      default: null,
    },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'gift_note', type: ['null', 'string'], default: null }] } } },
    { name: 'devices', type: { type: 'map', values: { type: 'record', name: 'Device', fields: [{ name: 'model', type: 'string' }, { name: 'serial', type: 'string' }] } } },
  ],
};

const paths = (schema: unknown) => listFields(parseAvroJson(schema).schema!).map((f) => f.path);

describe('withoutFields', () => {
  test('removes top-level, nested (through a nullable union, an array and a map) fields by path or bare name', () => {
    const result = withoutFields(event, ['ip_address', 'payload.email', 'gift_note', 'devices.serial']);
    expect(result.errors).toEqual([]);
    expect(result.removed).toEqual(['ip_address', 'payload.email', 'items.gift_note', 'devices.serial']);
    expect(result.unresolved).toEqual([]);
    expect(paths(result.schema)).toEqual([
      'event_id', 'payload', 'payload.customer_id', 'payload.billing', 'payload.billing.city', 'payload.billing.postal_code',
      'payload.shipping', 'payload.shipping.city', 'payload.shipping.postal_code', 'items', 'items.sku', 'devices', 'devices.model',
    ]);
    // the result is valid Avro for avsc too
    expect(() => avro.Type.forSchema(result.schema as avro.Schema)).not.toThrow();
  });

  test('a named record reused at two paths loses the field at both (it is defined once)', () => {
    const result = withoutFields(event, ['payload.billing.postal_code']);
    expect(paths(result.schema)).not.toContain('payload.shipping.postal_code');
    expect(paths(result.schema)).toContain('payload.shipping.city');
  });

  test('removing a whole record field', () => {
    expect(paths(withoutFields(event, ['payload']).schema)).toEqual(['event_id', 'ip_address', 'items', 'items.sku', 'items.gift_note', 'devices', 'devices.model', 'devices.serial']);
  });

  test('a reference that names nothing, or several leaves, removes nothing and is reported', () => {
    const result = withoutFields(event, ['no_such_field', 'city']);
    expect(result.removed).toEqual([]);
    expect(result.unresolved).toEqual(['no_such_field', 'city']);
    expect(result.schema).toEqual(event);
  });

  test('the input is not modified, and an invalid schema gives errors, not a throw', () => {
    const before = JSON.stringify(event);
    withoutFields(event, ['ip_address', 'payload.email']);
    expect(JSON.stringify(event)).toBe(before);
    const bad = withoutFields({ type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] }, ['a']);
    expect(bad.schema).toBeUndefined();
    expect(bad.errors.length).toBeGreaterThan(0);
  });
});
