import { dqdlRuleset, parseQualityRule, toDqdlRules } from '../src';

const dqdl = (rule: string) => {
  const parsed = parseQualityRule(rule);
  if (!parsed.ok) throw new Error(parsed.message);
  return toDqdlRules(parsed.expression);
};

describe('quality rules to DQDL', () => {
  it.each([
    ['customer_id IS NOT NULL', ['IsComplete "customer_id"']],
    ['valid_to IS NULL', ['Completeness "valid_to" = 0']],
    ['lifetime_value_usd >= 0', ['ColumnValues "lifetime_value_usd" >= 0']],
    ['0 <= lifetime_value_usd', ['ColumnValues "lifetime_value_usd" >= 0']],
    ["status = 'captured'", ['ColumnValues "status" = "captured"']],
    ['last_seen_at > (NOW() - INTERVAL 30 DAY)', ['ColumnValues "last_seen_at" > (now() - 30 days)']],
    ['snapshot_at > NOW() - INTERVAL 2 HOUR', ['ColumnValues "snapshot_at" > (now() - 2 hours)']],
    ['completeness(email_domain) >= 0.95', ['Completeness "email_domain" >= 0.95']],
    ['uniqueness(id) = 1', ['Uniqueness "id" = 1']],
    ['avg(on_time_rate) >= 0.9', ['Mean "on_time_rate" >= 0.9']],
    ['max(computed_at) > (NOW() - INTERVAL 1 DAY)', ['DataFreshness "computed_at" <= 1 days']],
    ['min(amount) >= 0', ['ColumnValues "amount" >= 0']],
    ['max(amount) > 100', ['ColumnValues "amount" > 100 with threshold > 0']],
    ["tier IN ('bronze', 'gold')", ['ColumnValues "tier" in ["bronze", "gold"]']],
    ["tier NOT IN ('x')", ['ColumnValues "tier" not in ["x"]']],
    ['package_count BETWEEN 1 AND 100', ['ColumnValues "package_count" >= 1', 'ColumnValues "package_count" <= 100']],
    ['a >= 0 AND b >= 0', ['ColumnValues "a" >= 0', 'ColumnValues "b" >= 0']],
    ['NOT (a < 0)', ['ColumnValues "a" >= 0']],
    ['rate IS NULL OR rate BETWEEN 0 AND 1', ['(Completeness "rate" = 0) or ((ColumnValues "rate" >= 0) and (ColumnValues "rate" <= 1))']],
    ['occurred_at <= received_at', ['CustomSql "SELECT COUNT(*) FROM primary WHERE NOT (`occurred_at` <= `received_at`)" = 0']],
    // RLIKE searches as regexp_matches and GX do; Spark reads backslashes in literals, so they are doubled
    ["currency MATCHES '^[A-Z]{3}$'", ['CustomSql "SELECT COUNT(*) FROM primary WHERE NOT ((`currency` RLIKE \'^[A-Z]{3}$\'))" = 0']],
    ["code NOT MATCHES 'x\\.y'", ['CustomSql "SELECT COUNT(*) FROM primary WHERE NOT (NOT (`code` RLIKE \'x\\\\\\\\.y\'))" = 0']],
    ["name = 'o''brien'", ['ColumnValues "name" = "o\'brien"']],
    ["name < 'o''b' OR name > 'x'", ['(ColumnValues "name" < "o\'b") or (ColumnValues "name" > "x")']],
    ["a < b OR name = 'it''s'", ['(CustomSql "SELECT COUNT(*) FROM primary WHERE NOT (`a` < `b`)" = 0) or (ColumnValues "name" = "it\'s")']],
    ["name = 'it''s' + a", ['CustomSql "SELECT COUNT(*) FROM primary WHERE NOT (`name` = (\'it\\\\\'s\' + `a`))" = 0']],
  ])('%s', (rule, expected) => {
    expect(dqdl(rule)).toEqual(expected);
  });

  it('refuses intervals DQDL cannot express', () => {
    expect(() => dqdl('ts > NOW() - INTERVAL 5 MINUTE')).toThrow(/DAY and HOUR/);
  });

  it('writes a ruleset document', () => {
    expect(dqdlRuleset(['IsComplete "a"', 'ColumnValues "b" > 0'])).toBe('Rules = [\n    IsComplete "a",\n    ColumnValues "b" > 0\n]');
  });
});
