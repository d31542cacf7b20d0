import { ruleConjuncts, type RuleExpression } from '../rule-language';

/**
 * Translates parsed quality rules into a Great Expectations (GX Core 1.x) expectation suite.
 * A top-level AND becomes several expectations. A rule GX has no expectation for (OR, column
 * against column, NOW(), arithmetic) is listed in `unsupported` with the reason: never
 * dropped silently. GX's column-value expectations skip NULLs, which matches the rule
 * language's CHECK-constraint semantics (an unknown result does not fail a row).
 */
export interface GxExpectation {
  readonly type: string;
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly meta: { readonly rule: string; readonly check: string; readonly severity: 'error' | 'warning' };
}

export interface GxSuite {
  readonly name: string;
  readonly expectations: readonly GxExpectation[];
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface GxUnsupported {
  readonly check: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly reason: string;
}

/** An exported rule whose GX verdict differs from mesh's on some data: said, not hidden. */
export interface GxCaveat {
  readonly check: string;
  readonly rule: string;
  readonly note: string;
}

export interface GxRuleInput {
  readonly name: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly expression: RuleExpression;
}

export interface GxExport {
  readonly suite: GxSuite;
  readonly unsupported: readonly GxUnsupported[];
  readonly caveats: readonly GxCaveat[];
}

/**
 * GX's proportion of unique values is 0 for a column without values, where the rule language
 * says 1 (nothing repeats, as completeness is 1 on empty data and GX's own unique expectation
 * passes): on empty or all-NULL data GX fails what mesh passes.
 */
const PROPORTION_OF_UNIQUE_NOTE = 'on data where the column has no values (empty, or all NULL) GX fails this rule and mesh passes it: GX counts the proportion of unique values as 0 there, mesh as 1';

class Unsupported extends Error {}

type Cmp = '=' | '!=' | '<' | '<=' | '>' | '>=';
const FLIP: Record<Cmp, Cmp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function literal(e: RuleExpression): string | number | boolean {
  if (e.kind === 'number' || e.kind === 'string' || e.kind === 'boolean') return e.value;
  throw new Unsupported(e.kind === 'now' || e.kind === 'arithmetic' || e.kind === 'interval'
    ? 'GX expectations take fixed values, not NOW() or date arithmetic'
    : `GX compares a column with a fixed value, not with a ${e.kind}`);
}

function numeric(e: RuleExpression): number {
  const value = literal(e);
  if (typeof value !== 'number') throw new Unsupported('GX ranges need a number');
  return value;
}

/** between-style kwargs of `x op value`. */
function bounds(op: Cmp, value: number): Record<string, unknown> {
  switch (op) {
    case '>=': return { min_value: value };
    case '>': return { min_value: value, strict_min: true };
    case '<=': return { max_value: value };
    case '<': return { max_value: value, strict_max: true };
    case '=': return { min_value: value, max_value: value };
    case '!=': throw new Unsupported('GX has no "aggregate is not equal to" expectation');
  }
}

const AGGREGATE_EXPECTATION: Record<string, string> = {
  min: 'expect_column_min_to_be_between',
  max: 'expect_column_max_to_be_between',
  avg: 'expect_column_mean_to_be_between',
  sum: 'expect_column_sum_to_be_between',
};

function expectation(e: RuleExpression): Omit<GxExpectation, 'meta'> {
  switch (e.kind) {
    case 'isNull':
      if (e.operand.kind !== 'column') throw new Unsupported('IS NULL applies to a column in GX');
      return { type: e.negated ? 'expect_column_values_to_not_be_null' : 'expect_column_values_to_be_null', kwargs: { column: e.operand.name } };
    case 'in':
      if (e.operand.kind !== 'column') throw new Unsupported('IN applies to a column in GX');
      return { type: e.negated ? 'expect_column_values_to_not_be_in_set' : 'expect_column_values_to_be_in_set', kwargs: { column: e.operand.name, value_set: e.values.map(literal) } };
    case 'matches':
      if (e.operand.kind !== 'column') throw new Unsupported('MATCHES applies to a column in GX');
      // GX searches the value (re.search), as the rule language does
      return { type: e.negated ? 'expect_column_values_to_not_match_regex' : 'expect_column_values_to_match_regex', kwargs: { column: e.operand.name, regex: e.pattern } };
    case 'references':
      throw new Unsupported("GX Core's expectations read one table: a column against another product's port is not exported");
    case 'between':
      if (e.operand.kind !== 'column' || e.negated) throw new Unsupported('GX has no NOT BETWEEN expectation');
      return { type: 'expect_column_values_to_be_between', kwargs: { column: e.operand.name, min_value: numeric(e.low), max_value: numeric(e.high) } };
    case 'compare': {
      let { left, right } = e;
      let op: Cmp = e.op;
      if (left.kind !== 'column' && left.kind !== 'aggregate') {
        [left, right] = [right, left];
        op = FLIP[op];
      }
      if (left.kind === 'column') {
        const value = literal(right);
        if (op === '=') return { type: 'expect_column_values_to_be_in_set', kwargs: { column: left.name, value_set: [value] } };
        if (op === '!=') return { type: 'expect_column_values_to_not_be_in_set', kwargs: { column: left.name, value_set: [value] } };
        if (typeof value !== 'number') throw new Unsupported('GX compares columns with numbers only');
        return { type: 'expect_column_values_to_be_between', kwargs: { column: left.name, ...bounds(op, value) } };
      }
      if (left.kind === 'aggregate') {
        const value = numeric(right);
        const column = left.column?.name;
        switch (left.fn) {
          case 'completeness':
            // `mostly` is an at-least share: `completeness(x) > 0.9` passes at 0.9 in GX, so it is not exported.
            if (op !== '>=') throw new Unsupported('GX expresses completeness as an inclusive lower bound only (mostly): write completeness(col) >= p');
            return { type: 'expect_column_values_to_not_be_null', kwargs: { column, mostly: value } };
          case 'uniqueness':
            if (op === '>=' || op === '>') return value >= 1 ? { type: 'expect_column_values_to_be_unique', kwargs: { column } } : { type: 'expect_column_proportion_of_unique_values_to_be_between', kwargs: { column, min_value: value, ...(op === '>' ? { strict_min: true } : {}) } };
            return { type: 'expect_column_proportion_of_unique_values_to_be_between', kwargs: { column, ...bounds(op, value) } };
          case 'count':
            if (column) throw new Unsupported('GX has no expectation on the count of non-null values');
            return { type: 'expect_table_row_count_to_be_between', kwargs: rowCountBounds(op, value) };
          default:
            return { type: AGGREGATE_EXPECTATION[left.fn] as string, kwargs: { column, ...bounds(op, value) } };
        }
      }
      throw new Unsupported('GX compares a column or an aggregate with a fixed value');
    }
    case 'logical': {
      const skipsNull = e.op === 'OR' ? nullOrCondition(e.left, e.right) ?? nullOrCondition(e.right, e.left) : undefined;
      if (skipsNull) return skipsNull;
      throw new Unsupported('GX has no expectation for OR between conditions (other than "col IS NULL OR <condition on col>")');
    }
    case 'not':
      throw new Unsupported('GX has no expectation for NOT of a condition');
    default:
      throw new Unsupported(`a ${e.kind} is not a rule GX can check`);
  }
}

/** GX's column-value expectations that pass a NULL value (they look at non-null values only). */
const NULL_SKIPPING = new Set([
  'expect_column_values_to_be_in_set', 'expect_column_values_to_not_be_in_set', 'expect_column_values_to_be_between',
  'expect_column_values_to_match_regex', 'expect_column_values_to_not_match_regex',
]);

/**
 * `col IS NULL OR <condition on col>` is the condition's expectation: a NULL passes both, and a
 * value passes exactly when the condition holds, because the expectation skips NULLs.
 */
function nullOrCondition(nullTest: RuleExpression, condition: RuleExpression): Omit<GxExpectation, 'meta'> | undefined {
  if (nullTest.kind !== 'isNull' || nullTest.negated || nullTest.operand.kind !== 'column') return undefined;
  const column = nullTest.operand.name;
  let inner: Omit<GxExpectation, 'meta'>;
  try {
    inner = expectation(condition);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return NULL_SKIPPING.has(inner.type) && inner.kwargs.column === column ? inner : undefined;
}

/** Row counts are whole numbers: `count(*) > 9` is `min_value: 10`. */
function rowCountBounds(op: Cmp, value: number): Record<string, unknown> {
  switch (op) {
    case '>': return { min_value: Math.floor(value) + 1 };
    case '<': return { max_value: Math.ceil(value) - 1 };
    default: return bounds(op, value);
  }
}

/** The GX suite of a product's rules and the rules it could not express. */
export function toGxSuite(name: string, rules: readonly GxRuleInput[]): GxExport {
  const expectations: GxExpectation[] = [];
  const unsupported: GxUnsupported[] = [];
  const caveats: GxCaveat[] = [];
  for (const input of rules) {
    const meta = { rule: input.rule, check: input.name, severity: input.severity };
    try {
      // All of a rule's expectations, or none: a half-exported rule would pass where the rule fails.
      const parts = ruleConjuncts(input.expression).map(expectation);
      expectations.push(...parts.map((part) => ({ ...part, meta })));
      if (parts.some((part) => part.type === 'expect_column_proportion_of_unique_values_to_be_between' && part.kwargs.min_value !== undefined && (part.kwargs.min_value as number) > 0)) {
        caveats.push({ check: input.name, rule: input.rule, note: PROPORTION_OF_UNIQUE_NOTE });
      }
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      unsupported.push({ check: input.name, rule: input.rule, severity: input.severity, reason: error.message });
    }
  }
  return { suite: { name, expectations, meta: { generated_by: 'mesh quality export' } }, unsupported, caveats };
}
