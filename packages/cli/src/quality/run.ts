import * as os from 'node:os';
import * as path from 'node:path';
import { compileSql, type DataFormat, formatDuration, parsedQualityChecks, parseFreshness, quoteIdentifier, quoteString, recordTimeField, referencesIn, worstCaseStalenessMs, type DataProduct, type OutputPort, type ProductColumnReference, type RuleExpression, type RuleParse, type TopLevelField } from '@data-mesh/spec';

/**
 * Runs a product's quality rules on data files with embedded DuckDB: the files are read into a
 * view whose columns are cast to the port's Avro types (a value that does not cast is a type
 * finding, and the rules see NULL for it), then each rule's compiled verdict query runs.
 */

export interface TypeFinding {
  readonly column: string;
  readonly expected: string;
  /** `missing`: the schema's column is not in the data; `type`: values that do not cast. */
  readonly kind: 'missing' | 'type';
  readonly count: number;
  readonly examples: readonly string[];
}

export interface RuleResult {
  readonly index: number;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** `error`: the rule could not run (a column missing from the data, SQL refused). */
  readonly verdict: 'pass' | 'fail' | 'error';
  readonly observed?: string;
  readonly failingRowCount?: number;
  readonly failingRows: readonly Record<string, unknown>[];
  readonly message?: string;
}

/** The data's age against the port's freshness SLA. */
export interface FreshnessResult {
  /** The port's promise, as written (`< 2 hours after midnight UTC`). */
  readonly sla: string;
  /** The oldest the data may be under the promise: a daily deadline allows a day plus the delay. */
  readonly allowed: string;
  /** The time column the age is measured on; absent when the schema has none. */
  readonly column?: string;
  /** The instant the data is current to: the column's maximum (a date: the end of that day). */
  readonly latest?: string;
  /** How long before NOW() that is (`ahead` when after it: a day still being filled, a clock ahead). */
  readonly age?: string;
  readonly ageMs?: number;
  /** `unmeasured`: no time column, or no value in it. */
  readonly verdict: 'fresh' | 'stale' | 'unmeasured';
  readonly message?: string;
}

export interface QualityReport {
  readonly product: string;
  /** The output port whose schema typed the data. */
  readonly port?: string;
  readonly files: readonly string[];
  /** The instant NOW() stood for, when the run was pinned to one. */
  readonly now?: string;
  readonly rows: number;
  readonly types: readonly TypeFinding[];
  readonly rules: readonly RuleResult[];
  /** Absent when the port promises no freshness the grammar reads. */
  readonly freshness?: FreshnessResult;
}

/** The data could not be read (wrong content for its extension, a ragged CSV row ...). */
export class DataReadError extends Error {}

const AVRO_TO_DUCKDB: Record<string, string> = {
  boolean: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', string: 'VARCHAR', enum: 'VARCHAR',
};

function duckdbType(field: TopLevelField): string | undefined {
  switch (field.logicalType) {
    case 'timestamp-millis': case 'timestamp-micros': case 'local-timestamp-millis': case 'local-timestamp-micros': return 'TIMESTAMPTZ';
    case 'date': return 'DATE';
    case 'decimal': return 'DOUBLE';
    case 'uuid': return 'VARCHAR';
    default: return AVRO_TO_DUCKDB[field.type];
  }
}

const INTEGER_TYPES = new Set(['INTEGER', 'BIGINT']);
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE']);

/**
 * The typed value of column `c` and the predicate of a value that is not of the type. DuckDB's
 * TRY_CAST rounds '1.5' to 2 for an integer, so an integer must also equal its DOUBLE; NaN is
 * a double, but missing to the rules (as in pandas, GX and Spark's DQ): it counts as NULL.
 */
function typedColumn(c: string, type: string): { value: string; notOfType: string } {
  const cast = `TRY_CAST(${c} AS ${type})`;
  if (INTEGER_TYPES.has(type)) {
    const value = `CASE WHEN TRY_CAST(${c} AS DOUBLE) = TRY_CAST(${cast} AS DOUBLE) THEN ${cast} END`;
    return { value, notOfType: `${c} IS NOT NULL AND (${value}) IS NULL` };
  }
  if (FLOAT_TYPES.has(type)) return { value: `CASE WHEN isnan(${cast}) THEN NULL ELSE ${cast} END`, notOfType: `${c} IS NOT NULL AND ${cast} IS NULL` };
  return { value: cast, notOfType: `${c} IS NOT NULL AND ${cast} IS NULL` };
}

/**
 * DuckDB's table function reading the files. CSV columns come as text by default (for the
 * quality rules the Avro schema, not DuckDB's guess, decides the types); `csvTypes: 'detect'`
 * lets DuckDB type them (mesh parity compares two outputs with no schema between them).
 */
export function dataReader(format: DataFormat, files: readonly string[], csvTypes: 'text' | 'detect' = 'text'): string {
  const list = `[${files.map(quoteString).join(', ')}]`;
  // matching columns by name across files costs a fifth of a CSV parse: only when there are several
  const union = files.length > 1 || files.some((f) => /[*?[]/.test(f)) ? ', union_by_name = true' : '';
  switch (format) {
    case 'csv': return `read_csv(${list}, header = true${csvTypes === 'text' ? ', all_varchar = true' : ''}${union})`;
    case 'parquet': return `read_parquet(${list}${union})`;
    case 'jsonl': return `read_json(${list}, format = 'newline_delimited'${union})`;
  }
}

function columnsOf(e: RuleExpression, into: Set<string>): Set<string> {
  switch (e.kind) {
    case 'column': into.add(e.name.split('.')[0] as string); break;
    case 'aggregate': if (e.column) into.add(e.column.name.split('.')[0] as string); break;
    case 'logical': case 'compare': case 'arithmetic': columnsOf(e.left, into); columnsOf(e.right, into); break;
    case 'not': case 'isNull': case 'matches': case 'references': columnsOf(e.operand, into); break;
    case 'in': columnsOf(e.operand, into); e.values.forEach((v) => columnsOf(v, into)); break;
    case 'between': columnsOf(e.operand, into); columnsOf(e.low, into); columnsOf(e.high, into); break;
    default: break;
  }
  return into;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;

/** JSON-safe cell: bigint as number when safe, dates as ISO text. */
export function cell(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return String(value);
  return value;
}

/** The row with JSON-safe cells and the value of each PII column (but NULL) shown as `***`. */
export function maskedRow(row: Record<string, unknown>, pii: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, pii.has(k) && v !== null ? '***' : cell(v)]));
}

const TIMESTAMP_TYPES = new Set(['timestamp-millis', 'timestamp-micros', 'local-timestamp-millis', 'local-timestamp-micros']);

/** The column a port's age is read from: a batch port's record time, else the first required timestamp. */
function freshnessColumn(port: OutputPort, fields: readonly TopLevelField[]): { name: string; isDate: boolean } | undefined {
  const record = recordTimeField(port);
  if (record) return { name: record.field, isDate: record.logicalType === 'date' };
  const first = fields.find((f) => !f.nullable && TIMESTAMP_TYPES.has(f.logicalType ?? ''));
  return first && { name: first.name, isDate: false };
}

const UNITS: readonly [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1_000, 'second']];

/** A duration in its two largest units, to the second: `1 day 3 hours`, `7 minutes 56 seconds`, `0 seconds`. */
function duration(ms: number): string {
  let rest = Math.round(Math.abs(ms) / 1000) * 1000;
  const parts: string[] = [];
  for (const [size, name] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.filter((p) => !p.startsWith('0 ')).slice(0, 2).join(' ') || '0 seconds';
}

export interface RunOptions {
  readonly files: readonly string[];
  readonly format: DataFormat;
  readonly failingRowLimit?: number;
  /** The output port whose Avro schema types the data (default: the one whose fields the rules name most). */
  readonly port?: string;
  /** The instant NOW() stands for (ISO-8601). @default the run's own time */
  readonly now?: string;
  /** The data of the products REFERENCES rules name, by product id. @default none: such rules report an error */
  readonly references?: ReadonlyMap<string, ReferenceData>;
}

/** Another product's data, for the REFERENCES rules that name one of its ports. */
export interface ReferenceData {
  readonly product: DataProduct;
  readonly files: readonly string[];
  readonly format: DataFormat;
}

/** A port named but not in the product. */
export class UnknownPortError extends Error {}

/** No output port has a loaded Avro schema: the data cannot be typed, so the rules do not run. */
export class NoSchemaError extends Error {}

export function choosePort(product: DataProduct, name: string | undefined): OutputPort | undefined {
  if (name !== undefined) {
    const port = product.outputPorts.find((p) => p.name === name);
    if (!port) throw new UnknownPortError(`${product.id} has no output port "${name}" (it has: ${product.outputPorts.map((p) => p.name).join(', ')})`);
    return port;
  }
  const named = new Set<string>();
  for (const parse of parsedQualityChecks(product)) if (parse.ok) columnsOf(parse.expression, named);
  let best: OutputPort | undefined;
  let bestScore = -1;
  for (const port of product.outputPorts) {
    const fields = port.schemaFile?.topFields;
    if (!fields) continue;
    const score = fields.filter((f) => named.has(f.name)).length;
    if (score > bestScore) [best, bestScore] = [port, score];
  }
  return best;
}

export async function runQuality(product: DataProduct, options: RunOptions): Promise<QualityReport> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const all = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
    // A timestamp without an offset is UTC (as Avro's timestamp-*), not the machine's zone.
    await connection.run("SET TimeZone = 'UTC'");
    // Data larger than memory spills to disk instead of failing the run.
    await connection.run(`SET temp_directory = ${quoteString(path.join(os.tmpdir(), `mesh-quality-${process.pid}`))}`);
    try {
      await connection.run(`${rawRelation(options.format)} raw AS SELECT * FROM ${dataReader(options.format, options.files)}`);
      await all('SELECT COUNT(*) AS n FROM raw');
    } catch (error) {
      throw new DataReadError(firstLine(error));
    }
    const present = new Set((await all('DESCRIBE raw')).map((row) => String(row.column_name)));
    const port = choosePort(product, options.port);
    const fields = port?.schemaFile?.topFields;
    if (!port || !fields) {
      // Untyped, every CSV value is text and `n >= 0` compares text: no verdict would be true.
      throw new NoSchemaError(port
        ? `the Avro schema of port ${port.name} of ${product.id} did not load, so the data cannot be typed and the rules did not run`
        : `${product.id} has no output port with a loaded Avro schema (does its spec validate?), so the data cannot be typed and the rules did not run`);
    }
    const types = await createTypedView(connection, all, 'data', 'raw', fields, present, options.format !== 'parquet');
    const referenceViews = await createReferenceViews(connection, all, parsedQualityChecks(product), options.references ?? new Map());
    const [{ n: rowCount } = { n: 0 }] = await all('SELECT COUNT(*) AS n FROM data');
    const pii = new Set(product.spec.spec.governance?.pii_fields ?? []);
    const mask = (row: Record<string, unknown>) => maskedRow(row, pii);
    const rules: RuleResult[] = [];
    const checks = product.spec.spec.qualityChecks ?? [];
    const parses = parsedQualityChecks(product);
    for (const [index, parse] of parses.entries()) {
      const check = checks[index];
      if (!check) continue;
      const base = { index, rule: check.rule, severity: check.severity ?? 'error', failingRows: [] } as const;
      if (!parse.ok) {
        rules.push({ ...base, verdict: 'error', message: `the rule does not parse: ${parse.message}` });
        continue;
      }
      const missing = [...columnsOf(parse.expression, new Set())].filter((name) => !present.has(name));
      if (missing.length > 0) {
        rules.push({ ...base, verdict: 'error', message: `the data has no column ${missing.map((m) => `"${m}"`).join(', ')}` });
        continue;
      }
      const unavailable = referencesIn(parse.expression).map(({ target }) => referenceViews.get(referenceKey(target))).find((v) => v !== undefined && 'unavailable' in v);
      if (unavailable && 'unavailable' in unavailable) {
        rules.push({ ...base, verdict: 'error', message: unavailable.unavailable });
        continue;
      }
      try {
        const compiled = compileSql(parse.expression, 'duckdb', {
          relation: ['data'],
          failingRowLimit: options.failingRowLimit ?? 5,
          referenceRelation: (target) => [(referenceViews.get(referenceKey(target)) as { view: string }).view],
          ...(options.now !== undefined ? { now: options.now } : {}),
        });
        const [verdict] = await all(compiled.verdict);
        const passed = verdict?.passed === true;
        const failingRowCount = verdict?.failing_rows === null || verdict?.failing_rows === undefined ? undefined : Number(verdict.failing_rows);
        const failingRows = !passed && compiled.failingRows ? (await all(compiled.failingRows)).map(mask) : [];
        rules.push({ ...base, verdict: passed ? 'pass' : 'fail', observed: verdict?.observed === null ? 'NULL' : String(verdict?.observed), failingRowCount, failingRows });
      } catch (error) {
        rules.push({ ...base, verdict: 'error', message: firstLine(error) });
      }
    }
    const freshness = await measureFreshness(port, fields, present, options.now, all);
    return { product: product.id, port: port.name, files: options.files, ...(options.now !== undefined ? { now: options.now } : {}), rows: Number(rowCount), types, rules, ...(freshness ? { freshness } : {}) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * CSV and JSON lines are parsed once into a table: every rule and type check re-reading a view
 * of the file parsed it again each time (54 s for 1,000,000 rows x 30 columns of CSV). Parquet
 * stays a view: reading its columns is cheaper than copying them.
 */
const rawRelation = (format: DataFormat) => (format === 'parquet' ? 'CREATE VIEW' : 'CREATE TEMP TABLE');

type All = (sql: string) => Promise<Record<string, unknown>[]>;
type Connection = { run(sql: string): Promise<unknown> };

/**
 * A view `name` over the view `rawName` whose columns are cast to the Avro fields' types, and the
 * type findings: a schema field missing from the data, values that do not cast (NULL to the rules).
 */
async function createTypedView(connection: Connection, all: All, name: string, rawName: string, fields: readonly TopLevelField[], present: ReadonlySet<string>, parsed: boolean): Promise<TypeFinding[]> {
  const types: TypeFinding[] = [];
  const casts = new Map<string, string>();
  const checked: { field: TopLevelField; type: string; column: string; bad: string }[] = [];
  for (const field of fields) {
    const type = duckdbType(field);
    if (!present.has(field.name)) {
      types.push({ column: field.name, expected: type ?? field.type, kind: 'missing', count: 0, examples: [] });
      continue;
    }
    if (!type) continue;
    const c = quoteIdentifier(field.name);
    const { value, notOfType: bad } = typedColumn(c, type);
    checked.push({ field, type, column: c, bad });
    casts.set(field.name, `${value} AS ${c}`);
  }
  // every column's count of values not of its type in one pass over the data
  const [counts = {}] = checked.length > 0 ? await all(`SELECT ${checked.map((k, i) => `COUNT(*) FILTER (WHERE ${k.bad}) AS c${i}`).join(', ')} FROM ${quoteIdentifier(rawName)}`) : [];
  for (const [i, { field, type, column, bad }] of checked.entries()) {
    const count = Number(counts[`c${i}`] ?? 0);
    if (count === 0) continue;
    const examples = (await all(`SELECT CAST(${column} AS VARCHAR) AS v FROM ${quoteIdentifier(rawName)} WHERE ${bad} LIMIT 3`)).map((r) => String(r.v));
    types.push({ column: field.name, expected: type, kind: 'type', count, examples });
  }
  const select = [...present].map((column) => casts.get(column) ?? quoteIdentifier(column)).join(', ');
  // Parsed text is cast once into a typed table (and the text dropped), not again by every rule.
  if (parsed) {
    await connection.run(`CREATE TEMP TABLE ${quoteIdentifier(name)} AS SELECT ${select} FROM ${quoteIdentifier(rawName)}`);
    await connection.run(`DROP TABLE ${quoteIdentifier(rawName)}`);
  } else {
    await connection.run(`CREATE VIEW ${quoteIdentifier(name)} AS SELECT ${select} FROM ${quoteIdentifier(rawName)}`);
  }
  return types;
}

const referenceKey = (target: ProductColumnReference) => `${target.product}.${target.port}`;

/**
 * A typed view per port the REFERENCES rules name (`ref_0` ...), by `product.port`; where there
 * is none, why (the product's data was not given, does not read, or the port's schema did not load).
 */
async function createReferenceViews(connection: Connection, all: All, parses: readonly RuleParse[], data: ReadonlyMap<string, ReferenceData>): Promise<Map<string, { view: string } | { unavailable: string }>> {
  const views = new Map<string, { view: string } | { unavailable: string }>();
  for (const parse of parses) {
    if (!parse.ok) continue;
    for (const { target } of referencesIn(parse.expression)) {
      const key = referenceKey(target);
      if (views.has(key)) continue;
      const given = data.get(target.product);
      const fields = given?.product.outputPorts.find((p) => p.name === target.port)?.schemaFile?.topFields;
      if (!given) {
        views.set(key, { unavailable: `no data for ${target.product}: pass --ref-data ${target.product}=FILE (or give it samples/)` });
        continue;
      }
      if (!fields) {
        views.set(key, { unavailable: `the schema of ${key} did not load (mesh validate says why)` });
        continue;
      }
      const name = `ref_${views.size}`;
      try {
        await connection.run(`${rawRelation(given.format)} ${quoteIdentifier(`${name}_raw`)} AS SELECT * FROM ${dataReader(given.format, given.files)}`);
        const present = new Set((await all(`DESCRIBE ${quoteIdentifier(`${name}_raw`)}`)).map((row) => String(row.column_name)));
        await createTypedView(connection, all, name, `${name}_raw`, fields, present, given.format !== 'parquet');
        views.set(key, { view: name });
      } catch (error) {
        views.set(key, { unavailable: `the data of ${target.product} cannot be read: ${firstLine(error)}` });
      }
    }
  }
  return views;
}

async function measureFreshness(port: OutputPort, fields: readonly TopLevelField[], present: ReadonlySet<string>, now: string | undefined, all: (sql: string) => Promise<Record<string, unknown>[]>): Promise<FreshnessResult | undefined> {
  const promise = parseFreshness(port.spec.sla?.freshness ?? '');
  if (!promise.ok) return undefined;
  const allowedMs = worstCaseStalenessMs(promise.value);
  const base = { sla: promise.value.text, allowed: formatDuration(allowedMs) };
  const column = freshnessColumn(port, fields);
  if (!column) return { ...base, verdict: 'unmeasured', message: `port ${port.name} has no required date or timestamp field to measure the data's age on` };
  if (!present.has(column.name)) return { ...base, column: column.name, verdict: 'unmeasured', message: `the data has no column "${column.name}"` };
  const c = quoteIdentifier(column.name);
  // A date's data is complete when its day ends: that is the instant a daily promise counts from.
  const latestSql = column.isDate ? `CAST(MAX(${c}) + INTERVAL 1 DAY AS TIMESTAMPTZ)` : `MAX(${c})`;
  const [row] = await all(`SELECT epoch_ms(${latestSql}) AS latest FROM data`);
  if (row?.latest === null || row?.latest === undefined) return { ...base, column: column.name, verdict: 'unmeasured', message: `"${column.name}" has no value` };
  const latestMs = Number(row.latest);
  const ageMs = (now === undefined ? Date.now() : Date.parse(now)) - latestMs;
  return { ...base, column: column.name, latest: new Date(latestMs).toISOString(), age: ageMs < 0 ? `${duration(ageMs)} ahead` : `${duration(ageMs)} old`, ageMs, verdict: ageMs <= allowedMs ? 'fresh' : 'stale' };
}
