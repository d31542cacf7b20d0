import { quoteIdentifier, type DataFormat } from '@data-mesh/spec';
import { cell, dataReader, maskedRow } from '../quality/run';

/**
 * Compares a central pipeline's output with the domain product that replaces it, on embedded
 * DuckDB: both sides are sampled by the same hash of the key, joined on the key, and each
 * common column is compared row by row (numbers within a per-column tolerance).
 *
 * Definitions (docs/parity.md):
 * - sampled: a row whose key text (each key column cast to VARCHAR, joined by U+001F) has an
 *   md5 whose first 8 hex digits, as an unsigned 32-bit number, are below rate x 2^32. Both
 *   sides keep the same keys; Python: int(hashlib.md5(text.encode()).hexdigest()[:8], 16).
 * - equal: both NULL (a float NaN counts as NULL), or both not NULL and the same value; for a
 *   number with a tolerance, |central - domain| <= abs + rel x |central| (numpy.isclose with
 *   the central value as the reference, as datacompy compares).
 * - rate: (rows with a mismatch in any column + rows missing on either side) / (rows compared +
 *   rows missing); parity when rate <= tolerance and nothing blocks the comparison (duplicate
 *   keys, NULL keys, a central column the domain lacks, incompatible types, an empty side).
 */

export interface ColumnTolerance {
  readonly abs: number;
  readonly rel: number;
}

export interface ParityOptions {
  readonly central: { readonly files: readonly string[]; readonly format: DataFormat };
  readonly domain: { readonly files: readonly string[]; readonly format: DataFormat };
  readonly key: readonly string[];
  /** Share of keys compared, in (0, 1]. @default 0.05 */
  readonly sampleRate?: number;
  /** Largest share of differing rows still parity. @default 0.001 */
  readonly tolerance?: number;
  readonly columnTolerances?: ReadonlyMap<string, ColumnTolerance>;
  /** Columns whose values the examples show as `***`. */
  readonly pii?: ReadonlySet<string>;
  readonly exampleLimit?: number;
}

export const DEFAULT_SAMPLE_RATE = 0.05;
export const DEFAULT_TOLERANCE = 0.001;

export interface SideSummary {
  readonly files: readonly string[];
  readonly format: DataFormat;
  readonly rows: number;
  /** Rows whose key the sample kept. */
  readonly sampledRows: number;
  /** Sampled rows whose key has a NULL: they cannot be matched and are not compared. */
  readonly nullKeyRows: number;
  /** Keys that occur more than once among the sampled rows: not compared (on either side). */
  readonly duplicateKeys: number;
  readonly duplicateRows: number;
  readonly duplicateExamples: readonly { readonly key: Record<string, unknown>; readonly count: number }[];
}

export interface TypeChange {
  readonly column: string;
  readonly central: string;
  readonly domain: string;
  /** How the values are compared, or `not compared` when the types are incompatible. */
  readonly comparedAs: string;
}

export interface ColumnResult {
  readonly column: string;
  readonly mismatches: number;
  /** mismatches / rows compared (0 when no row was compared). */
  readonly rate: number;
  readonly tolerance?: ColumnTolerance;
  readonly examples: readonly { readonly key: Record<string, unknown>; readonly central: unknown; readonly domain: unknown }[];
}

export interface ParityReport {
  readonly key: readonly string[];
  readonly sampleRate: number;
  readonly tolerance: number;
  readonly central: SideSummary;
  readonly domain: SideSummary;
  readonly schema: {
    readonly missingInDomain: readonly string[];
    readonly missingInCentral: readonly string[];
    readonly typeChanges: readonly TypeChange[];
  };
  readonly rows: {
    /** Keys on both sides (unique, not NULL) whose columns were compared. */
    readonly compared: number;
    readonly missingInDomain: number;
    readonly missingInCentral: number;
    readonly withMismatch: number;
    readonly missingInDomainExamples: readonly Record<string, unknown>[];
    readonly missingInCentralExamples: readonly Record<string, unknown>[];
  };
  readonly columns: readonly ColumnResult[];
  /** (rows with a mismatch + rows missing) / (rows compared + rows missing). */
  readonly rate: number;
  readonly verdict: 'parity' | 'no parity';
  /** Why the verdict is `no parity`, one sentence each. */
  readonly reasons: readonly string[];
}

/** Input the comparison cannot start on (unreadable data, a key or tolerance column that is not there). */
export class ParityInputError extends Error {}

/** `COL=abs:X` or `COL=rel:Y`; the message says what is wrong. */
export function parseColumnTolerance(text: string): { column: string; kind: 'abs' | 'rel'; value: number } | { error: string } {
  const match = /^([^=]+)=(abs|rel):(.+)$/.exec(text);
  if (!match) return { error: `--column-tolerance ${text}: expected COL=abs:X or COL=rel:Y (e.g. amount=abs:0.01, price=rel:0.001)` };
  const value = Number(match[3]);
  if (!/^[0-9.eE+-]+$/.test(match[3] as string) || !Number.isFinite(value) || value < 0) return { error: `--column-tolerance ${text}: ${match[3]} is not a number >= 0` };
  return { column: match[1] as string, kind: match[2] as 'abs' | 'rel', value };
}

type TypeClass = 'integer' | 'float' | 'decimal' | 'timestamp' | 'other';

function typeClass(type: string): TypeClass {
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(type)) return 'integer';
  if (type === 'FLOAT' || type === 'DOUBLE') return 'float';
  if (type.startsWith('DECIMAL')) return 'decimal';
  if (type.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

const NUMERIC = new Set<TypeClass>(['integer', 'float', 'decimal']);

/** How two types are compared: a common cast (undefined: as they are), or not at all. */
function comparison(central: string, domain: string, tolerance: ColumnTolerance | undefined): { cast?: string; numeric: boolean } | undefined {
  const [c, d] = [typeClass(central), typeClass(domain)];
  if (NUMERIC.has(c) && NUMERIC.has(d)) {
    const exact = central === domain && c === 'integer' && !tolerance;
    return exact ? { numeric: false } : { cast: 'DOUBLE', numeric: true };
  }
  if (central === domain) return { numeric: false };
  if (c === 'timestamp' && d === 'timestamp') {
    if (central.includes('TIME ZONE') || domain.includes('TIME ZONE')) return { cast: 'TIMESTAMPTZ', numeric: false };
    return { cast: central === 'TIMESTAMP_NS' || domain === 'TIMESTAMP_NS' ? 'TIMESTAMP_NS' : 'TIMESTAMP', numeric: false };
  }
  return undefined;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function compareOutputs(options: ParityOptions): Promise<ParityReport> {
  const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const limit = options.exampleLimit ?? 5;
  const pii = options.pii ?? new Set<string>();
  const tolerances = options.columnTolerances ?? new Map<string, ColumnTolerance>();
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new ParityInputError(`the sample rate ${sampleRate} is not in (0, 1]`);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const all = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
    const one = async (sql: string) => (await all(sql))[0] ?? {};
    await connection.run("SET TimeZone = 'UTC'");
    const types: Record<'central' | 'domain', Map<string, string>> = { central: new Map(), domain: new Map() };
    for (const side of ['central', 'domain'] as const) {
      try {
        await connection.run(`CREATE VIEW ${side}_raw AS SELECT * FROM ${dataReader(options[side].format, options[side].files, 'detect')}`);
        for (const row of await all(`DESCRIBE ${side}_raw`)) types[side].set(String(row.column_name), String(row.column_type));
      } catch (error) {
        throw new ParityInputError(`the ${side} data cannot be read: ${firstLine(error)}`);
      }
      const missing = options.key.filter((k) => !types[side].has(k));
      if (missing.length > 0) throw new ParityInputError(`the key column${missing.length === 1 ? '' : 's'} ${missing.map((k) => `"${k}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the ${side} data (it has: ${[...types[side].keys()].join(', ')})`);
    }
    for (const column of tolerances.keys()) {
      const kinds = [types.central.get(column), types.domain.get(column)];
      if (kinds.includes(undefined)) throw new ParityInputError(`--column-tolerance ${column}: no such column on ${kinds[0] === undefined ? 'the central' : 'the domain'} side`);
      if (!kinds.every((t) => NUMERIC.has(typeClass(t as string)))) throw new ParityInputError(`--column-tolerance ${column}: the column is not numeric (${kinds.join(' / ')}); tolerances apply to numbers`);
    }
    const reasons: string[] = [];
    const keyTypesEqual = options.key.every((k) => types.central.get(k) === types.domain.get(k));
    // Keys of different types on the two sides (BIGINT 7 and VARCHAR '7') are joined as text.
    const keyValue = (k: string) => (keyTypesEqual ? quoteIdentifier(k) : `CAST(${quoteIdentifier(k)} AS VARCHAR)`);
    const keyAliases = options.key.map((_, i) => `__key_${i}`);
    const keyText = `concat_ws(chr(31), ${options.key.map((k) => `CAST(${quoteIdentifier(k)} AS VARCHAR)`).join(', ')})`;
    const sampled = `CAST(('0x' || substr(md5(${keyText}), 1, 8)) AS UBIGINT) < ${Math.floor(sampleRate * 2 ** 32)}`;
    const notNullKey = options.key.map((k) => `${quoteIdentifier(k)} IS NOT NULL`).join(' AND ');
    const keyObject = (row: Record<string, unknown>) => maskedRow(Object.fromEntries(options.key.map((k, i) => [k, row[keyAliases[i] as string]])), pii);

    const counts: Record<'central' | 'domain', { rows: number; sampledRows: number; nullKeyRows: number }> = { central: { rows: 0, sampledRows: 0, nullKeyRows: 0 }, domain: { rows: 0, sampledRows: 0, nullKeyRows: 0 } };
    for (const side of ['central', 'domain'] as const) {
      const select = `SELECT ${options.key.map((k, i) => `${keyValue(k)} AS ${keyAliases[i]}`).join(', ')}, * FROM ${side}_raw`;
      // A sample is kept in memory so the hash is computed once; every row is read where it lies.
      await connection.run(sampleRate === 1 ? `CREATE VIEW ${side}_drawn AS ${select}` : `CREATE TEMP TABLE ${side}_drawn AS ${select} WHERE ${sampled}`);
      await connection.run(`CREATE VIEW ${side}_sample AS SELECT * FROM ${side}_drawn WHERE ${notNullKey}`);
      const row = await one(`SELECT (SELECT count(*) FROM ${side}_raw) AS rows, count(*) AS drawn, count(*) FILTER (WHERE NOT (${notNullKey})) AS null_keys FROM ${side}_drawn`);
      counts[side] = { rows: Number(row.rows), nullKeyRows: Number(row.null_keys), sampledRows: Number(row.drawn) };
    }
    const keyList = keyAliases.join(', ');
    const duplicates = {} as Record<'central' | 'domain', Pick<SideSummary, 'duplicateKeys' | 'duplicateRows' | 'duplicateExamples'>>;
    for (const side of ['central', 'domain'] as const) {
      // Whether any key repeats, by sorting (three times faster than grouping 10M unique keys); the groups only when one does.
      const next = keyAliases.map((k) => `lead(${k}) OVER (ORDER BY ${keyList}) AS __next_${k}`).join(', ');
      const repeats = await one(`SELECT count(*) FILTER (WHERE ${keyAliases.map((k) => `${k} = __next_${k}`).join(' AND ')}) AS n FROM (SELECT ${keyList}, ${next} FROM ${side}_sample)`);
      await connection.run(`CREATE TEMP TABLE ${side}_dups AS SELECT ${keyList}, count(*) AS n FROM ${side}_sample ${Number(repeats.n) > 0 ? '' : 'WHERE false '}GROUP BY ALL HAVING count(*) > 1`);
      const total = await one(`SELECT count(*) AS keys, coalesce(sum(n), 0) AS rows FROM ${side}_dups`);
      const examples = (await all(`SELECT * FROM ${side}_dups ORDER BY n DESC, ${keyList} LIMIT ${limit}`)).map((r) => ({ key: keyObject(r), count: Number(r.n) }));
      duplicates[side] = { duplicateKeys: Number(total.keys), duplicateRows: Number(total.rows), duplicateExamples: examples };
    }
    const anyDuplicates = duplicates.central.duplicateKeys + duplicates.domain.duplicateKeys > 0;
    for (const side of ['central', 'domain'] as const) {
      const source = anyDuplicates ? `(SELECT * FROM ${side}_sample ANTI JOIN (SELECT ${keyList} FROM central_dups UNION SELECT ${keyList} FROM domain_dups) USING (${keyList}))` : `${side}_sample`;
      await connection.run(`CREATE VIEW ${side} AS SELECT * FROM ${source}`);
    }

    const missingInDomain = [...types.central.keys()].filter((c) => !types.domain.has(c));
    const missingInCentral = [...types.domain.keys()].filter((c) => !types.central.has(c));
    const typeChanges: TypeChange[] = [];
    const compared: { column: string; mismatch: string; tolerance?: ColumnTolerance }[] = [];
    for (const [column, centralType] of types.central) {
      const domainType = types.domain.get(column);
      if (domainType === undefined) continue;
      const columnTolerance = tolerances.get(column);
      const how = comparison(centralType, domainType, columnTolerance);
      if (centralType !== domainType) typeChanges.push({ column, central: centralType, domain: domainType, comparedAs: options.key.includes(column) ? 'VARCHAR (the key, joined as text)' : how ? how.cast ?? centralType : 'not compared' });
      if (!how || options.key.includes(column)) continue;
      const [c, d] = [`c.${quoteIdentifier(column)}`, `d.${quoteIdentifier(column)}`].map((v) => (how.cast ? `CAST(${v} AS ${how.cast})` : v)) as [string, string];
      const isNull = (v: string) => (how.numeric || typeClass(centralType) === 'float' ? `(${v} IS NULL OR isnan(${v}))` : `${v} IS NULL`);
      const differs = how.numeric
        ? `NOT (${c} = ${d} OR abs(${c} - ${d}) <= ${columnTolerance?.abs ?? 0} + ${columnTolerance?.rel ?? 0} * abs(${c}))`
        : `${c} IS DISTINCT FROM ${d}`;
      const mismatch = `CASE WHEN ${isNull(c)} AND ${isNull(d)} THEN false WHEN ${isNull(c)} OR ${isNull(d)} THEN true ELSE ${differs} END`;
      compared.push({ column, mismatch, ...(columnTolerance ? { tolerance: columnTolerance } : {}) });
    }

    const on = keyAliases.map((k) => `c.${k} = d.${k}`).join(' AND ');
    const flags = compared.map((col, i) => `${col.mismatch} AS __m_${i}`);
    const values = compared.flatMap((col, i) => [`c.${quoteIdentifier(col.column)} AS __c_${i}`, `d.${quoteIdentifier(col.column)} AS __d_${i}`]);
    const keys = keyAliases.map((k) => `coalesce(c.${k}, d.${k}) AS ${k}`);
    const anyMismatch = compared.length > 0 ? compared.map((_, i) => `__m_${i}`).join(' OR ') : 'false';
    await connection.run(`CREATE TEMP TABLE diffs AS SELECT * FROM (
      SELECT ${[...keys, `c.${keyAliases[0]} IS NOT NULL AS __in_c`, `d.${keyAliases[0]} IS NOT NULL AS __in_d`, ...flags, ...values].join(', ')}
      FROM central AS c FULL OUTER JOIN domain AS d ON ${on}) WHERE NOT (__in_c AND __in_d) OR ${anyMismatch}`);
    const totals = await one(`SELECT (SELECT count(*) FROM central) AS central_rows,
      count(*) FILTER (WHERE __in_c AND NOT __in_d) AS missing_in_domain, count(*) FILTER (WHERE __in_d AND NOT __in_c) AS missing_in_central,
      count(*) FILTER (WHERE __in_c AND __in_d) AS with_mismatch${compared.map((_, i) => `, count(*) FILTER (WHERE __in_c AND __in_d AND __m_${i}) AS m_${i}`).join('')} FROM diffs`);
    const rows = {
      compared: Number(totals.central_rows) - Number(totals.missing_in_domain),
      missingInDomain: Number(totals.missing_in_domain),
      missingInCentral: Number(totals.missing_in_central),
      withMismatch: Number(totals.with_mismatch),
      missingInDomainExamples: (await all(`SELECT ${keyList} FROM diffs WHERE NOT __in_d ORDER BY ${keyList} LIMIT ${limit}`)).map(keyObject),
      missingInCentralExamples: (await all(`SELECT ${keyList} FROM diffs WHERE NOT __in_c ORDER BY ${keyList} LIMIT ${limit}`)).map(keyObject),
    };
    const columns: ColumnResult[] = [];
    for (const [i, col] of compared.entries()) {
      const mismatches = Number(totals[`m_${i}`]);
      const examples = mismatches === 0 ? [] : (await all(`SELECT ${keyList}, __c_${i} AS c, __d_${i} AS d FROM diffs WHERE __in_c AND __in_d AND __m_${i} ORDER BY ${keyList} LIMIT ${limit}`)).map((r) => ({
        key: keyObject(r),
        central: pii.has(col.column) && r.c !== null ? '***' : cell(r.c),
        domain: pii.has(col.column) && r.d !== null ? '***' : cell(r.d),
      }));
      columns.push({ column: col.column, mismatches, rate: rows.compared === 0 ? 0 : mismatches / rows.compared, ...(col.tolerance ? { tolerance: col.tolerance } : {}), examples });
    }

    const missing = rows.missingInDomain + rows.missingInCentral;
    const rate = rows.compared + missing === 0 ? 0 : (rows.withMismatch + missing) / (rows.compared + missing);
    const central: SideSummary = { files: options.central.files, format: options.central.format, ...counts.central, ...duplicates.central };
    const domain: SideSummary = { files: options.domain.files, format: options.domain.format, ...counts.domain, ...duplicates.domain };
    for (const [name, side] of [['central', central], ['domain', domain]] as const) {
      if (side.rows === 0) reasons.push(`the ${name} data has no rows`);
      if (side.duplicateKeys > 0) reasons.push(`${plural(side.duplicateKeys, 'key')} occur more than once in the ${name} sample (${plural(side.duplicateRows, 'row')}): a key must name one row; those keys are not compared`);
      if (side.nullKeyRows > 0) reasons.push(`${plural(side.nullKeyRows, 'sampled row')} of the ${name} data have a NULL key and cannot be matched`);
    }
    if (central.rows > 0 && domain.rows > 0 && rows.compared + missing === 0) reasons.push(`the sample holds no row (rate ${sampleRate} of ${central.rows} central rows): raise --sample-rate`);
    if (missingInDomain.length > 0) reasons.push(`the domain data lacks ${missingInDomain.length === 1 ? 'the column' : 'the columns'} ${missingInDomain.map((c) => `"${c}"`).join(', ')}`);
    for (const change of typeChanges) if (change.comparedAs === 'not compared') reasons.push(`"${change.column}" is ${change.central} in the central data and ${change.domain} in the domain data: the values cannot be compared`);
    if (rate > tolerance) reasons.push(`${(rate * 100).toPrecision(3)}% of the sampled rows differ or are missing (${rows.withMismatch} with a mismatch, ${missing} missing, of ${rows.compared + missing}), above the tolerance of ${tolerance * 100}%`);
    return { key: options.key, sampleRate, tolerance, central, domain, schema: { missingInDomain, missingInCentral, typeChanges }, rows, columns, rate, verdict: reasons.length === 0 ? 'parity' : 'no parity', reasons };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
