#!/usr/bin/env node
// Generates the reader/writer schema pairs of the differential test against Java's
// org.apache.avro.SchemaCompatibility: hand-written pairs for every resolution rule, then
// seeded random schemas with random evolutions (deterministic: the same file every run).
// Usage: node generate-pairs.js OUT.json
'use strict';

const fs = require('node:fs');

const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];
const pairs = [];

function add(id, reader, writer) {
  if (pairs.some((pair) => pair.id === id)) throw new Error(`duplicate pair id ${id}`);
  pairs.push({ id, reader, writer });
}

const field = (name, type, extra = {}) => ({ name, type, ...extra });
const record = (name, fields, extra = {}) => ({ type: 'record', name, fields, ...extra });
const enumOf = (name, symbols, extra = {}) => ({ type: 'enum', name, symbols, ...extra });
const fixed = (name, size, extra = {}) => ({ type: 'fixed', name, size, ...extra });
const arrayOf = (items) => ({ type: 'array', items });
const mapOf = (values) => ({ type: 'map', values });
const logical = (type, logicalType, extra = {}) => ({ type, logicalType, ...extra });
/** A one-field record: the usual way a type change shows up in a real schema. */
const holder = (type, extra = {}) => record('Holder', [field('value', type, extra)]);

// --- primitives: every writer type against every reader type, as a field and at the top level
for (const writer of PRIMITIVES) {
  for (const reader of PRIMITIVES) {
    add(`primitive-field/${writer}->${reader}`, holder(reader), holder(writer));
  }
}
for (const [writer, reader] of [['int', 'long'], ['long', 'int'], ['string', 'bytes'], ['float', 'double'], ['double', 'float'], ['null', 'null'], ['boolean', 'string']]) {
  add(`primitive-top/${writer}->${reader}`, reader, writer);
}

// --- logical types: compatible iff the underlying types are
const logicalCases = [
  ['int-to-date', 'int', logical('int', 'date')],
  ['date-to-int', logical('int', 'date'), 'int'],
  ['date-to-long', logical('int', 'date'), 'long'],
  ['date-to-timestamp-millis', logical('int', 'date'), logical('long', 'timestamp-millis')],
  ['timestamp-millis-to-micros', logical('long', 'timestamp-millis'), logical('long', 'timestamp-micros')],
  ['timestamp-micros-to-local', logical('long', 'timestamp-micros'), logical('long', 'local-timestamp-micros')],
  ['time-millis-to-time-micros', logical('int', 'time-millis'), logical('long', 'time-micros')],
  ['time-micros-to-time-millis', logical('long', 'time-micros'), logical('int', 'time-millis')],
  ['decimal-precision-change', logical('bytes', 'decimal', { precision: 10, scale: 2 }), logical('bytes', 'decimal', { precision: 12, scale: 2 })],
  ['decimal-scale-change', logical('bytes', 'decimal', { precision: 10, scale: 2 }), logical('bytes', 'decimal', { precision: 10, scale: 4 })],
  ['decimal-bytes-to-string', logical('bytes', 'decimal', { precision: 10, scale: 2 }), 'string'],
  ['decimal-fixed-to-bytes', fixed('Money', 8, { logicalType: 'decimal', precision: 18, scale: 2 }), logical('bytes', 'decimal', { precision: 18, scale: 2 })],
  ['uuid-to-string', logical('string', 'uuid'), 'string'],
  ['string-to-uuid', 'string', logical('string', 'uuid')],
  ['uuid-to-bytes', logical('string', 'uuid'), 'bytes'],
  ['uuid-fixed-to-fixed', fixed('Id', 16, { logicalType: 'uuid' }), fixed('Id', 16)],
  ['duration-to-fixed12', fixed('D', 12, { logicalType: 'duration' }), fixed('D', 12)],
  ['duration-to-fixed-other-size', fixed('D', 12, { logicalType: 'duration' }), fixed('D', 16)],
  ['invalid-logical-falls-back', logical('int', 'timestamp-millis'), 'int'],
  ['unknown-logical', logical('string', 'zip-code'), 'string'],
  ['int-to-timestamp-millis', 'int', logical('long', 'timestamp-millis')],
  ['timestamp-millis-to-int', logical('long', 'timestamp-millis'), 'int'],
  ['local-timestamp-millis-to-double', logical('long', 'local-timestamp-millis'), 'double'],
];
for (const [name, writerType, readerType] of logicalCases) add(`logical/${name}`, holder(readerType), holder(writerType));

// --- records
const base = record('Customer', [field('id', 'string'), field('age', 'int'), field('email', ['null', 'string'], { default: null })], { namespace: 'com.acme' });
const withFields = (fields, extra = {}) => record('Customer', fields, { namespace: 'com.acme', ...extra });
add('record/identical', base, base);
add('record/reader-adds-field-with-default', withFields([...base.fields, field('country', 'string', { default: 'NL' })]), base);
add('record/reader-adds-field-without-default', withFields([...base.fields, field('country', 'string')]), base);
add('record/reader-adds-nullable-field-with-null-default', withFields([...base.fields, field('phone', ['null', 'string'], { default: null })]), base);
add('record/reader-adds-nullable-field-without-default', withFields([...base.fields, field('phone', ['null', 'string'])]), base);
add('record/reader-drops-field', withFields(base.fields.slice(0, 2)), base);
add('record/writer-drops-field-reader-needs-it', base, withFields(base.fields.slice(0, 2)));
add('record/fields-reordered', withFields([...base.fields].reverse()), base);
add('record/field-promoted-int-long', withFields([field('id', 'string'), field('age', 'long'), base.fields[2]]), base);
add('record/field-narrowed-long-int', base, withFields([field('id', 'string'), field('age', 'long'), base.fields[2]]));
add('record/field-renamed-with-reader-alias', withFields([field('id', 'string'), field('years', 'int', { aliases: ['age'] }), base.fields[2]]), base);
add('record/field-renamed-with-writer-alias-only', withFields([field('id', 'string'), field('years', 'int'), base.fields[2]]), withFields([field('id', 'string'), field('age', 'int', { aliases: ['years'] }), base.fields[2]]));
add('record/field-renamed-without-alias', withFields([field('id', 'string'), field('years', 'int'), base.fields[2]]), base);
add('record/field-renamed-alias-and-default', withFields([field('id', 'string'), field('years', 'int', { aliases: ['age'], default: 0 }), base.fields[2]]), base);
add('record/name-changed', record('Client', base.fields, { namespace: 'com.acme' }), base);
add('record/name-changed-with-reader-alias', record('Client', base.fields, { namespace: 'com.acme', aliases: ['Customer'] }), base);
add('record/name-changed-with-writer-alias', base, record('Client', base.fields, { namespace: 'com.acme', aliases: ['Customer'] }));
add('record/name-changed-with-full-alias', record('Client', base.fields, { namespace: 'org.other', aliases: ['com.acme.Customer'] }), base);
add('record/name-changed-with-alias-wrong-namespace', record('Client', base.fields, { namespace: 'org.other', aliases: ['Customer'] }), base);
add('record/namespace-changed', record('Customer', base.fields, { namespace: 'org.other' }), base);
add('record/namespace-removed', record('Customer', base.fields), base);
add('record/namespace-in-dotted-name', record('org.other.Customer', base.fields), base);
add('record/name-and-field-mismatch', record('Client', [field('id', 'long')]), base);
add('record/empty-reader', record('Customer', [], { namespace: 'com.acme' }), base);
add('record/empty-writer', base, record('Customer', [], { namespace: 'com.acme' }));
add('record/empty-writer-all-defaults', withFields([field('a', 'int', { default: 1 }), field('b', ['null', 'long'], { default: null })]), record('Customer', [], { namespace: 'com.acme' }));
add('record/vs-map', mapOf('string'), base);
add('record/error-type-vs-record', { type: 'error', name: 'Customer', namespace: 'com.acme', fields: base.fields }, base);
add('record/many-missing-defaults', withFields([field('a', 'int'), field('b', 'string'), field('c', 'boolean'), field('id', 'long')]), base);
add('record/record-default-for-new-nested', withFields([...base.fields, field('address', record('Address', [field('city', 'string')]), { default: { city: 'Utrecht' } })]), base);
add('record/array-default-for-new-field', withFields([...base.fields, field('tags', arrayOf('string'), { default: [] })]), base);
add('record/map-default-for-new-field', withFields([...base.fields, field('attrs', mapOf('long'), { default: {} })]), base);
add('record/bytes-default-for-new-field', withFields([...base.fields, field('blob', 'bytes', { default: '\u00ff' })]), base);
const nested = (cityType, extraAddressFields = []) =>
  withFields([field('id', 'string'), field('address', record('Address', [field('city', cityType), ...extraAddressFields]))]);
add('record/nested-promotion', nested('bytes'), nested('string'));
add('record/nested-mismatch', nested('int'), nested('string'));
add('record/nested-missing-default', nested('string', [field('zip', 'string')]), nested('string'));
add('record/nested-with-default', nested('string', [field('zip', 'string', { default: '' })]), nested('string'));
add('record/deep-nesting', record('L1', [field('l2', record('L2', [field('l3', record('L3', [field('v', 'long')]))]))]), record('L1', [field('l2', record('L2', [field('l3', record('L3', [field('v', 'int')]))]))]));
add('record/deep-nesting-mismatch', record('L1', [field('l2', record('L2', [field('l3', record('L3', [field('v', 'int')]))]))]), record('L1', [field('l2', record('L2', [field('l3', record('L3', [field('v', 'long')]))]))]));

// --- enums
const suit = (symbols, extra = {}) => holder(enumOf('Suit', symbols, extra));
add('enum/identical', suit(['SPADES', 'HEARTS']), suit(['SPADES', 'HEARTS']));
add('enum/reader-adds-symbol', suit(['SPADES', 'HEARTS', 'CLUBS']), suit(['SPADES', 'HEARTS']));
add('enum/reader-lacks-symbol', suit(['SPADES']), suit(['SPADES', 'HEARTS']));
add('enum/reader-lacks-symbols', suit(['SPADES']), suit(['SPADES', 'HEARTS', 'DIAMONDS', 'CLUBS']));
add('enum/reader-lacks-symbol-with-default', suit(['SPADES', 'UNKNOWN'], { default: 'UNKNOWN' }), suit(['SPADES', 'HEARTS']));
add('enum/writer-default-does-not-help', suit(['SPADES']), suit(['SPADES', 'HEARTS'], { default: 'SPADES' }));
add('enum/reordered', suit(['HEARTS', 'SPADES']), suit(['SPADES', 'HEARTS']));
add('enum/renamed', holder(enumOf('Colour', ['SPADES', 'HEARTS'])), suit(['SPADES', 'HEARTS']));
add('enum/renamed-with-alias', holder(enumOf('Colour', ['SPADES', 'HEARTS'], { aliases: ['Suit'] })), suit(['SPADES', 'HEARTS']));
add('enum/renamed-and-lacking', holder(enumOf('Colour', ['SPADES'])), suit(['SPADES', 'HEARTS']));
add('enum/vs-string', holder('string'), suit(['SPADES']));
add('enum/string-to-enum', suit(['SPADES']), holder('string'));
add('enum/new-field-with-enum-default-no-field-default', record('Holder', [field('value', 'int'), field('suit', enumOf('Suit', ['A', 'B'], { default: 'A' }))]), holder('int'));
add('enum/new-field-no-defaults', record('Holder', [field('value', 'int'), field('suit', enumOf('Suit', ['A', 'B']))]), holder('int'));
add('enum/new-field-with-field-default', record('Holder', [field('value', 'int'), field('suit', enumOf('Suit', ['A', 'B']), { default: 'B' })]), holder('int'));
add('enum/in-union', holder(['null', enumOf('Suit', ['A'])], { default: null }), holder(['null', enumOf('Suit', ['A', 'B'])], { default: null }));
add('enum/in-array', holder(arrayOf(enumOf('Suit', ['A']))), holder(arrayOf(enumOf('Suit', ['A', 'B']))));
add('enum/namespace-differs', holder(enumOf('Suit', ['A'], { namespace: 'x' })), holder(enumOf('Suit', ['A'], { namespace: 'y' })));

// --- fixed
add('fixed/identical', holder(fixed('Hash', 16)), holder(fixed('Hash', 16)));
add('fixed/size-differs', holder(fixed('Hash', 32)), holder(fixed('Hash', 16)));
add('fixed/name-differs', holder(fixed('Digest', 16)), holder(fixed('Hash', 16)));
add('fixed/name-and-size-differ', holder(fixed('Digest', 8)), holder(fixed('Hash', 16)));
add('fixed/renamed-with-alias', holder(fixed('Digest', 16, { aliases: ['Hash'] })), holder(fixed('Hash', 16)));
add('fixed/vs-bytes', holder('bytes'), holder(fixed('Hash', 16)));
add('fixed/bytes-to-fixed', holder(fixed('Hash', 16)), holder('bytes'));
add('fixed/zero-size', holder(fixed('Empty', 0)), holder(fixed('Empty', 0)));
add('fixed/in-map', holder(mapOf(fixed('Hash', 4))), holder(mapOf(fixed('Hash', 8))));

// --- unions
const unionCases = [
  ['writer-type-in-reader-union', ['null', 'string'], 'string'],
  ['writer-type-promotable-into-reader-union', ['null', 'long'], 'int'],
  ['writer-type-missing-from-reader-union', ['null', 'string'], 'int'],
  ['writer-union-into-reader-type', 'string', ['null', 'string']],
  ['writer-union-all-promotable', 'double', ['int', 'long', 'float']],
  ['writer-union-partly-readable', 'long', ['int', 'string']],
  ['union-subset', ['null', 'string', 'int'], ['null', 'string']],
  ['union-superset', ['null', 'string'], ['null', 'string', 'int']],
  ['union-reordered', ['string', 'null'], ['null', 'string']],
  ['union-promotions', ['null', 'long', 'double'], ['null', 'int', 'float']],
  ['union-none-shared', ['boolean', 'bytes'], ['int', 'null']],
  ['single-branch-unions', ['int'], ['int']],
  ['single-branch-reader', ['long'], 'int'],
  ['single-branch-writer', 'long', ['int']],
  ['string-bytes-in-union', ['null', 'bytes'], ['null', 'string']],
  ['record-in-reader-union', ['null', record('Inner', [field('a', 'int')])], record('Inner', [field('a', 'int')])],
  ['record-in-reader-union-incompatible', ['null', record('Inner', [field('a', 'string')])], record('Inner', [field('a', 'int')])],
  ['record-in-both-unions', ['null', record('Inner', [field('a', 'long')])], ['null', record('Inner', [field('a', 'int')])]],
  ['record-in-both-unions-missing-default', ['null', record('Inner', [field('a', 'long'), field('b', 'int')])], ['null', record('Inner', [field('a', 'int')])]],
  ['two-records-in-writer-union', record('A', [field('x', 'int')]), [record('A', [field('x', 'int')]), record('B', [field('x', 'int')])]],
  ['records-by-name-in-unions', [record('A', [field('x', 'int')]), record('B', [field('y', 'int')])], [record('B', [field('y', 'int')]), record('A', [field('x', 'int')])]],
  ['enum-in-unions', ['null', enumOf('E', ['X'])], ['null', enumOf('E', ['X', 'Y'])]],
  ['array-in-unions', ['null', arrayOf('long')], ['null', arrayOf('int')]],
  ['array-in-unions-mismatch', ['null', arrayOf('int')], ['null', arrayOf('string')]],
  ['map-vs-array-in-unions', ['null', mapOf('int')], ['null', arrayOf('int')]],
  ['fixed-in-unions-size', ['null', fixed('F', 4)], ['null', fixed('F', 8)]],
  ['null-into-non-null', 'string', 'null'],
  ['nullable-made-required', 'string', ['null', 'string']],
  ['required-made-nullable', ['null', 'string'], 'string'],
  ['empty-writer-union', 'string', []],
  ['empty-reader-union', [], 'string'],
];
for (const [name, readerType, writerType] of unionCases) {
  const readerDefault = Array.isArray(readerType) && readerType[0] === 'null' ? { default: null } : {};
  add(`union/${name}`, holder(readerType, readerDefault), holder(writerType));
}
add('union/top-level-unions', ['null', 'long', 'string'], ['int', 'string']);
add('union/top-level-writer-union', 'long', ['int', 'boolean']);

// --- arrays and maps
const containerCases = [
  ['array-items-promoted', arrayOf('long'), arrayOf('int')],
  ['array-items-narrowed', arrayOf('int'), arrayOf('long')],
  ['array-items-string-bytes', arrayOf('bytes'), arrayOf('string')],
  ['array-of-arrays', arrayOf(arrayOf('double')), arrayOf(arrayOf('float'))],
  ['array-of-arrays-mismatch', arrayOf(arrayOf('int')), arrayOf(arrayOf('boolean'))],
  ['array-of-records', arrayOf(record('Item', [field('sku', 'string'), field('qty', 'long')])), arrayOf(record('Item', [field('sku', 'string'), field('qty', 'int')]))],
  ['array-of-records-missing-default', arrayOf(record('Item', [field('sku', 'string'), field('price', 'double')])), arrayOf(record('Item', [field('sku', 'string')]))],
  ['array-vs-map', arrayOf('int'), mapOf('int')],
  ['map-vs-array', mapOf('int'), arrayOf('int')],
  ['map-values-promoted', mapOf('double'), mapOf('long')],
  ['map-values-mismatch', mapOf('int'), mapOf('string')],
  ['map-of-maps', mapOf(mapOf('long')), mapOf(mapOf('int'))],
  ['map-of-records-renamed', mapOf(record('V', [field('a', 'int')])), mapOf(record('W', [field('a', 'int')]))],
  ['map-of-nullable', mapOf(['null', 'string']), mapOf('string')],
  ['array-vs-string', arrayOf('string'), 'string'],
  ['array-items-union', arrayOf(['null', 'long']), arrayOf(['null', 'int'])],
];
for (const [name, readerType, writerType] of containerCases) add(`container/${name}`, holder(readerType), holder(writerType));

// --- named, recursive and mutually recursive types
const list = (valueType, extraFields = []) =>
  record('LinkedList', [field('value', valueType), field('next', ['null', 'LinkedList'], { default: null }), ...extraFields]);
add('recursive/linked-list-identical', list('int'), list('int'));
add('recursive/linked-list-promotion', list('long'), list('int'));
add('recursive/linked-list-narrowing', list('int'), list('long'));
add('recursive/linked-list-new-field-default', list('int', [field('label', 'string', { default: '' })]), list('int'));
add('recursive/linked-list-new-field-no-default', list('int', [field('label', 'string')]), list('int'));
const tree = (valueType) => record('Tree', [field('value', valueType), field('children', arrayOf('Tree'))]);
add('recursive/tree-identical', tree('string'), tree('string'));
add('recursive/tree-promotion', tree('bytes'), tree('string'));
add('recursive/tree-mismatch', tree('int'), tree('string'));
const mutual = (leafType) =>
  record('Ping', [field('n', leafType), field('pong', ['null', record('Pong', [field('m', leafType), field('ping', ['null', 'Ping'], { default: null })])], { default: null })]);
add('recursive/mutual-identical', mutual('int'), mutual('int'));
add('recursive/mutual-promotion', mutual('long'), mutual('int'));
add('recursive/mutual-mismatch', mutual('int'), mutual('string'));
const reused = (first, second) =>
  record('Order', [field('billing', record('Address', [field('city', first), field('zip', second)])), field('shipping', 'Address'), field('previous', ['null', 'Address'], { default: null })]);
add('named/reused-type-identical', reused('string', 'string'), reused('string', 'string'));
add('named/reused-type-mismatch-reported-once', reused('string', 'int'), reused('string', 'string'));
add('named/reused-type-promotion', reused('string', 'long'), reused('string', 'int'));
const viaUnionFirst = (cityType) =>
  record('Order', [field('maybe', ['null', record('Address', [field('city', cityType)])], { default: null }), field('always', 'Address')]);
add('named/union-check-memoised-before-field', viaUnionFirst('int'), record('Order', [field('maybe', record('Address', [field('city', 'string')])), field('always', 'Address')]));
add('named/union-check-memoised-compatible', viaUnionFirst('long'), record('Order', [field('maybe', record('Address', [field('city', 'int')])), field('always', 'Address')]));
const nsRecord = (ns, inner) => record('Envelope', [field('body', record('Body', [field('v', inner)], { namespace: ns }))], { namespace: 'com.acme' });
add('namespace/nested-namespace-differs', nsRecord('a.b', 'int'), nsRecord('c.d', 'int'));
add('namespace/nested-namespace-differs-and-mismatch', nsRecord('a.b', 'int'), nsRecord('c.d', 'string'));
add('namespace/inherited-vs-explicit', record('Envelope', [field('body', record('Body', [field('v', 'int')]))], { namespace: 'com.acme' }), nsRecord('com.acme', 'int'));
add('namespace/reference-by-full-name', record('Envelope', [field('a', fixed('F', 2, { namespace: 'x.y' })), field('b', 'x.y.F')]), record('Envelope', [field('a', fixed('F', 2, { namespace: 'x.y' })), field('b', 'x.y.F')]));
add('namespace/reference-falls-back-to-null-namespace', record('Envelope', [field('a', fixed('F', 2)), field('b', record('Inner', [field('c', 'F')], { namespace: 'q' }))]), record('Envelope', [field('a', fixed('F', 2)), field('b', record('Inner', [field('c', 'F')], { namespace: 'q' }))]));
add('namespace/alias-resolved-in-namespace', record('NewName', [field('a', 'int')], { namespace: 'com.acme', aliases: ['OldName'] }), record('OldName', [field('a', 'int')], { namespace: 'com.acme' }));
add('namespace/alias-in-other-namespace', record('NewName', [field('a', 'int')], { namespace: 'com.acme', aliases: ['OldName'] }), record('OldName', [field('a', 'int')], { namespace: 'org.else' }));

// --- schema validity: the reader is the schema under test (the writer is plain `int`), so
// the oracle says whether Java's Schema.Parser accepts it; our parser must agree.
const validityCases = [
  ['name-starting-with-digit', { type: 'record', name: '1R', fields: [] }],
  ['name-with-dash', record('R', [field('a', { type: 'enum', name: 'my-enum', symbols: ['A'] })])],
  ['namespace-with-empty-segment', record('R', [], { namespace: 'a..b' })],
  ['record-without-name', { type: 'record', fields: [] }],
  ['record-without-fields', { type: 'record', name: 'R' }],
  ['schema-without-type', { name: 'R' }],
  ['nested-type-object', record('R', [field('a', { type: { type: 'array', items: 'int' } })])],
  ['field-name-with-dash', record('R', [field('a-b', 'int')])],
  ['duplicate-field', record('R', [field('a', 'int'), field('a', 'long')])],
  ['field-without-type', record('R', [{ name: 'a' }])],
  ['unknown-type', record('R', [field('a', 'Missing')])],
  ['redefined-type', record('R', [field('a', fixed('F', 1)), field('b', fixed('F', 2))])],
  ['record-redefined-inside-itself', record('R', [field('a', record('R', []))])],
  ['primitive-name-as-type-name', fixed('int', 1)],
  ['invalid-enum-symbol', enumOf('E', ['A', '1B'])],
  ['duplicate-enum-symbol', enumOf('E', ['A', 'A'])],
  ['enum-default-not-a-symbol', enumOf('E', ['A'], { default: 'Z' })],
  ['enum-without-symbols', { type: 'enum', name: 'E' }],
  ['negative-fixed-size', fixed('F', -1)],
  ['array-without-items', { type: 'array' }],
  ['map-without-values', { type: 'map' }],
  ['union-duplicate-primitive', ['null', 'string', 'string']],
  ['union-duplicate-array', [arrayOf('int'), arrayOf('long')]],
  ['union-logical-and-plain-int', ['int', logical('int', 'date')]],
  ['union-nested-directly', ['null', ['int', 'long']]],
  ['union-two-records-same-name-different-namespace', [record('A', [], { namespace: 'x' }), record('A', [], { namespace: 'y' })]],
  ['int-default-string', holder('int', { default: '1' })],
  ['int-default-out-of-range', holder('int', { default: 2 ** 31 })],
  ['long-default-fraction', holder('long', { default: 1.5 })],
  ['float-default-integer', holder('float', { default: 1 })],
  ['bytes-default-number', holder('bytes', { default: 1 })],
  ['boolean-default-string', holder('boolean', { default: 'true' })],
  ['record-default-missing-field', holder(record('P', [field('x', 'int')]), { default: {} })],
  ['record-default-complete', holder(record('P', [field('x', 'int'), field('y', 'int', { default: 0 })]), { default: { x: 1 } })],
  ['enum-field-default-not-a-symbol', holder(enumOf('E', ['A']), { default: 'B' })],
  ['array-default-wrong-item', holder(arrayOf('int'), { default: ['x'] })],
  ['map-default-wrong-value', holder(mapOf('int'), { default: { a: 'x' } })],
  ['union-default-first-branch', holder(['string', 'null'], { default: 'x' })],
  ['union-default-no-branch', holder(['null', 'string'], { default: 5 })],
  ['union-default-second-branch', holder(['null', 'string'], { default: 'x' })],
  ['invalid-field-order', holder('int', { order: 'up' })],
  ['invalid-alias', record('R', [], { aliases: ['ok', '9no'] })],
  ['forward-reference', record('R', [field('a', 'B'), field('b', fixed('B', 2))])],
  ['reference-falls-back-to-null-namespace', record('R', [field('a', fixed('T', 1)), field('b', record('I', [field('c', 'T')], { namespace: 'x' }))])],
  ['error-type', { type: 'error', name: 'Failure', fields: [field('message', 'string')] }],
  ['invalid-decimal-is-ignored', logical('bytes', 'decimal', { precision: 2, scale: 3 })],
  ['unknown-logical-type-is-ignored', logical('string', 'zip-code')],
];
for (const [name, schema] of validityCases) add(`validity/${name}`, schema, 'int');

// --- seeded random schemas and random evolutions
let seed = 20261126;
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const chance = (p) => random() < p;
let nameCounter = 0;

const LOGICALS = [logical('int', 'date'), logical('long', 'timestamp-millis'), logical('long', 'timestamp-micros'), logical('string', 'uuid'), logical('bytes', 'decimal', { precision: 9, scale: 2 })];

/** A random field type; `defined` holds the named types defined so far, which may be referenced by name. */
function randomType(depth, defined) {
  const roll = random();
  if (roll < 0.05 && defined.length > 0) {
    const reference = pick(defined);
    // A reference to a record still being defined is recursion: only through a nullable union.
    return reference.startsWith('R') ? ['null', reference] : reference;
  }
  if (roll < 0.4) return pick(PRIMITIVES.slice(1));
  if (roll < 0.48) return pick(LOGICALS);
  if (roll < 0.58) {
    const inner = randomType(depth + 1, defined);
    return Array.isArray(inner) ? inner : ['null', inner];
  }
  if (roll < 0.64) return named(defined, enumOf(`E${++nameCounter}`, ['A', 'B', 'C'].slice(0, 1 + Math.floor(random() * 3))));
  if (roll < 0.68) return named(defined, fixed(`F${++nameCounter}`, pick([4, 8, 16])));
  if (roll < 0.74) return arrayOf(randomType(depth + 1, defined));
  if (roll < 0.79) return mapOf(randomType(depth + 1, defined));
  if (roll < 0.83) return pick([['int', 'string'], ['null', 'long', 'string'], ['boolean', 'double'], ['null', 'bytes']]);
  if (roll < 0.9 && depth < 3) return randomRecord(depth + 1, defined);
  return pick(PRIMITIVES.slice(1));
}

function named(defined, schema) {
  defined.push(schema.name);
  return schema;
}

function randomRecord(depth, defined) {
  const schema = named(defined, record(`R${++nameCounter}`, []));
  const count = 1 + Math.floor(random() * 5);
  for (let i = 0; i < count; i++) schema.fields.push(field(`f${i}`, randomType(depth, defined)));
  return schema;
}

const clone = (value) => JSON.parse(JSON.stringify(value));

/** Every record object in a schema (definitions only), to pick mutation targets from. */
function recordsIn(schema, out = []) {
  if (Array.isArray(schema)) schema.forEach((branch) => recordsIn(branch, out));
  else if (schema && typeof schema === 'object') {
    if (schema.type === 'record') {
      out.push(schema);
      schema.fields.forEach((f) => recordsIn(f.type, out));
    } else if (schema.type === 'array') recordsIn(schema.items, out);
    else if (schema.type === 'map') recordsIn(schema.values, out);
  }
  return out;
}

function enumsIn(schema) {
  const found = [];
  const walk = (s) => {
    if (Array.isArray(s)) s.forEach(walk);
    else if (s && typeof s === 'object') {
      if (s.type === 'enum') found.push(s);
      else if (s.type === 'record') s.fields.forEach((f) => walk(f.type));
      else if (s.type === 'array') walk(s.items);
      else if (s.type === 'map') walk(s.values);
    }
  };
  walk(schema);
  return found;
}

function fixedsIn(schema) {
  const found = [];
  const walk = (s) => {
    if (Array.isArray(s)) s.forEach(walk);
    else if (s && typeof s === 'object') {
      if (s.type === 'fixed') found.push(s);
      else if (s.type === 'record') s.fields.forEach((f) => walk(f.type));
      else if (s.type === 'array') walk(s.items);
      else if (s.type === 'map') walk(s.values);
    }
  };
  walk(schema);
  return found;
}

const PROMOTE = { int: ['long', 'float', 'double'], long: ['float', 'double'], float: ['double'], string: ['bytes'], bytes: ['string'] };
const DEFAULTS = { boolean: false, int: 0, long: 0, float: 0, double: 0, bytes: '', string: '' };

const MUTATIONS = {
  addFieldWithDefault(schema) {
    const target = pick(recordsIn(schema));
    const type = pick(Object.keys(DEFAULTS));
    target.fields.push(field(`added${++nameCounter}`, type, { default: DEFAULTS[type] }));
  },
  addNullableFieldWithDefault(schema) {
    pick(recordsIn(schema)).fields.push(field(`opt${++nameCounter}`, ['null', pick(Object.keys(DEFAULTS))], { default: null }));
  },
  addFieldWithoutDefault(schema) {
    pick(recordsIn(schema)).fields.push(field(`req${++nameCounter}`, pick(Object.keys(DEFAULTS))));
  },
  removeField(schema) {
    const target = pick(recordsIn(schema).filter((r) => r.fields.length > 1));
    if (target) target.fields.splice(Math.floor(random() * target.fields.length), 1);
  },
  promoteField(schema) {
    const candidates = recordsIn(schema).flatMap((r) => r.fields.filter((f) => typeof f.type === 'string' && PROMOTE[f.type]));
    const target = candidates.length > 0 && pick(candidates);
    if (target) target.type = pick(PROMOTE[target.type]);
  },
  retypeField(schema) {
    const candidates = recordsIn(schema).flatMap((r) => r.fields.filter((f) => typeof f.type === 'string' && DEFAULTS[f.type] !== undefined));
    const target = candidates.length > 0 && pick(candidates);
    if (target) target.type = pick(Object.keys(DEFAULTS));
  },
  makeNullable(schema) {
    const candidates = recordsIn(schema).flatMap((r) => r.fields.filter((f) => typeof f.type === 'string' && DEFAULTS[f.type] !== undefined));
    const target = candidates.length > 0 && pick(candidates);
    if (target) {
      target.type = ['null', target.type];
      target.default = null;
    }
  },
  makeRequired(schema) {
    const candidates = recordsIn(schema).flatMap((r) => r.fields.filter((f) => Array.isArray(f.type) && f.type.length === 2 && f.type[0] === 'null'));
    const target = candidates.length > 0 && pick(candidates);
    if (target) {
      target.type = target.type[1];
      delete target.default;
    }
  },
  renameFieldWithAlias(schema) {
    const target = pick(recordsIn(schema));
    const renamed = pick(target.fields);
    renamed.aliases = [renamed.name];
    renamed.name = `renamed${++nameCounter}`;
  },
  renameFieldWithoutAlias(schema) {
    const renamed = pick(pick(recordsIn(schema)).fields);
    renamed.name = `renamed${++nameCounter}`;
  },
  renameRecordWithAlias(schema) {
    const target = pick(recordsIn(schema).filter((r) => r !== schema)) ?? schema;
    target.aliases = [target.name];
    target.name = `Renamed${++nameCounter}`;
  },
  renameRecordWithoutAlias(schema) {
    const target = pick(recordsIn(schema).filter((r) => r !== schema)) ?? schema;
    target.name = `Renamed${++nameCounter}`;
  },
  reorderFields(schema) {
    pick(recordsIn(schema)).fields.reverse();
  },
  addEnumSymbol(schema) {
    const target = pick(enumsIn(schema));
    if (target) target.symbols.push(`S${++nameCounter}`);
  },
  removeEnumSymbol(schema) {
    const target = pick(enumsIn(schema).filter((e) => e.symbols.length > 1));
    if (target) target.symbols.pop();
  },
  addEnumDefault(schema) {
    const target = pick(enumsIn(schema));
    if (target) target.default = target.symbols[0];
  },
  addUnionBranch(schema) {
    const unions = recordsIn(schema).flatMap((r) => r.fields.filter((f) => Array.isArray(f.type)));
    const target = unions.length > 0 && pick(unions);
    const missing = target && PRIMITIVES.slice(1).filter((p) => !target.type.includes(p));
    if (missing && missing.length > 0) target.type.push(pick(missing));
  },
  removeUnionBranch(schema) {
    const unions = recordsIn(schema).flatMap((r) => r.fields.filter((f) => Array.isArray(f.type) && f.type.length > 2));
    const target = unions.length > 0 && pick(unions);
    if (target) target.type.pop();
  },
  setRootNamespace(schema) {
    schema.namespace = pick(['com.acme', 'org.other', 'com.acme.v2']);
  },
  wrapFieldInArray(schema) {
    const target = pick(pick(recordsIn(schema)).fields);
    target.type = arrayOf(target.type);
    delete target.default;
  },
  wrapFieldInMap(schema) {
    const target = pick(pick(recordsIn(schema)).fields);
    target.type = mapOf(target.type);
    delete target.default;
  },
  resizeFixed(schema) {
    const target = pick(fixedsIn(schema));
    if (target) target.size += pick([-1, 1, 4]);
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);
let randomPairs = 0;
while (randomPairs < 600) {
  const original = randomRecord(0, []);
  const evolved = clone(original);
  const applied = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const mutation = pick(MUTATION_NAMES);
    MUTATIONS[mutation](evolved);
    applied.push(mutation);
  }
  if (JSON.stringify(evolved) === JSON.stringify(original)) continue;
  randomPairs++;
  const id = `random/${String(randomPairs).padStart(3, '0')}-${applied.join('+')}`;
  if (chance(0.5)) add(`${id}/backward`, evolved, original);
  else add(`${id}/forward`, original, evolved);
}

fs.writeFileSync(process.argv[2], `${JSON.stringify(pairs, null, 1)}\n`);
