import type { RuleExpression } from '../rule-language';

/**
 * Translates a parsed quality rule (`parseQualityRule` of `@data-mesh/spec`) into DQDL rules.
 *
 * A rule is a row predicate every row must satisfy, so a top-level AND becomes separate DQDL
 * rules (for all rows, a and b  <=>  for all rows a, and for all rows b). OR and the rest keep
 * row semantics through DQDL composite rules (`(r1) or (r2)`, evaluated row by row: the
 * runner passes `compositeRuleEvaluation.method=ROW`). NOT is pushed down to the leaves.
 *
 * | rule                                  | DQDL                                            |
 * |---------------------------------------|-------------------------------------------------|
 * | `c IS NOT NULL`                       | `IsComplete "c"`                                |
 * | `c IS NULL`                           | `Completeness "c" = 0`                          |
 * | `c >= 0`, `c = 'x'`                   | `ColumnValues "c" >= 0`, `ColumnValues "c" = "x"` |
 * | `c > (NOW() - INTERVAL 30 DAY)`       | `ColumnValues "c" > (now() - 30 days)`          |
 * | `c IN ('a','b')`                      | `ColumnValues "c" in ["a","b"]`                 |
 * | `c BETWEEN 1 AND 5` (inclusive)       | `ColumnValues "c" >= 1`, `ColumnValues "c" <= 5`|
 * | `completeness(c) >= 0.95`             | `Completeness "c" >= 0.95`                      |
 * | `uniqueness(c) = 1`                   | `Uniqueness "c" = 1`                            |
 * | `avg(c) > 1`, `sum(c) < 9`            | `Mean "c" > 1`, `Sum "c" < 9`                   |
 * | `min(c) >= 0`, `max(c) <= 9` (every row)  | `ColumnValues "c" >= 0`, `ColumnValues "c" <= 9` |
 * | `max(c) > 5`, `min(c) < 5` (some row)     | `ColumnValues "c" > 5 with threshold > 0`       |
 * | `max(ts) > (NOW() - INTERVAL 2 HOUR)`     | `DataFreshness "ts" <= 2 hours`                 |
 * | `count(c) > 0`, `count(*)`                | `CustomSql "SELECT COUNT(`c`) FROM primary" > 0`, `RowCount` |
 * | `c MATCHES '^[A-Z]{3}$'`                | `CustomSql "SELECT COUNT(*) FROM primary WHERE NOT ((`c` RLIKE '^[A-Z]{3}$'))" = 0` (finds, as DuckDB and GX) |
 * | anything else row-level (column vs column, arithmetic) | `CustomSql "SELECT COUNT(*) FROM primary WHERE NOT (...)" = 0` |
 */
export class DqdlTranslationError extends Error {}

const REFERENCES_NOT_IN_GLUE = "REFERENCES needs the other product's table as a Glue Data Quality additional data source, which the deployed ruleset does not wire: the rule runs in mesh quality run and in Athena, not in Glue";

type Cmp = '=' | '!=' | '<' | '<=' | '>' | '>=';
const FLIP: Record<Cmp, Cmp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const NEGATE: Record<Cmp, Cmp> = { '=': '!=', '!=': '=', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** A Spark SQL identifier for CustomSql: backticks, a backtick inside doubled. */
const sparkIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** A Spark SQL string literal: Spark reads backslash escapes in literals, so a backslash is doubled. */
const sparkString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A literal DQDL accepts on the right of ColumnValues, or undefined. */
function literal(e: RuleExpression): string | undefined {
  switch (e.kind) {
    case 'number': return String(e.value);
    case 'string': return quote(e.value);
    case 'arithmetic': {
      if (e.left.kind === 'now' && e.right.kind === 'interval' && (e.op === '-' || e.op === '+')) {
        const unit = e.right.unit === 'DAY' ? 'days' : e.right.unit === 'HOUR' ? 'hours' : undefined;
        if (!unit) return undefined; // DQDL date arithmetic knows days and hours only
        return `(now() ${e.op} ${e.right.amount} ${unit})`;
      }
      return undefined;
    }
    case 'now': return 'now()';
    default: return undefined;
  }
}

/** Spark SQL text of an expression, for CustomSql fallbacks. */
function sql(e: RuleExpression): string {
  switch (e.kind) {
    case 'logical': return `(${sql(e.left)} ${e.op} ${sql(e.right)})`;
    case 'not': return `(NOT ${sql(e.operand)})`;
    case 'compare': return `${sql(e.left)} ${e.op === '!=' ? '<>' : e.op} ${sql(e.right)}`;
    case 'isNull': return `${sql(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'in': return `${sql(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.values.map(sql).join(', ')})`;
    case 'between': return `${sql(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${sql(e.low)} AND ${sql(e.high)}`;
    // RLIKE finds the pattern anywhere in the value, as regexp_matches and GX do
    case 'matches': return `${e.negated ? 'NOT ' : ''}(${sql(e.operand)} RLIKE ${sparkString(e.pattern)})`;
    case 'references': throw new DqdlTranslationError(REFERENCES_NOT_IN_GLUE);
    case 'arithmetic': return `(${sql(e.left)} ${e.op} ${sql(e.right)})`;
    case 'column': return sparkIdentifier(e.name);
    case 'number': return String(e.value);
    case 'string': return sparkString(e.value);
    case 'boolean': return e.value ? 'TRUE' : 'FALSE';
    case 'now': return 'current_timestamp()';
    case 'interval': return `INTERVAL ${e.amount} ${e.unit}S`;
    case 'aggregate': return `${e.fn}(${e.column ? sparkIdentifier(e.column.name) : '*'})`;
  }
}

function rowFallback(e: RuleExpression): string {
  const text = `SELECT COUNT(*) FROM primary WHERE NOT (${sql(e)})`;
  return `CustomSql ${quote(text)} = 0`;
}

/** Negation normal form: NOT only directly on atoms that cannot absorb it. */
function negate(e: RuleExpression): RuleExpression {
  switch (e.kind) {
    case 'not': return e.operand;
    case 'logical': return { kind: 'logical', op: e.op === 'AND' ? 'OR' : 'AND', left: negate(e.left), right: negate(e.right) };
    case 'compare': return { ...e, op: NEGATE[e.op] };
    case 'isNull': return { ...e, negated: !e.negated };
    case 'in': return { ...e, negated: !e.negated };
    case 'between': return { ...e, negated: !e.negated };
    case 'matches': return { ...e, negated: !e.negated };
    case 'boolean': return { ...e, value: !e.value };
    default: return { kind: 'not', operand: e };
  }
}

function aggregateRule(fn: string, column: string | undefined, op: Cmp, value: string): string {
  const col = column ? quote(column) : undefined;
  switch (fn) {
    case 'completeness': return `Completeness ${col} ${op} ${value}`;
    case 'uniqueness': return `Uniqueness ${col} ${op} ${value}`;
    case 'avg': return `Mean ${col} ${op} ${value}`;
    case 'sum': return `Sum ${col} ${op} ${value}`;
    case 'count': return column ? `CustomSql ${quote(`SELECT COUNT(${sparkIdentifier(column)}) FROM primary`)} ${op} ${value}` : `RowCount ${op} ${value}`;
    case 'min':
    case 'max': {
      // max(c) > x: some row is above x; max(c) < x: every row is below x (min mirrored).
      // The freshness form max(c) > now() - n days|hours is DQDL's DataFreshness.
      const fresh = /^\(now\(\) - (\d+(?:\.\d+)?) (days|hours)\)$/.exec(value);
      if (fn === 'max' && fresh && (op === '>' || op === '>=')) return `DataFreshness ${col} <= ${fresh[1]} ${fresh[2]}`;
      const everyRow = fn === 'min' ? op === '>' || op === '>=' : op === '<' || op === '<=';
      if (op === '=' || op === '!=') return `CustomSql ${quote(`SELECT ${fn}(${sparkIdentifier(column ?? '')}) FROM primary`)} ${op} ${value}`;
      return everyRow ? `ColumnValues ${col} ${op} ${value}` : `ColumnValues ${col} ${op} ${value} with threshold > 0`;
    }
    default: return `CustomSql ${quote(`SELECT ${fn}(${sparkIdentifier(column ?? '')}) FROM primary`)} ${op} ${value}`;
  }
}

/** One DQDL rule for a predicate (no top-level AND splitting). */
function rule(e: RuleExpression): string {
  switch (e.kind) {
    case 'not': {
      const pushed = negate(e.operand);
      return pushed.kind === 'not' ? rowFallback(e) : rule(pushed);
    }
    case 'logical':
      return `(${rule(e.left)}) ${e.op.toLowerCase()} (${rule(e.right)})`;
    case 'isNull':
      if (e.operand.kind !== 'column') return rowFallback(e);
      return e.negated ? `IsComplete ${quote(e.operand.name)}` : `Completeness ${quote(e.operand.name)} = 0`;
    case 'in': {
      const values = e.values.map(literal);
      if (e.operand.kind !== 'column' || values.some((v) => v === undefined)) return rowFallback(e);
      return `ColumnValues ${quote(e.operand.name)} ${e.negated ? 'not in' : 'in'} [${values.join(', ')}]`;
    }
    case 'between': {
      const low = literal(e.low);
      const high = literal(e.high);
      if (e.operand.kind !== 'column' || !low || !high) return rowFallback(e);
      const c = quote(e.operand.name);
      // SQL BETWEEN is inclusive; DQDL's `between` is not, so spell the bounds out.
      return e.negated
        ? `(ColumnValues ${c} < ${low}) or (ColumnValues ${c} > ${high})`
        : `(ColumnValues ${c} >= ${low}) and (ColumnValues ${c} <= ${high})`;
    }
    case 'compare': {
      let { left, right } = e;
      let op: Cmp = e.op;
      if (left.kind !== 'column' && left.kind !== 'aggregate' && (right.kind === 'column' || right.kind === 'aggregate')) {
        [left, right] = [right, left];
        op = FLIP[op];
      }
      const value = literal(right);
      if (left.kind === 'aggregate') {
        if (value === undefined) throw new DqdlTranslationError(`an aggregate (${left.fn}) must be compared with a number`);
        return aggregateRule(left.fn, left.column?.name, op, value);
      }
      if (left.kind === 'column' && value !== undefined) return `ColumnValues ${quote(left.name)} ${op} ${value}`;
      if (containsUnsupportedInterval(e)) throw new DqdlTranslationError('DQDL date arithmetic supports DAY and HOUR intervals only');
      return rowFallback(e);
    }
    case 'boolean':
      return e.value ? 'RowCount >= 0' : 'RowCount = 0';
    case 'matches':
      return rowFallback(e);
    case 'references':
      throw new DqdlTranslationError(REFERENCES_NOT_IN_GLUE);
    default:
      throw new DqdlTranslationError(`a ${e.kind} expression is not a rule on its own`);
  }
}

function containsUnsupportedInterval(e: RuleExpression): boolean {
  if (e.kind === 'interval') return e.unit !== 'DAY' && e.unit !== 'HOUR';
  if (e.kind === 'compare' || e.kind === 'arithmetic' || e.kind === 'logical') return containsUnsupportedInterval(e.left) || containsUnsupportedInterval(e.right);
  return false;
}

/** The DQDL rules for one parsed quality rule (several when it is a conjunction). */
export function toDqdlRules(expression: RuleExpression): string[] {
  if (expression.kind === 'logical' && expression.op === 'AND') return [...toDqdlRules(expression.left), ...toDqdlRules(expression.right)];
  if (expression.kind === 'not') {
    const pushed = negate(expression.operand);
    if (pushed.kind !== 'not') return toDqdlRules(pushed);
  }
  if (expression.kind === 'between' && !expression.negated && expression.operand.kind === 'column') {
    const low = literal(expression.low);
    const high = literal(expression.high);
    if (low && high) return [`ColumnValues ${quote(expression.operand.name)} >= ${low}`, `ColumnValues ${quote(expression.operand.name)} <= ${high}`];
  }
  return [rule(expression)];
}

/** A DQDL ruleset document: `Rules = [ ... ]`. */
export function dqdlRuleset(rules: readonly string[]): string {
  if (rules.length === 0) throw new DqdlTranslationError('a ruleset needs at least one rule');
  return `Rules = [\n${rules.map((r) => `    ${r}`).join(',\n')}\n]`;
}
