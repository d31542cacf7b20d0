/**
 * The quality-rule language of `qualityChecks[].rule`: a small SQL-like boolean expression.
 * Parsed once into an AST that the validator checks (columns exist) and the CDK translates
 * to DQDL.
 */

import { portablePatternProblem } from './portable-regex';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type IntervalUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';
export const AGGREGATES = ['completeness', 'uniqueness', 'count', 'min', 'max', 'avg', 'sum'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export type RuleExpression =
  | { readonly kind: 'logical'; readonly op: 'AND' | 'OR'; readonly left: RuleExpression; readonly right: RuleExpression }
  | { readonly kind: 'not'; readonly operand: RuleExpression }
  | { readonly kind: 'compare'; readonly op: ComparisonOperator; readonly left: RuleExpression; readonly right: RuleExpression }
  | { readonly kind: 'isNull'; readonly operand: RuleExpression; readonly negated: boolean }
  | { readonly kind: 'in'; readonly operand: RuleExpression; readonly values: readonly RuleExpression[]; readonly negated: boolean }
  | { readonly kind: 'between'; readonly operand: RuleExpression; readonly low: RuleExpression; readonly high: RuleExpression; readonly negated: boolean }
  /** Every value is among the values of another product's port column (NULL passes). */
  | { readonly kind: 'references'; readonly operand: RuleExpression; readonly target: ProductColumnReference }
  /** The value contains a match of the pattern (anchor it with ^ and $ for the whole value). */
  | { readonly kind: 'matches'; readonly operand: RuleExpression; readonly pattern: string; readonly negated: boolean }
  | { readonly kind: 'arithmetic'; readonly op: '+' | '-'; readonly left: RuleExpression; readonly right: RuleExpression }
  | { readonly kind: 'column'; readonly name: string; readonly offset: number }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'now' }
  | { readonly kind: 'interval'; readonly amount: number; readonly unit: IntervalUnit }
  | { readonly kind: 'aggregate'; readonly fn: Aggregate; readonly column?: { readonly name: string; readonly offset: number }; readonly offset: number };

export interface ColumnReference {
  readonly name: string;
  /** Offset of the reference in the rule text. */
  readonly offset: number;
}

/** `orders/order-events-v1.order_events.order_id`: a column of another product's output port. */
export interface ProductColumnReference {
  /** `<domain>/<product>` */
  readonly product: string;
  readonly port: string;
  readonly column: string;
  /** Offset of the reference in the rule text. */
  readonly offset: number;
}

export type RuleParse =
  | { readonly ok: true; readonly expression: RuleExpression; readonly columns: readonly ColumnReference[] }
  | { readonly ok: false; readonly message: string; readonly offset: number };

type TokenKind = 'identifier' | 'number' | 'string' | 'reference' | 'operator' | 'punct' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** `text` upper-cased, once (keywords are matched in any case). */
  readonly upper: string;
  readonly offset: number;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'BETWEEN', 'MATCHES', 'REFERENCES', 'NOW', 'INTERVAL', 'TRUE', 'FALSE']);
const PRODUCT_COLUMN = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-z0-9]+(?:-[a-z0-9]+)*)\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
const INTERVAL_UNITS: Record<string, IntervalUnit> = {
  SECOND: 'SECOND', SECONDS: 'SECOND', MINUTE: 'MINUTE', MINUTES: 'MINUTE',
  HOUR: 'HOUR', HOURS: 'HOUR', DAY: 'DAY', DAYS: 'DAY',
};
const MAX_DEPTH = 64;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const code = text.charCodeAt(i);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    const start = i;
    if (isLetter(code)) {
      for (let k = text.charCodeAt(i); i < text.length && (isLetter(k) || isDigit(k) || k === 46); k = text.charCodeAt(++i));
      const word = text.slice(start, i);
      tokens.push({ kind: 'identifier', text: word, upper: word.toUpperCase(), offset: start });
      if (word.toUpperCase() === 'REFERENCES') {
        // the product id holds "/" and "-", which no other token has: read the reference whole
        while (i < text.length && /\s/.test(text[i] as string)) i++;
        const from = i;
        while (i < text.length && !/[\s()]/.test(text[i] as string)) i++;
        tokens.push({ kind: 'reference', text: text.slice(from, i), upper: text.slice(from, i), offset: from });
      }
    } else if (isDigit(code)) {
      for (let k = text.charCodeAt(i); i < text.length && (isDigit(k) || k === 46); k = text.charCodeAt(++i));
      const literal = text.slice(start, i);
      if (!/^\d+(\.\d+)?$/.test(literal)) throw new RuleSyntaxError(`"${literal}" is not a number`, start);
      tokens.push({ kind: 'number', text: literal, upper: literal, offset: start });
    } else if (c === "'") {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new RuleSyntaxError('a string is not closed: add the missing quote (\')', start);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', text: value, upper: value.toUpperCase(), offset: start });
    } else if (c === '<' || c === '>' || c === '!' || c === '=') {
      const two = text.slice(i, i + 2);
      const op = ['<=', '>=', '!=', '<>', '=='].includes(two) ? two : c;
      if (op === '!') throw new RuleSyntaxError('"!" alone is not an operator; use != or NOT', start);
      i += op.length;
      tokens.push({ kind: 'operator', text: op, upper: op, offset: start });
    } else if ('(),+-*'.includes(c)) {
      i++;
      tokens.push({ kind: 'punct', text: c, upper: c, offset: start });
    } else {
      throw new RuleSyntaxError(`unexpected character "${c}"`, start);
    }
  }
  tokens.push({ kind: 'end', text: '', upper: '', offset: text.length });
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;
  readonly columns: ColumnReference[] = [];

  constructor(private readonly tokens: Token[]) {}

  parseRule(): RuleExpression {
    const expression = this.orExpression();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new RuleSyntaxError(`unexpected "${rest.text}" after a complete rule`, rest.offset);
    if (!isBoolean(expression)) {
      throw new RuleSyntaxError('a rule must be a condition (a comparison, IS NULL, IN, BETWEEN, MATCHES, REFERENCES or a combination with AND/OR/NOT)', 0);
    }
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.tokens[this.index] as Token;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token.kind === 'identifier' && token.upper === word) {
      this.index++;
      return true;
    }
    return false;
  }

  private expect(text: string, what: string): Token {
    const token = this.next();
    if (token.upper !== text) {
      throw new RuleSyntaxError(`expected ${what} but found ${token.kind === 'end' ? 'the end of the rule' : `"${token.text}"`}`, token.offset);
    }
    return token;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new RuleSyntaxError(`the rule nests deeper than ${MAX_DEPTH} levels`, this.peek().offset);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private orExpression(): RuleExpression {
    let left = this.andExpression();
    while (this.keyword('OR')) left = { kind: 'logical', op: 'OR', left, right: this.andExpression() };
    return left;
  }

  private andExpression(): RuleExpression {
    let left = this.notExpression();
    while (this.keyword('AND')) left = { kind: 'logical', op: 'AND', left, right: this.notExpression() };
    return left;
  }

  private notExpression(): RuleExpression {
    if (this.keyword('NOT')) return this.nested(() => ({ kind: 'not', operand: this.notExpression() }));
    return this.predicate();
  }

  private predicate(): RuleExpression {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === 'operator') {
      this.index++;
      const op = ({ '==': '=', '<>': '!=' } as Record<string, ComparisonOperator>)[token.text] ?? (token.text as ComparisonOperator);
      return { kind: 'compare', op, left, right: this.additive() };
    }
    if (this.keyword('IS')) {
      const negated = this.keyword('NOT');
      this.expect('NULL', 'NULL after IS');
      return { kind: 'isNull', operand: left, negated };
    }
    const save = this.index;
    const negated = this.keyword('NOT');
    if (this.keyword('IN')) {
      this.expect('(', '"(" after IN');
      const values: RuleExpression[] = [this.additive()];
      while (this.peek().text === ',') {
        this.index++;
        values.push(this.additive());
      }
      this.expect(')', '")" to close the IN list');
      return { kind: 'in', operand: left, values, negated };
    }
    if (this.keyword('BETWEEN')) {
      const low = this.additive();
      this.expect('AND', 'AND in BETWEEN ... AND ...');
      const highToken = this.peek();
      const high = this.additive();
      if (low.kind === 'number' && high.kind === 'number' && low.value > high.value) {
        throw new RuleSyntaxError(`BETWEEN ${low.value} AND ${high.value} holds no value (the low bound comes first): write BETWEEN ${high.value} AND ${low.value}`, highToken.offset);
      }
      return { kind: 'between', operand: left, low, high, negated };
    }
    if (!negated && this.keyword('REFERENCES')) {
      const token = this.next();
      const match = PRODUCT_COLUMN.exec(token.text);
      if (!match) throw new RuleSyntaxError('REFERENCES takes <domain>/<product>.<port>.<column>, e.g. customer_id REFERENCES customer/customer-360.customer_snapshot_daily.customer_id', token.offset);
      if (left.kind !== 'column') throw new RuleSyntaxError('REFERENCES applies to a column of this product', token.offset);
      return { kind: 'references', operand: left, target: { product: `${match[1]}/${match[2]}`, port: match[3] as string, column: match[4] as string, offset: token.offset } };
    }
    if (this.keyword('MATCHES')) {
      const pattern = this.next();
      if (pattern.kind !== 'string') throw new RuleSyntaxError("MATCHES takes a pattern in quotes, e.g. currency MATCHES '^[A-Z]{3}$'", pattern.offset);
      const problem = portablePatternProblem(pattern.text);
      // +1: past the opening quote (exact while the pattern holds no doubled quote before the spot)
      if (problem) throw new RuleSyntaxError(`the pattern of MATCHES: ${problem.message}`, pattern.offset + 1 + problem.offset);
      return { kind: 'matches', operand: left, pattern: pattern.text, negated };
    }
    this.index = save;
    return left;
  }

  private additive(): RuleExpression {
    let left = this.primary();
    while (this.peek().text === '+' || this.peek().text === '-') {
      const op = this.next().text as '+' | '-';
      left = { kind: 'arithmetic', op, left, right: this.primary() };
    }
    return left;
  }

  private primary(): RuleExpression {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'string':
        return { kind: 'string', value: token.text };
      case 'punct':
        if (token.text === '(') {
          const inner = this.nested(() => this.orExpression());
          this.expect(')', '")"');
          return inner;
        }
        if (token.text === '-' && this.peek().kind === 'number') return { kind: 'number', value: -Number(this.next().text) };
        break;
      case 'identifier':
        return this.identifier(token);
      default:
        break;
    }
    throw new RuleSyntaxError(token.kind === 'end' ? 'the rule ends where a value was expected' : `expected a column, a number or a string but found "${token.text}"`, token.offset);
  }

  private identifier(token: Token): RuleExpression {
    const upper = token.upper;
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
    if (upper === 'NOW') {
      this.expect('(', '"(" after NOW');
      this.expect(')', '")" after NOW(');
      return { kind: 'now' };
    }
    if (upper === 'INTERVAL') {
      const amount = this.next();
      if (amount.kind !== 'number') throw new RuleSyntaxError('INTERVAL needs a number, e.g. INTERVAL 30 DAY', amount.offset);
      const unitToken = this.next();
      const unit = INTERVAL_UNITS[unitToken.upper];
      if (!unit) throw new RuleSyntaxError(`INTERVAL needs a unit (SECOND, MINUTE, HOUR or DAY) but found "${unitToken.text}"`, unitToken.offset);
      return { kind: 'interval', amount: Number(amount.text), unit };
    }
    if (this.peek().text === '(') {
      const fn = token.text.toLowerCase();
      if (!(AGGREGATES as readonly string[]).includes(fn)) {
        throw new RuleSyntaxError(`unknown function "${token.text}"; expected one of: ${AGGREGATES.join(', ')}`, token.offset);
      }
      this.index++;
      const argument = this.next();
      let column: ColumnReference | undefined;
      if (argument.kind === 'identifier' && !KEYWORDS.has(argument.upper)) {
        column = { name: argument.text, offset: argument.offset };
        this.columns.push(column);
      } else if (!(fn === 'count' && argument.text === '*')) {
        throw new RuleSyntaxError(`${fn}() takes one column name`, argument.offset);
      }
      this.expect(')', `")" to close ${fn}(`);
      return { kind: 'aggregate', fn: fn as Aggregate, column, offset: token.offset };
    }
    if (KEYWORDS.has(upper)) throw new RuleSyntaxError(`"${token.text}" is a keyword and cannot stand here`, token.offset);
    if (token.text.endsWith('.') || token.text.includes('..')) throw new RuleSyntaxError(`"${token.text}" is not a column name`, token.offset);
    const column = { name: token.text, offset: token.offset };
    this.columns.push(column);
    return { kind: 'column', ...column };
  }
}

function isBoolean(expression: RuleExpression): boolean {
  switch (expression.kind) {
    case 'logical':
    case 'not':
    case 'compare':
    case 'isNull':
    case 'in':
    case 'between':
    case 'matches':
    case 'references':
    case 'boolean':
      return true;
    default:
      return false;
  }
}

export function parseQualityRule(text: string): RuleParse {
  try {
    const parser = new Parser(tokenize(text));
    const expression = parser.parseRule();
    return { ok: true, expression, columns: parser.columns };
  } catch (error) {
    if (error instanceof RuleSyntaxError) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

/** The REFERENCES of a rule: the column of this product each one checks, and the other product's column. */
export function referencesIn(e: RuleExpression): { readonly column: string; readonly target: ProductColumnReference }[] {
  switch (e.kind) {
    case 'references': return e.operand.kind === 'column' ? [{ column: e.operand.name, target: e.target }] : [];
    case 'logical': return [...referencesIn(e.left), ...referencesIn(e.right)];
    case 'not': return referencesIn(e.operand);
    default: return [];
  }
}

/** The parts a top-level AND joins: each must hold on its own. */
export function ruleConjuncts(e: RuleExpression): RuleExpression[] {
  return e.kind === 'logical' && e.op === 'AND' ? [...ruleConjuncts(e.left), ...ruleConjuncts(e.right)] : [e];
}

/** The operands of an expression node, in the order they are written. */
function operands(e: RuleExpression): readonly RuleExpression[] {
  switch (e.kind) {
    case 'logical': case 'compare': case 'arithmetic': return [e.left, e.right];
    case 'not': case 'isNull': case 'matches': case 'references': return [e.operand];
    case 'in': return [e.operand, ...e.values];
    case 'between': return [e.operand, e.low, e.high];
    default: return [];
  }
}

/** The first aggregate (`count(*)`, `completeness(c)`, ...) of an expression, in reading order. */
export function firstAggregateIn(e: RuleExpression): Extract<RuleExpression, { kind: 'aggregate' }> | undefined {
  if (e.kind === 'aggregate') return e;
  for (const operand of operands(e)) {
    const found = firstAggregateIn(operand);
    if (found) return found;
  }
  return undefined;
}

/** Whether a row's own column is read outside an aggregate. */
export function readsRowColumn(e: RuleExpression): boolean {
  return e.kind === 'column' || operands(e).some(readsRowColumn);
}

export type RuleLevel =
  /** Every row must satisfy the rule. */
  | { readonly level: 'row' }
  /** A verdict on the whole data: aggregate conditions, with row conditions joined to them by a top-level AND. */
  | { readonly level: 'aggregate' }
  /** A part compares a row's column with an aggregate (`a > avg(a)`, `a > 0 OR count(*) > 0`): nothing can judge it. */
  | { readonly level: 'mixed'; readonly offset: number };

/**
 * Whether a rule judges rows or the whole data. A top-level AND may join row conditions and
 * aggregate ones (`id IS NOT NULL AND count(*) > 0`): each part is judged as what it is. Within
 * one part, a column and an aggregate cannot meet.
 */
export function ruleLevel(e: RuleExpression): RuleLevel {
  let aggregate = false;
  for (const part of ruleConjuncts(e)) {
    const found = firstAggregateIn(part);
    if (!found) continue;
    if (readsRowColumn(part)) return { level: 'mixed', offset: found.offset };
    aggregate = true;
  }
  return { level: aggregate ? 'aggregate' : 'row' };
}
