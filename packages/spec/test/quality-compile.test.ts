import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileQualityChecks, compileSql, loadMesh, parseQualityRule, toDqdlRules, toGxSuite, type RuleExpression } from '../src';

const REPO = path.join(__dirname, '..', '..', '..');
const GOLDEN = path.join(__dirname, 'fixtures', 'quality-sql.golden.txt');

const parse = (rule: string): RuleExpression => {
  const parsed = parseQualityRule(rule);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.expression;
};

describe('the SQL of every example rule (golden file)', () => {
  it('matches test/fixtures/quality-sql.golden.txt (UPDATE_GOLDEN=1 rewrites it)', () => {
    const mesh = loadMesh(REPO);
    const lines: string[] = [];
    const products = [...mesh.products.values()].sort((a, b) => a.id.localeCompare(b.id));
    for (const product of products) {
      for (const check of compileQualityChecks(product, { duckdb: ['data'], athena: [product.domain, product.name] })) {
        lines.push(`## ${product.id} qualityChecks[${check.index}] (${check.severity}): ${check.rule}`);
        if ('error' in check.sql) {
          lines.push(`error: ${check.sql.error}`);
        } else {
          for (const dialect of ['duckdb', 'athena'] as const) {
            lines.push(`${dialect} verdict: ${check.sql[dialect].verdict}`);
            if (check.sql[dialect].failingRows) lines.push(`${dialect} failing: ${check.sql[dialect].failingRows}`);
          }
        }
        lines.push('');
      }
    }
    expect(lines.length).toBeGreaterThan(100);
    const text = lines.join('\n');
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, text);
    expect(text).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});

describe('MATCHES: a regular expression every engine reads alike', () => {
  it('searches the value in DuckDB (regexp_matches) and Athena (regexp_like), a quote doubled', () => {
    const rule = parse("code MATCHES '^[A-Z]{2}''[0-9]+$'");
    expect(compileSql(rule, 'duckdb', { relation: ['data'] }).failingRows).toBe(`SELECT * FROM "data" WHERE NOT (regexp_matches("code", '^[A-Z]{2}''[0-9]+$')) LIMIT 5`);
    expect(compileSql(parse("code NOT MATCHES 'x'"), 'athena', { relation: ['db', 't'] }).failingRows).toBe(`SELECT * FROM "db"."t" WHERE NOT (NOT regexp_like("code", 'x')) LIMIT 5`);
  });

  it('is a GX regex expectation, NULL-or-match included', () => {
    const gx = (rule: string) => toGxSuite('s', [{ name: 'q0', rule, severity: 'error', expression: parse(rule) }]);
    expect(gx("code MATCHES '^a'").suite.expectations.map(({ type, kwargs }) => ({ type, kwargs }))).toEqual([{ type: 'expect_column_values_to_match_regex', kwargs: { column: 'code', regex: '^a' } }]);
    expect(gx("code IS NULL OR code NOT MATCHES 'b'").suite.expectations.map(({ type, kwargs }) => ({ type, kwargs }))).toEqual([{ type: 'expect_column_values_to_not_match_regex', kwargs: { column: 'code', regex: 'b' } }]);
  });

  it.each([
    ['\\d+', /\\d means different characters .* write \[0-9\]/, 14],
    ['[[:alpha:]]', /POSIX classes/, 15],
    ['(?i)abc', /inline flags/, 14],
    ['(?=a)b', /lookarounds/, 14],
    ['(a)\\1', /backreferences/, 17],
    ['a*+', /possessive/, 16],
    ['\\bword', /word boundary/, 14],
    ['\\q', /not read alike/, 14],
    ['(abc', /not a regular expression/, 14],
    ['', /empty pattern/, 14],
  ])("refuses %s at the pattern's offset", (pattern, message, offset) => {
    const parsed = parseQualityRule(`code MATCHES '${pattern}'`);
    expect(parsed).toMatchObject({ ok: false, message: expect.stringMatching(message), offset });
  });

  it('an empty BETWEEN is refused: no row could satisfy it', () => {
    expect(parseQualityRule('rate BETWEEN 1 AND 0')).toMatchObject({ ok: false, message: 'BETWEEN 1 AND 0 holds no value (the low bound comes first): write BETWEEN 0 AND 1', offset: 19 });
    expect(parseQualityRule('rate BETWEEN -1 AND -1')).toMatchObject({ ok: true });
  });

  it('takes only a quoted pattern', () => {
    expect(parseQualityRule('code MATCHES other')).toMatchObject({ ok: false, message: expect.stringMatching(/pattern in quotes/) });
  });
});

describe('SQL quoting', () => {
  it('quotes an injected column name as one identifier', () => {
    const column: RuleExpression = { kind: 'column', name: 'x"; DROP TABLE data; --', offset: 0 };
    const compiled = compileSql({ kind: 'isNull', operand: column, negated: true }, 'duckdb', { relation: ['data'] });
    expect(compiled.failingRows).toBe('SELECT * FROM "data" WHERE NOT ("x""; DROP TABLE data; --" IS NOT NULL) LIMIT 5');
  });

  it('escapes a string literal and a relation name', () => {
    const compiled = compileSql(parse("status = 'it''s; DROP TABLE t'"), 'athena', { relation: ['db"x', 't'] });
    expect(compiled.failingRows).toBe(`SELECT * FROM "db""x"."t" WHERE NOT ("status" = 'it''s; DROP TABLE t') LIMIT 5`);
  });

  it('the rule language itself refuses a statement separator', () => {
    expect(parseQualityRule('x; DROP TABLE t IS NULL')).toMatchObject({ ok: false, offset: 1 });
  });

  it('aggregate rules report the aggregate as observed and blame NULL rows for completeness', () => {
    const compiled = compileSql(parse('completeness(email) >= 0.95'), 'duckdb', { relation: ['data'] });
    expect(compiled.level).toBe('aggregate');
    expect(compiled.verdict).toBe('SELECT COALESCE((COALESCE(CAST(COUNT("email") AS DOUBLE) / NULLIF(COUNT(*), 0), 1.0) >= 0.95), FALSE) AS passed, CAST(COALESCE(CAST(COUNT("email") AS DOUBLE) / NULLIF(COUNT(*), 0), 1.0) AS VARCHAR) AS observed, CAST(NULL AS BIGINT) AS failing_rows FROM "data"');
    expect(compiled.failingRows).toBe('SELECT * FROM "data" WHERE "email" IS NULL LIMIT 5');
  });

  it('NOW() stands for a pinned instant when given, quoted as a literal; anything else is refused', () => {
    const rule = parse('occurred_at > (NOW() - INTERVAL 7 DAY)');
    expect(compileSql(rule, 'duckdb', { relation: ['data'] }).failingRows).toContain('CURRENT_TIMESTAMP');
    const pinned = compileSql(rule, 'athena', { relation: ['data'], now: '2026-12-05T18:00:00.000Z' });
    expect(pinned.failingRows).toBe(`SELECT * FROM "data" WHERE NOT ("occurred_at" > (CAST('2026-12-05T18:00:00.000Z' AS TIMESTAMP WITH TIME ZONE) - INTERVAL '7' DAY)) LIMIT 5`);
    expect(() => compileSql(rule, 'duckdb', { relation: ['data'], now: "x' OR TRUE --" })).toThrow(/not an ISO-8601 instant/);
  });

  it('refuses a rule that mixes a column with an aggregate', () => {
    expect(() => compileSql(parse('a > avg(a)'), 'duckdb', { relation: ['data'] })).toThrow(/mixes a column with an aggregate/);
  });
});

describe('DQDL through the shared compiler', () => {
  it('escapes a backtick in a CustomSql column (Spark identifier)', () => {
    const rule: RuleExpression = { kind: 'compare', op: '<=', left: { kind: 'column', name: 'a`b', offset: 0 }, right: { kind: 'column', name: 'c', offset: 0 } };
    expect(toDqdlRules(rule)).toEqual(['CustomSql "SELECT COUNT(*) FROM primary WHERE NOT (`a``b` <= `c`)" = 0']);
  });
});

describe('Great Expectations suite', () => {
  const gx = (rule: string, severity: 'error' | 'warning' = 'error') => toGxSuite('s', [{ name: 'q0', rule, severity, expression: parse(rule) }]);

  it.each([
    ['customer_id IS NOT NULL', [{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'customer_id' } }]],
    ["tier IN ('bronze', 'gold')", [{ type: 'expect_column_values_to_be_in_set', kwargs: { column: 'tier', value_set: ['bronze', 'gold'] } }]],
    ['rate BETWEEN 0 AND 1', [{ type: 'expect_column_values_to_be_between', kwargs: { column: 'rate', min_value: 0, max_value: 1 } }]],
    ['amount > 0', [{ type: 'expect_column_values_to_be_between', kwargs: { column: 'amount', min_value: 0, strict_min: true } }]],
    ['completeness(email) >= 0.95', [{ type: 'expect_column_values_to_not_be_null', kwargs: { column: 'email', mostly: 0.95 } }]],
    ['uniqueness(id) >= 1', [{ type: 'expect_column_values_to_be_unique', kwargs: { column: 'id' } }]],
    ['count(*) > 9', [{ type: 'expect_table_row_count_to_be_between', kwargs: { min_value: 10 } }]],
    ['avg(on_time_rate) >= 0.9', [{ type: 'expect_column_mean_to_be_between', kwargs: { column: 'on_time_rate', min_value: 0.9 } }]],
    // GX skips NULLs, so "NULL or the condition" is the condition's expectation
    ['rate IS NULL OR rate BETWEEN 0 AND 1', [{ type: 'expect_column_values_to_be_between', kwargs: { column: 'rate', min_value: 0, max_value: 1 } }]],
    ["tier IN ('gold') OR tier IS NULL", [{ type: 'expect_column_values_to_be_in_set', kwargs: { column: 'tier', value_set: ['gold'] } }]],
    ['a >= 0 AND b IS NOT NULL', [
      { type: 'expect_column_values_to_be_between', kwargs: { column: 'a', min_value: 0 } },
      { type: 'expect_column_values_to_not_be_null', kwargs: { column: 'b' } },
    ]],
  ])('%s', (rule, expected) => {
    const { suite, unsupported } = gx(rule);
    expect(unsupported).toEqual([]);
    expect(suite.expectations.map(({ type, kwargs }) => ({ type, kwargs }))).toEqual(expected);
  });

  it('says where GX differs: a proportion of unique values on a column without values', () => {
    expect(gx('uniqueness(id) >= 0.9').caveats).toEqual([{ check: 'q0', rule: 'uniqueness(id) >= 0.9', note: expect.stringMatching(/no values .* GX fails this rule and mesh passes it/) }]);
    expect(gx('uniqueness(id) >= 1').caveats).toEqual([]);
    expect(gx('uniqueness(id) <= 0.5').caveats).toEqual([]);
  });

  it('carries the severity in each expectation', () => {
    expect(gx('a IS NOT NULL', 'warning').suite.expectations[0]?.meta).toEqual({ rule: 'a IS NOT NULL', check: 'q0', severity: 'warning' });
  });

  it.each([
    ['valid_to IS NULL OR valid_to > valid_from', /OR/],
    // the NULL test and the condition are about different columns, or the condition does not skip NULLs
    ['a IS NULL OR b >= 0', /OR/],
    ['a IS NULL OR a IS NOT NULL', /OR/],
    // mostly is an at-least share: a strict bound would pass at the bound in GX
    ['completeness(email) > 0.9', /inclusive lower bound/],
    ['occurred_at <= received_at', /fixed value, not with a column/],
    ['last_seen_at > (NOW() - INTERVAL 30 DAY)', /NOW\(\)/],
    // half of a conjunction is not exported either: the whole rule is listed
    ['a >= 0 AND a <= b', /fixed value/],
  ])('lists %s as unsupported, never drops it', (rule, reason) => {
    const { suite, unsupported } = gx(rule);
    expect(suite.expectations).toEqual([]);
    expect(unsupported).toEqual([{ check: 'q0', rule, severity: 'error', reason: expect.stringMatching(reason) }]);
  });
});
