/**
 * The SQL the retention and erasure jobs run, as pure functions. Every statement is valid in
 * Athena (Trino, engine version 3) and in DuckDB, where the tests execute it on Parquet data.
 * Identifiers are lower-case Glue names, validated and double-quoted; values are literals
 * with their quotes doubled.
 */

/** A Glue database, table or column name the jobs accept. */
export const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** How a record-time column compares with the cutoff. */
export type TimeColumnKind = 'date' | 'timestamp';

/** How subject ids compare with the subject-id column: as text, or as integers. */
export type SubjectIdKind = 'string' | 'integer';

/** The table a statement works on. */
export interface SqlTarget {
  readonly database: string;
  readonly table: string;
}

/** `"name"`, or an error naming what the identifier was for. */
export function sqlIdentifier(name: string, what = 'identifier'): string {
  if (!SQL_IDENTIFIER.test(name)) throw new Error(`${what} "${name}" is not a plain lower-case name (${SQL_IDENTIFIER.source}); the retention and erasure jobs refuse to quote it`);
  return `"${name}"`;
}

/** `'it''s'`: a SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `"db"."table"` */
export function qualifiedTable(target: SqlTarget): string {
  return `${sqlIdentifier(target.database, 'database')}.${sqlIdentifier(target.table, 'table')}`;
}

function now(kind: TimeColumnKind): string {
  return kind === 'date' ? 'current_date' : 'current_timestamp';
}

/** `current_date - INTERVAL '730' DAY`: rows whose time is before it have outlived the retention. */
export function retentionCutoffSql(retentionDays: number, kind: TimeColumnKind): string {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`retention days must be a positive integer, got ${retentionDays}`);
  return `${now(kind)} - INTERVAL '${retentionDays}' DAY`;
}

export interface RetentionSqlInput extends SqlTarget {
  readonly timeColumn: string;
  readonly kind: TimeColumnKind;
}

/**
 * One row, `null_rows` and `future_rows`: rows whose time is NULL (they would never expire) or
 * more than a day ahead (a broken column). The job deletes nothing unless both are 0.
 */
export function retentionGuardSql(input: RetentionSqlInput): string {
  const col = sqlIdentifier(input.timeColumn, 'time column');
  return `SELECT count(*) FILTER (WHERE ${col} IS NULL) AS null_rows, count(*) FILTER (WHERE ${col} > ${now(input.kind)} + INTERVAL '1' DAY) AS future_rows FROM ${qualifiedTable(input)}`;
}

/** Deletes the rows older than the retention. */
export function retentionDeleteSql(input: RetentionSqlInput & { readonly retentionDays: number }): string {
  return `DELETE FROM ${qualifiedTable(input)} WHERE ${sqlIdentifier(input.timeColumn, 'time column')} < ${retentionCutoffSql(input.retentionDays, input.kind)}`;
}

/**
 * A table as Athena's Iceberg maintenance statements take it: VACUUM and OPTIMIZE accept no
 * double quotes, and a table name starting with `_` goes in backticks (Athena's rule).
 */
function maintenanceTarget(target: SqlTarget): string {
  sqlIdentifier(target.database, 'database');
  sqlIdentifier(target.table, 'table');
  return `${target.database}.${target.table.startsWith('_') ? `\`${target.table}\`` : target.table}`;
}

/**
 * Rewrites the data files that have delete files, without the deleted rows: after it, a
 * deleted row's bytes are only in files that no current snapshot references (which VACUUM
 * removes once those snapshots expire).
 */
export function optimizeSql(target: SqlTarget): string {
  return `OPTIMIZE ${maintenanceTarget(target)} REWRITE DATA USING BIN_PACK`;
}

/** Athena's Iceberg maintenance: snapshot expiration and orphan-file removal. */
export function vacuumSql(target: SqlTarget): string {
  return `VACUUM ${maintenanceTarget(target)}`;
}

export interface ErasureSqlInput extends SqlTarget {
  readonly subjectColumn: string;
  /** Ids to erase (non-empty, each valid for `idKind`: see {@link subjectIdsFor}). */
  readonly subjectIds: readonly string[];
  /** @default 'string' */
  readonly idKind?: SubjectIdKind;
}

const INTEGER = /^-?[0-9]{1,18}$/;

/** The ids of `ids` a column of `kind` can hold (an id with letters is in no integer column). */
export function subjectIdsFor(ids: readonly string[], kind: SubjectIdKind): string[] {
  return [...new Set(kind === 'integer' ? ids.filter((id) => INTEGER.test(id)) : ids)];
}

function idList(input: ErasureSqlInput): string {
  if (input.subjectIds.length === 0) throw new Error(`no subject ids to erase from ${input.database}.${input.table}`);
  const kind = input.idKind ?? 'string';
  return input.subjectIds.map((id) => {
    if (kind === 'integer' && !INTEGER.test(id)) throw new Error(`subject id "${id}" is not an integer; ${input.database}.${input.table}.${input.subjectColumn} holds integers`);
    return kind === 'integer' ? id : sqlString(id);
  }).join(', ');
}

/** Rows per erased subject present in the table (the audit's `rowsBySubject`), before the delete. */
export function erasureCountSql(input: ErasureSqlInput): string {
  const col = sqlIdentifier(input.subjectColumn, 'subject-id column');
  return `SELECT CAST(${col} AS varchar) AS subject_id, count(*) AS row_count FROM ${qualifiedTable(input)} WHERE ${col} IN (${idList(input)}) GROUP BY ${col} ORDER BY 1`;
}

/** Deletes every row of the erased subjects. */
export function erasureDeleteSql(input: ErasureSqlInput): string {
  return `DELETE FROM ${qualifiedTable(input)} WHERE ${sqlIdentifier(input.subjectColumn, 'subject-id column')} IN (${idList(input)})`;
}
