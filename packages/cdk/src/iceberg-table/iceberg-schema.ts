/**
 * Iceberg schema and partition-spec building: Glue type strings -> Iceberg types with field ids
 * that stay stable across schema versions, and the `partitioning` text -> a partition spec.
 */

import { defaultPartitionTimeColumn, planPartitioning, type PartitionColumn } from '@data-mesh/spec';

/**
 * One top-level column of a table, as the constructs take it: a Glue type string, plus the
 * Iceberg type where Glue's loses it. {@link avroColumns} makes them from an Avro schema.
 * (`IcebergColumn` of `@data-mesh/schema-compat` is the mapping's own column: an Iceberg type
 * tree with field ids.)
 */
export interface TableColumn {
  readonly name: string;
  /** Glue/Hive type string: `bigint`, `timestamp`, `decimal(10,2)`, `array<string>`, `struct<a:int,b:string>` ... */
  readonly type: string;
  /** @default false */
  readonly required?: boolean;
  /** @default - none */
  readonly doc?: string;
  /**
   * The Iceberg type of a primitive column when the Glue type loses it (Glue writes `timestamp`
   * for both timestamp and timestamptz, `string` for time and uuid, `binary` for fixed):
   * `timestamptz`, `timestamp`, `time`, `uuid`, `fixed[16]` ...
   * @default - derived from `type`
   */
  readonly icebergType?: string;
}

/**
 * Iceberg's JSON serialization of a schema (table metadata, Glue's Iceberg API: hyphenated keys,
 * primitive types as strings), which the custom resource sends. The typed model of the same
 * types is `IcebergType` / `IcebergField` of `@data-mesh/schema-compat`.
 */
export type IcebergJsonType = string | IcebergJsonStructType | IcebergJsonListType | IcebergJsonMapType;
export interface IcebergJsonField { id: number; name: string; required: boolean; type: IcebergJsonType; doc?: string }
export interface IcebergJsonStructType { type: 'struct'; fields: IcebergJsonField[] }
export interface IcebergJsonListType { type: 'list'; 'element-id': number; element: IcebergJsonType; 'element-required': boolean }
export interface IcebergJsonMapType { type: 'map'; 'key-id': number; key: IcebergJsonType; 'value-id': number; value: IcebergJsonType; 'value-required': boolean }
export interface IcebergJsonSchema { 'schema-id': number; type: 'struct'; fields: IcebergJsonField[] }
export interface IcebergPartitionField { 'source-id': number; 'field-id': number; name: string; transform: string }
export interface IcebergPartitionSpec { 'spec-id': number; fields: IcebergPartitionField[] }

// ---- Glue type string parsing -------------------------------------------------------------

type GlueType =
  | { kind: 'primitive'; name: string }
  | { kind: 'struct'; fields: { name: string; type: GlueType }[] }
  | { kind: 'array'; element: GlueType }
  | { kind: 'map'; key: GlueType; value: GlueType };

/** Parses a Glue/Hive type string. Throws on malformed input. */
export function parseGlueType(text: string): GlueType {
  let pos = 0;
  const src = text.trim();
  const fail = (what: string): never => { throw new Error(`invalid Glue type "${text}": ${what} at ${pos}`); };
  const ws = () => { while (pos < src.length && /\s/.test(src[pos])) pos++; };
  const ident = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(pos));
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const expect = (ch: string) => { ws(); if (src[pos] !== ch) fail(`expected "${ch}"`); pos++; };
  const type = (): GlueType => {
    const name = ident().toLowerCase();
    ws();
    if (name === 'struct') {
      expect('<');
      const fields: { name: string; type: GlueType }[] = [];
      ws();
      if (src[pos] === '>') { pos++; return { kind: 'struct', fields }; }
      for (;;) {
        ws();
        const m = /^`?([^:`<>,\s]+)`?/.exec(src.slice(pos));
        if (!m) fail('expected a field name');
        pos += m![0].length;
        expect(':');
        fields.push({ name: m![1], type: type() });
        ws();
        if (src[pos] === ',') { pos++; continue; }
        expect('>');
        return { kind: 'struct', fields };
      }
    }
    if (name === 'array') { expect('<'); const element = type(); expect('>'); return { kind: 'array', element }; }
    if (name === 'map') { expect('<'); const key = type(); expect(','); const value = type(); expect('>'); return { kind: 'map', key, value }; }
    if (src[pos] === '(') {
      const end = src.indexOf(')', pos);
      if (end < 0) fail('unclosed "("');
      const args = src.slice(pos + 1, end).replace(/\s+/g, '');
      pos = end + 1;
      return { kind: 'primitive', name: `${name}(${args})` };
    }
    return { kind: 'primitive', name };
  };
  const t = type();
  ws();
  if (pos !== src.length) fail('trailing text');
  return t;
}

const PRIMITIVES: Record<string, string> = {
  boolean: 'boolean', tinyint: 'int', smallint: 'int', int: 'int', integer: 'int', bigint: 'long',
  float: 'float', double: 'double', string: 'string', binary: 'binary', date: 'date',
  timestamp: 'timestamptz', timestamptz: 'timestamptz', timestamp_ntz: 'timestamp', uuid: 'uuid',
};

/**
 * Allocates field ids: an id is tied to the column's path (`payload.customer_id`,
 * `tags.element`) the first time the path appears in the history and is never reused, so
 * a column keeps its id across versions and a dropped column's id is not recycled.
 */
class IdAllocator {
  private readonly ids = new Map<string, number>();
  private next = 1;
  id(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) { id = this.next++; this.ids.set(path, id); }
    return id;
  }
  get lastColumnId(): number { return this.next - 1; }
}

function toIceberg(t: GlueType, path: string, ids: IdAllocator): IcebergJsonType {
  switch (t.kind) {
    case 'primitive': {
      const dec = /^decimal\((\d+),(\d+)\)$/.exec(t.name);
      if (dec) return `decimal(${dec[1]}, ${dec[2]})`;
      if (/^(var)?char(\(\d+\))?$/.test(t.name)) return 'string';
      const p = PRIMITIVES[t.name];
      if (!p) throw new Error(`column "${path}": Glue type "${t.name}" has no Iceberg equivalent`);
      return p;
    }
    case 'struct':
      return { type: 'struct', fields: t.fields.map((f) => ({ id: ids.id(`${path}.${f.name}`), name: f.name, required: false, type: toIceberg(f.type, `${path}.${f.name}`, ids) })) };
    case 'array':
      return { type: 'list', 'element-id': ids.id(`${path}.element`), element: toIceberg(t.element, `${path}.element`, ids), 'element-required': false };
    case 'map':
      return { type: 'map', 'key-id': ids.id(`${path}.key`), key: toIceberg(t.key, `${path}.key`, ids), 'value-id': ids.id(`${path}.value`), value: toIceberg(t.value, `${path}.value`, ids), 'value-required': false };
  }
}

/**
 * Builds the Iceberg schema of the last version of `history` (oldest first), with field ids
 * allocated over the whole history (see {@link IdAllocator}). Top-level columns are allocated
 * before nested ones in each version, so a flat table gets ids 1..n in column order.
 */
export function buildIcebergSchema(history: readonly (readonly TableColumn[])[]): { schema: IcebergJsonSchema; lastColumnId: number } {
  if (history.length === 0) throw new Error('at least one schema version is required');
  const ids = new IdAllocator();
  let fields: IcebergJsonField[] = [];
  for (const columns of history) {
    const seen = new Set<string>();
    for (const c of columns) {
      if (seen.has(c.name)) throw new Error(`duplicate column "${c.name}"`);
      seen.add(c.name);
      ids.id(c.name);
    }
    fields = columns.map((c) => {
      const glue = parseGlueType(c.type);
      const type = c.icebergType && glue.kind === 'primitive' ? c.icebergType : toIceberg(glue, c.name, ids);
      const field: IcebergJsonField = { id: ids.id(c.name), name: c.name, required: c.required ?? false, type };
      if (c.doc) field.doc = c.doc;
      return field;
    });
  }
  return { schema: { 'schema-id': history.length - 1, type: 'struct', fields }, lastColumnId: ids.lastColumnId };
}

// ---- partitioning ---------------------------------------------------------------------------

/**
 * Parses a port's `partitioning`:
 * - `year`, `year/month`, `year/month/day`, `year/month/day/hour` (the article's Hive-style
 *   layout) become ONE hidden-partitioning transform on the time column: `day(<timeColumn>)`
 *   etc. Iceberg derives coarser levels from the finer one, so year/month fields would be redundant;
 * - otherwise a comma-separated list of Iceberg transforms: `day(ts)`, `hour(ts)`, `month(ts)`,
 *   `year(ts)`, `bucket(16, id)`, `truncate(4, name)`, `identity(region)` or a bare column `region`.
 *
 * Partition field ids start at 1000, as Iceberg's spec does.
 */
export function buildPartitionSpec(partitioning: string | undefined, schema: IcebergJsonSchema, timeColumn?: string): IcebergPartitionSpec {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  // the same reading as mesh validate's MESH121, so a port that validates also synthesizes
  const plan = planPartitioning(partitioning, partitionColumns(schema), timeColumn);
  if (!plan.ok) throw new Error(plan.message);
  const fields: IcebergPartitionField[] = plan.parts.map((p, i) => ({ 'source-id': byName.get(p.column)!.id, 'field-id': 1000 + i, name: p.name, transform: p.transform }));
  return { 'spec-id': 0, fields };
}

/**
 * The column `year/month/day` partitions on when none is named: among the date/timestamp
 * columns (timestamp only for `hour`), a required one (a partition source is never null) whose
 * name says it is the partition or business date (`snapshot_date`, `kpi_date`, `snapshot_at`,
 * `event_time` ...) first, then any required one, then the first one; ties keep column order.
 */
export function defaultTimeColumn(schema: IcebergJsonSchema, level: 'year' | 'month' | 'day' | 'hour' = 'day'): string | undefined {
  return defaultPartitionTimeColumn(partitionColumns(schema), level);
}

/** The table's columns as the partition reading (shared with mesh validate) sees them. */
function partitionColumns(schema: IcebergJsonSchema): PartitionColumn[] {
  return schema.fields.map((f) => ({
    name: f.name,
    kind: typeof f.type !== 'string' ? 'nested' : /^timestamptz?$/.test(f.type) ? 'timestamp' : f.type === 'date' ? 'date' : 'other',
    required: f.required,
    ...(typeof f.type === 'string' ? { type: f.type } : {}),
  }));
}

