import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHANGE_RULES, diffMesh, GitError, type DiffResult } from '../src';
import { gitMesh, lineOf, MAP, ORDER_SCHEMA, ORDERS, replace, REVENUE, REVENUE_SCHEMA, type Edit } from './helpers';
import { addNote, dropNoteDefault, setMode, shallowClone } from './history-fixture';

const NOW = new Date('2026-11-26T12:00:00Z');

/** Rewrites the order schema's field list. */
function orderFields(change: (fields: Record<string, unknown>[]) => Record<string, unknown>[]): Edit {
  return (old) => {
    const schema = JSON.parse(old);
    schema.fields = change(schema.fields);
    return JSON.stringify(schema, null, 2);
  };
}

const bump = (version: string): Edit => replace(/version: "[^"]+"/, `version: "${version}"`);
const both = (...edits: ((old: string) => string | Buffer)[]): Edit => (old) => edits.reduce<string>((text, edit) => edit(text) as string, old);

const AUDIT_PORT = [
  '    - name: order_audit',
  '      type: stream',
  '      format: avro',
  '      schema: "schema-registry://orders/order_event_v1"',
  '      topic: "orders-domain.order-audit.v1"',
  '      sla: { freshness: "< 5 minutes", uptime: "99.9%" }',
  '',
].join('\n');
const addAuditPort = (extra = ''): Edit => replace('  qualityChecks:', `${AUDIT_PORT.replace('      sla:', `${extra}      sla:`)}  qualityChecks:`);

interface ChangeCase {
  readonly code: string;
  readonly name: string;
  /** Commits before the change (the base is the last of them). */
  readonly setup?: Record<string, Edit>;
  readonly change: Record<string, Edit>;
  readonly file: string;
  readonly marker: string;
  readonly severity?: 'error' | 'warning' | 'info';
  readonly message?: RegExp;
  /** Diff in a `git clone --depth N` of the repository. */
  readonly depth?: number;
}

const failing: ChangeCase[] = [
  {
    code: 'MESH201', name: 'an incompatible type change under BACKWARD_TRANSITIVE',
    change: { [ORDER_SCHEMA]: orderFields((f) => f.map((x) => (x.name === 'customer_email' ? { ...x, type: 'int' } : x))), [ORDERS]: bump('2.0.0') },
    file: ORDER_SCHEMA, marker: '"type": "int"', message: /TYPE_MISMATCH/,
  },
  {
    code: 'MESH202', name: 'narrowing a batch column',
    change: { [REVENUE_SCHEMA]: (old) => old.replace('{ "name": "order_count", "type": "long" }', '{ "name": "order_count", "type": "int" }'), [REVENUE]: bump('4.0.0') },
    file: REVENUE, marker: 'schema: "schema-registry://finance/revenue_daily_v3"', message: /Iceberg/,
  },
  {
    code: 'MESH203', name: 'removing a field a consumer reads',
    change: { [ORDER_SCHEMA]: orderFields((f) => f.filter((x) => x.name !== 'amount')), [ORDERS]: bump('2.0.0') },
    file: ORDERS, marker: 'schema: "schema-registry://orders/order_event_v1"', message: /breaks finance\/revenue-daily \(team finance-team, on-call finance-oncall\), which reads amount \(removed\)/,
  },
  {
    code: 'MESH204', name: 'removing a port that was never deprecated',
    setup: { [ORDERS]: addAuditPort() },
    change: { [ORDERS]: both(replace(AUDIT_PORT, ''), bump('2.0.0')) },
    file: ORDERS, marker: 'outputPorts:', message: /never deprecated/,
  },
  {
    code: 'MESH204', name: 'removing a deprecated port before its sunset',
    setup: { [ORDERS]: addAuditPort('      deprecated: true\n      sunset: "2027-06-30"\n') },
    change: { [ORDERS]: both((old) => old.replace(/ {4}- name: order_audit[\s\S]*?uptime: "99.9%" }\n/, ''), bump('1.3.0')) },
    file: ORDERS, marker: 'outputPorts:', message: /sunset date 2027-06-30 has not passed/,
  },
  {
    code: 'MESH205', name: 'loosening freshness',
    change: { [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 10 minutes"'), bump('1.2.1')) },
    file: ORDERS, marker: 'freshness: "< 10 minutes"', message: /loosened/,
  },
  {
    code: 'MESH205', name: 'lowering uptime',
    change: { [ORDERS]: both(replace('uptime: "99.99%"', 'uptime: "99.9%"'), bump('1.2.1')) },
    file: ORDERS, marker: 'uptime: "99.9%"', message: /lowered/,
  },
  {
    code: 'MESH206', name: 'a freshness change that opens a gap downstream',
    change: { [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 2 days"'), bump('2.0.0')) },
    file: ORDERS, marker: 'freshness: "< 2 days"', message: /finance\/revenue-daily \(team finance-team\) promises/,
  },
  {
    code: 'MESH207', name: 'lowering the classification',
    change: { [ORDERS]: both(replace('data_classification: confidential', 'data_classification: internal'), bump('1.2.1')) },
    file: ORDERS, marker: 'data_classification: internal', message: /classification lowered from confidential to internal/,
  },
  {
    code: 'MESH207', name: 'unmarking a PII field still in the schema',
    change: { [ORDERS]: both(replace('pii_fields: [customer_email]', 'pii_fields: []'), bump('1.2.1')) },
    file: ORDERS, marker: 'pii_fields: []', message: /"customer_email" is no longer marked as PII/,
  },
  {
    code: 'MESH207', name: 'raising retention and dropping the access policy',
    change: { [ORDERS]: both(replace('retention_days: 365', 'retention_days: 3650'), replace('    access_policy: "opa://orders-domain/order-events-v1-access"\n', ''), bump('1.2.1')) },
    file: ORDERS, marker: 'retention_days: 3650', message: /retention raised from 365 to 3650 days/,
  },
  {
    code: 'MESH208', name: 'a breaking change without a major bump',
    change: { [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 10 minutes"'), bump('1.3.0')) },
    file: ORDERS, marker: 'version: "1.3.0"', message: /needs a major version bump but makes a minor one/,
  },
  {
    code: 'MESH208', name: 'a change with no bump at all', severity: 'warning',
    change: { [ORDERS]: replace('Every order placed', 'Every order ever placed') },
    file: ORDERS, marker: 'version: "1.2.0"', message: /needs a patch version bump but makes none/,
  },
  {
    code: 'MESH208', name: 'a version that goes backwards',
    change: { [ORDERS]: both(replace('Every order placed', 'Every order ever placed'), bump('1.1.9')) },
    file: ORDERS, marker: 'version: "1.1.9"', message: /goes backwards/,
  },
  {
    code: 'MESH211', name: 'removing a product that others read',
    change: { 'domains/orders/order-events-v1': null, [MAP]: replace('source_products: [order-events-v1]', 'source_products: []') },
    file: MAP, marker: '  orders:', message: /finance\/revenue-daily \(team finance-team, on-call finance-oncall\) still reads it/,
  },
  {
    code: 'MESH211', name: 'removing a retired product that others still read',
    setup: { [ORDERS]: replace('  tags: [pii]\n', '  tags: [pii]\n  status: retired\n') },
    change: { 'domains/orders/order-events-v1': null, [MAP]: replace('source_products: [order-events-v1]', 'source_products: []') },
    file: MAP, marker: '  orders:', message: /orders\/order-events-v1 is removed but finance\/revenue-daily \(team finance-team, on-call finance-oncall\) still reads it/,
  },
  {
    code: 'MESH215', name: 'removing an active product that no one reads',
    change: { 'domains/finance/revenue-daily': null, [MAP]: replace('consumer_products: [revenue-daily]', 'consumer_products: []') },
    file: MAP, marker: '  finance:', message: /finance\/revenue-daily is removed while its status at the base is active/,
  },
  {
    code: 'MESH215', name: 'removing a deprecated product whose sunset has passed',
    setup: { [REVENUE]: replace('  domain: finance\n', '  domain: finance\n  status: deprecated\n  sunset: "2026-10-31"\n') },
    change: { 'domains/finance/revenue-daily': null, [MAP]: replace('consumer_products: [revenue-daily]', 'consumer_products: []') },
    file: MAP, marker: '  finance:', message: /status at the base is deprecated/,
  },
  {
    code: 'MESH212', name: 'moving a topic in place',
    change: { [ORDERS]: both(replace('topic: "orders-domain.order-events-v1"', 'topic: "orders.order-events-v1"'), bump('2.0.0')) },
    file: ORDERS, marker: 'topic: "orders.order-events-v1"', message: /moves from "orders-domain.order-events-v1"/,
  },
  {
    code: 'MESH213', name: 'loosening the compatibility mode', severity: 'warning',
    change: { [ORDERS]: both(replace('      format: avro\n', '      format: avro\n      compatibility: NONE\n'), bump('1.2.1')) },
    file: ORDERS, marker: 'compatibility: NONE', message: /no longer checks backward latest, backward all/,
  },
  {
    code: 'MESH214', name: 'a transitive check in a shallow clone that holds only the base version',
    setup: { [ORDERS]: both(setMode('FULL_TRANSITIVE'), bump('1.3.0')), [ORDER_SCHEMA]: addNote },
    change: { [ORDER_SCHEMA]: dropNoteDefault, [ORDERS]: bump('2.0.0') },
    depth: 2,
    file: ORDERS, marker: 'schema: "schema-registry://orders/order_event_v1"',
    message: /the FULL_TRANSITIVE check of "order_events" is incomplete: .*domains\/orders\/schemas\/order_event_v1\.avsc stops at the shallow boundary [0-9a-f]{12}.*checked against 1 earlier version, not every one/,
  },
];

function diffOf(c: { setup?: Record<string, Edit>; change: Record<string, Edit>; depth?: number }): { root: string; result: DiffResult } {
  const repo = gitMesh();
  const base = c.setup ? repo.commit(c.setup, 'setup') : 'HEAD';
  const head = repo.commit(c.change);
  const root = c.depth ? shallowClone(repo.root, c.depth) : repo.root;
  return { root, result: diffMesh(root, { base: base === 'HEAD' ? 'HEAD~1' : base, head, now: NOW }) };
}

describe.each(failing)('$code $name', (c) => {
  it('reports the change at its file and line', () => {
    const { root, result } = diffOf(c);
    const found = result.diagnostics.filter((d) => d.code === c.code);
    const line = lineOf(root, c.file, c.marker);
    expect(found).toEqual(expect.arrayContaining([expect.objectContaining({ code: c.code, file: c.file, line, severity: c.severity ?? 'error' })]));
    if (c.message) expect(found.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringMatching(c.message)]));
  });
});

describe('changes that pass', () => {
  it('removing a field nobody reads is safe for consumers under BACKWARD_TRANSITIVE, with the evidence', () => {
    const { result } = diffOf({ change: { [ORDER_SCHEMA]: orderFields((f) => f.filter((x) => x.name !== 'status')), [ORDERS]: both(replace('"amount >= 0 AND status IN (\'PLACED\', \'PAID\')"', '"amount >= 0"'), bump('1.2.1')) } });
    expect(result.summary).toMatchObject({ errors: 0, breaking: 0, changed: 1 });
    expect(result.changes[0]?.safe).toEqual([{ port: 'order_events', change: 'removes status', evidence: 'finance/revenue-daily reads order_id, amount, occurred_at, billing.country' }]);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'MESH203', severity: 'info' })]);
  });

  it('adding an optional field is additive and needs a minor bump', () => {
    const addNote = orderFields((f) => [...f, { name: 'note', type: ['null', 'string'], default: null }]);
    const patch = diffOf({ change: { [ORDER_SCHEMA]: addNote, [ORDERS]: bump('1.2.1') } }).result;
    expect(patch.changes[0]?.version).toEqual({ base: '1.2.0', head: '1.2.1', required: 'minor', made: 'patch' });
    expect(patch.diagnostics.map((d) => d.code)).toEqual(['MESH208']);
    const minor = diffOf({ change: { [ORDER_SCHEMA]: addNote, [ORDERS]: bump('1.3.0') } }).result;
    expect(minor.diagnostics).toEqual([]);
    expect(minor.changes[0]?.additive).toEqual(['order_events: adds note']);
  });

  it('removing a deprecated port after its sunset that nobody reads is allowed', () => {
    const { result } = diffOf({
      setup: { [ORDERS]: addAuditPort('      deprecated: true\n      sunset: "2026-10-31"\n') },
      change: { [ORDERS]: both((old) => old.replace(/ {4}- name: order_audit[\s\S]*?uptime: "99.9%" }\n/, ''), bump('1.3.0')) },
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.changes[0]?.additive).toEqual(['removed the deprecated port order_audit after its sunset (2026-10-31); no consumer reads it']);
  });

  it('removing a retired product that no one reads is allowed', () => {
    const { result } = diffOf({
      setup: { [REVENUE]: replace('  domain: finance\n', '  domain: finance\n  status: retired\n  sunset: "2026-10-31"\n') },
      change: { 'domains/finance/revenue-daily': null, [MAP]: replace('consumer_products: [revenue-daily]', 'consumer_products: []') },
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.changes).toEqual([expect.objectContaining({ product: 'finance/revenue-daily', change: 'removed', breaking: [] })]);
  });

  it('a removed product that is read and was never retired names both reasons', () => {
    const { result } = diffOf({ change: { 'domains/orders/order-events-v1': null, [MAP]: replace('source_products: [order-events-v1]', 'source_products: []') } });
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['MESH211', 'MESH215']);
    expect(result.changes[0]?.breaking).toEqual(['removed while finance/revenue-daily reads it', 'removed while active: it never went through retired']);
  });

  it('a product whose head spec fails its JSON Schema is not taken for a deleted one', () => {
    const { result } = diffOf({ change: { [ORDERS]: replace('metadata:\n', 'metadata:\n  colour: blue\n') } });
    expect(result.diagnostics.filter((d) => d.code === 'MESH211' || d.code === 'MESH215')).toEqual([]);
  });

  it('a new port beside the deprecated one carries a breaking change', () => {
    const { result } = diffOf({
      change: {
        [ORDERS]: both(replace('      format: avro\n', '      format: avro\n      deprecated: true\n      sunset: "2027-03-31"\n'), addAuditPort(), bump('2.0.0')),
      },
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.changes[0]?.version).toMatchObject({ required: 'minor', made: 'major' });
  });

  it('tightening an SLA is additive', () => {
    const { result } = diffOf({ change: { [ORDERS]: both(replace('freshness: "< 1 minute"', 'freshness: "< 30 seconds"'), bump('1.3.0')) } });
    expect(result.diagnostics).toEqual([]);
    expect(result.changes[0]?.additive).toEqual(['order_events: freshness tightened to "< 30 seconds"']);
  });
});

describe('mesh diff against the work tree', () => {
  it('sees uncommitted and untracked changes, and only the changed products', () => {
    const repo = gitMesh();
    fs.writeFileSync(path.join(repo.root, ORDERS), fs.readFileSync(path.join(repo.root, ORDERS), 'utf8').replace('freshness: "< 1 minute"', 'freshness: "< 10 minutes"'));
    const result = diffMesh(repo.root, { base: 'HEAD', now: NOW });
    expect(result.head).toBe('working tree');
    expect(result.changes.map((c) => c.product)).toEqual(['orders/order-events-v1']);
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['MESH205', 'MESH208']);
  });

  it('a schema change counts against every product whose port uses the schema', () => {
    const repo = gitMesh();
    fs.writeFileSync(path.join(repo.root, REVENUE_SCHEMA), fs.readFileSync(path.join(repo.root, REVENUE_SCHEMA), 'utf8').replace('"revenue_usd", "type": "double"', '"revenue_usd", "type": "string"'));
    expect(diffMesh(repo.root, { base: 'HEAD', now: NOW }).changes.map((c) => c.product)).toEqual(['finance/revenue-daily']);
  });

  it('refuses a base that is not a commit, and a directory that is not a repository', () => {
    const repo = gitMesh();
    expect(() => diffMesh(repo.root, { base: 'no-such-branch' })).toThrow(GitError);
    expect(() => diffMesh(repo.root, { base: '--output=/tmp/x' })).toThrow(GitError);
    expect(() => diffMesh(path.dirname(path.dirname(repo.root)), { base: 'HEAD' })).toThrow(GitError);
  });
});

describe('the change-rule registry', () => {
  it.each(CHANGE_RULES.map((r) => [r.code, r.name]))('%s %s has a failing case', (code) => {
    expect(failing.some((c) => c.code === code)).toBe(true);
  });
});
