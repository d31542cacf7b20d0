import { firstAggregateIn, ruleConjuncts, ruleLevel, type ProductColumnReference, type RuleExpression } from '../rule-language';

/**
 * Compiles a parsed quality rule to SQL for DuckDB (embedded, `mesh quality run`) and
 * Athena / Trino (production). One query per rule returns one row:
 * `passed` (boolean), `observed` (the measured value) and `failing_rows` (rows that break a
 * row-level rule; NULL for an aggregate rule), and a second query lists failing rows.
 *
 * Row semantics are a SQL CHECK constraint's: a row fails when the rule is FALSE for it; an
 * unknown (NULL) result does not fail, so a rule that needs a value says `IS NOT NULL`.
 *
 * Every identifier is double-quoted with `"` doubled and every string literal single-quoted
 * with `'` doubled; numbers come from the parser as finite numbers. Nothing the user wrote is
 * pasted into the SQL unquoted.
 */
export type SqlDialect = 'duckdb' | 'athena';

export class SqlCompileError extends Error {}

export interface CompiledSqlRule {
  readonly dialect: SqlDialect;
  /** `row`: every row must satisfy the predicate; `aggregate`: a condition on the whole data. */
  readonly level: 'row' | 'aggregate';
  /** SELECT passed, observed, failing_rows FROM ... (one row). */
  readonly verdict: string;
  /** SELECT * FROM ... WHERE <the row fails> LIMIT n; absent when no row can be blamed. */
  readonly failingRows?: string;
}

/** A double-quoted SQL identifier; a dotted name (`address.city`) is quoted part by part. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new SqlCompileError('an empty identifier');
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteColumn(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}

export function quoteString(value: string): string {
  if (value.includes('\u0000')) throw new SqlCompileError('a string literal holds a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new SqlCompileError(`${value} is not a finite number`);
  return String(value);
}

/** A relation: `["db", "table"]` -> `"db"."table"`. */
export function quoteRelation(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

function aggregate(e: Extract<RuleExpression, { kind: 'aggregate' }>): string {
  const c = e.column ? quoteColumn(e.column.name) : undefined;
  switch (e.fn) {
    case 'count': return c ? `COUNT(${c})` : 'COUNT(*)';
    // An empty table is complete and unique (nothing is missing or repeated).
    case 'completeness': return `COALESCE(CAST(COUNT(${c}) AS DOUBLE) / NULLIF(COUNT(*), 0), 1.0)`;
    case 'uniqueness': return `COALESCE(CAST(COUNT(DISTINCT ${c}) AS DOUBLE) / NULLIF(COUNT(${c}), 0), 1.0)`;
    case 'min': return `MIN(${c})`;
    case 'max': return `MAX(${c})`;
    case 'avg': return `AVG(${c})`;
    case 'sum': return `SUM(${c})`;
  }
}

/** What an expression's SQL depends on beside the expression. */
export interface ExpressionContext {
  /** The instant NOW() stands for, ISO-8601 with its offset. @default the query's own time */
  readonly now?: string;
  /** The relation holding another product's port, for REFERENCES. @default none: such a rule does not compile */
  readonly referenceRelation?: (target: ProductColumnReference) => readonly string[];
}

/**
 * SQL text of an expression; the same for both dialects but for the regular-expression match
 * (both search the value: DuckDB's regexp_matches, Trino's regexp_like). `now`, an ISO-8601
 * instant, stands for NOW() when given (a run pinned to a time, e.g. samples' own).
 */
export function expressionSql(e: RuleExpression, dialect: SqlDialect, context: ExpressionContext = {}): string {
  const sql = (x: RuleExpression) => expressionSql(x, dialect, context);
  const now = context.now;
  switch (e.kind) {
    case 'logical': return `(${sql(e.left)} ${e.op} ${sql(e.right)})`;
    case 'not': return `(NOT ${sql(e.operand)})`;
    case 'compare': return `(${sql(e.left)} ${e.op === '!=' ? '<>' : e.op} ${sql(e.right)})`;
    case 'isNull': return `(${sql(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${sql(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.values.map(sql).join(', ')}))`;
    case 'between': return `(${sql(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${sql(e.low)} AND ${sql(e.high)})`;
    case 'matches': return `(${e.negated ? 'NOT ' : ''}${dialect === 'duckdb' ? 'regexp_matches' : 'regexp_like'}(${sql(e.operand)}, ${quoteString(e.pattern)}))`;
    case 'references': {
      const relation = context.referenceRelation?.(e.target);
      if (!relation) throw new SqlCompileError(`REFERENCES ${e.target.product}.${e.target.port}.${e.target.column} needs that port's data, and none was given`);
      // NULLs left out of the list: with one in it, `x IN (...)` is unknown for every x not found, which passes
      const column = quoteColumn(e.target.column);
      return `(${sql(e.operand)} IN (SELECT ${column} FROM ${quoteRelation(relation)} WHERE ${column} IS NOT NULL))`;
    }
    case 'arithmetic': return `(${sql(e.left)} ${e.op} ${sql(e.right)})`;
    case 'column': return quoteColumn(e.name);
    case 'number': return numberLiteral(e.value);
    case 'string': return quoteString(e.value);
    case 'boolean': return e.value ? 'TRUE' : 'FALSE';
    case 'now': return now === undefined ? 'CURRENT_TIMESTAMP' : `CAST(${quoteString(now)} AS TIMESTAMP WITH TIME ZONE)`;
    case 'interval': return `INTERVAL '${numberLiteral(e.amount)}' ${e.unit}`;
    case 'aggregate': return aggregate(e);
  }
}

/** The row-level predicate whose failure blames a row for an aggregate rule, if any. */
function blamedRows(e: RuleExpression): string | undefined {
  if (e.kind !== 'compare') return undefined;
  const agg = e.left.kind === 'aggregate' ? e.left : e.right.kind === 'aggregate' ? e.right : undefined;
  if (!agg?.column) return undefined;
  if (agg.fn === 'completeness') return `${quoteColumn(agg.column.name)} IS NULL`;
  return undefined;
}

export interface SqlCompileOptions {
  /** The relation the rule reads: `["data"]` in DuckDB, `["database", "table"]` in Athena. */
  readonly relation: readonly string[];
  /** How many failing rows the failing-rows query returns (default 5). */
  readonly failingRowLimit?: number;
  /** The instant NOW() stands for, ISO-8601 with its offset. @default the query's own time */
  readonly now?: string;
  /** The relation of another product's port, for REFERENCES (`["ref_0"]`, `["orders", "order_events_v1"]`). */
  readonly referenceRelation?: (target: ProductColumnReference) => readonly string[];
}

/** The verdict and failing-rows queries of one parsed rule. */
export function compileSql(expression: RuleExpression, dialect: SqlDialect, options: SqlCompileOptions): CompiledSqlRule {
  const from = quoteRelation(options.relation);
  const limit = options.failingRowLimit ?? 5;
  if (!Number.isInteger(limit) || limit < 0) throw new SqlCompileError('the failing-row limit must be a whole number');
  if (options.now !== undefined && Number.isNaN(Date.parse(options.now))) throw new SqlCompileError(`"${options.now}" is not an ISO-8601 instant`);
  const level = ruleLevel(expression);
  if (level.level === 'mixed') {
    throw new SqlCompileError('a rule mixes a column with an aggregate (e.g. "a > avg(a)"); compare aggregates with numbers, or split the rule');
  }
  if (level.level === 'aggregate') {
    const parts = ruleConjuncts(expression);
    const rowParts = parts.filter((p) => !firstAggregateIn(p));
    const aggregatePredicate = rowParts.length === 0
      ? expressionSql(expression, dialect, options)
      : parts.filter((p) => firstAggregateIn(p)).map((p) => expressionSql(p, dialect, options)).join(' AND ');
    const observed = aggregate(firstAggregateIn(expression)!);
    if (rowParts.length > 0) {
      // row conditions beside aggregate ones: every row satisfies the former and the data the latter
      const rowFails = `NOT (${rowParts.map((p) => expressionSql(p, dialect, options)).join(' AND ')})`;
      return {
        dialect,
        level: 'aggregate',
        verdict: `SELECT failing = 0 AND aggregate_holds AS passed, observed, failing AS failing_rows FROM (SELECT COUNT(*) FILTER (WHERE ${rowFails}) AS failing, COALESCE(${aggregatePredicate}, FALSE) AS aggregate_holds, CAST(${observed} AS VARCHAR) AS observed FROM ${from}) AS t`,
        failingRows: `SELECT * FROM ${from} WHERE ${rowFails} LIMIT ${limit}`,
      };
    }
    const blame = blamedRows(expression);
    return {
      dialect,
      level: 'aggregate',
      verdict: `SELECT COALESCE(${aggregatePredicate}, FALSE) AS passed, CAST(${observed} AS VARCHAR) AS observed, CAST(NULL AS BIGINT) AS failing_rows FROM ${from}`,
      ...(blame ? { failingRows: `SELECT * FROM ${from} WHERE ${blame} LIMIT ${limit}` } : {}),
    };
  }
  const predicate = expressionSql(expression, dialect, options);
  const fails = `NOT ${predicate}`;
  return {
    dialect,
    level: 'row',
    verdict: `SELECT failing = 0 AS passed, CAST(failing AS VARCHAR) AS observed, failing AS failing_rows FROM (SELECT COUNT(*) FILTER (WHERE ${fails}) AS failing FROM ${from}) AS t`,
    failingRows: `SELECT * FROM ${from} WHERE ${fails} LIMIT ${limit}`,
  };
}
