import type { DataProduct } from '../../model';
import { parsedQualityChecks } from '../checks';
import type { ProductColumnReference, RuleExpression } from '../rule-language';
import { DqdlTranslationError, toDqdlRules } from './dqdl';
import { compileSql, SqlCompileError, type CompiledSqlRule, type SqlDialect } from './sql';

/** One `qualityChecks` entry, compiled for every target, with its severity. */
export interface CompiledQualityCheck {
  /** Index in `spec.qualityChecks` (the finding's path is `spec.qualityChecks[index].rule`). */
  readonly index: number;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly expression: RuleExpression;
  readonly sql: Readonly<Record<SqlDialect, CompiledSqlRule>> | { readonly error: string };
  readonly dqdl: readonly string[] | { readonly error: string };
}

/** Where a REFERENCES rule finds another product's port, per dialect. */
export type ReferenceRelations = Readonly<Partial<Record<SqlDialect, (target: ProductColumnReference) => readonly string[]>>>;

/**
 * The product's rules compiled to DuckDB SQL, Athena SQL and DQDL. A rule that does not parse
 * is left out (MESH401 reports it); a rule a target cannot express carries the reason.
 */
export function compileQualityChecks(product: DataProduct, relations: Readonly<Record<SqlDialect, readonly string[]>>, references: ReferenceRelations = {}): CompiledQualityCheck[] {
  const checks = product.spec.spec.qualityChecks ?? [];
  const out: CompiledQualityCheck[] = [];
  parsedQualityChecks(product).forEach((parse, index) => {
    if (!parse.ok) return;
    const check = checks[index];
    if (!check) return;
    out.push({
      index,
      rule: check.rule,
      severity: check.severity ?? 'error',
      expression: parse.expression,
      sql: attempt(() => ({
        duckdb: compileSql(parse.expression, 'duckdb', { relation: relations.duckdb, ...(references.duckdb ? { referenceRelation: references.duckdb } : {}) }),
        athena: compileSql(parse.expression, 'athena', { relation: relations.athena, ...(references.athena ? { referenceRelation: references.athena } : {}) }),
      })),
      dqdl: attempt(() => toDqdlRules(parse.expression)),
    });
  });
  return out;
}

function attempt<T>(compile: () => T): T | { readonly error: string } {
  try {
    return compile();
  } catch (error) {
    if (error instanceof SqlCompileError || error instanceof DqdlTranslationError) return { error: error.message };
    throw error;
  }
}
