import type { Diagnostic, Severity } from '../diagnostics';
import { PLAN_FORMAT, RESOURCE_ACTIONS, type DeployPlan, type PlanFile } from './types';

export type PlanFileRead = { readonly ok: true; readonly file: PlanFile } | { readonly ok: false; readonly problem: string };

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function diagnostic(v: unknown): Diagnostic | undefined {
  if (!isObject(v)) return undefined;
  const { severity, code, message, file, line, column, hint } = v;
  if (!SEVERITIES.includes(severity as Severity) || typeof code !== 'string' || typeof message !== 'string' || typeof file !== 'string') return undefined;
  if (!Number.isInteger(line) || !Number.isInteger(column)) return undefined;
  return { severity: severity as Severity, code, message, file, line: line as number, column: column as number, ...(typeof hint === 'string' ? { hint } : {}) };
}

function planProblem(plan: unknown): string | undefined {
  if (!isObject(plan)) return 'its "plan" is not an object';
  if (plan.format !== PLAN_FORMAT) return `its format is ${JSON.stringify(plan.format)}, not "${PLAN_FORMAT}" (written by another version of mesh?)`;
  if (!isObject(plan.base) || typeof plan.base.commit !== 'string') return 'it names no base commit';
  if (!isObject(plan.head) || typeof plan.head.commit !== 'string') return 'it names no head commit';
  if (!isObject(plan.summary) || !isObject(plan.scope)) return 'it has no summary or scope';
  if (!Array.isArray(plan.stacks) || !Array.isArray(plan.resources) || !Array.isArray(plan.permissions)) return 'its stacks, resources or permissions are not lists';
  for (const r of plan.resources as unknown[]) {
    if (!isObject(r) || typeof r.logicalId !== 'string' || typeof r.stack !== 'string' || typeof r.type !== 'string' || !RESOURCE_ACTIONS.includes(r.action as never) || !Array.isArray(r.properties)) return 'a resource entry is malformed';
  }
  for (const p of plan.permissions as unknown[]) {
    if (!isObject(p) || typeof p.principal !== 'string' || typeof p.resource !== 'string' || !Array.isArray(p.actions) || (p.change !== 'added' && p.change !== 'removed')) return 'a permission entry is malformed';
  }
  return undefined;
}

/**
 * Reads a plan file written by `mesh plan --format json` and checks that it is the plan of this
 * base and head (commit ids). Anything else (not JSON, another format, another change) is a
 * problem the caller must report: a plan that cannot be trusted is never a silent pass.
 */
export function readPlanFile(text: string, expected: { readonly base?: string; readonly head?: string } = {}): PlanFileRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${(error as Error).message})` };
  }
  if (!isObject(value) || !Array.isArray(value.diagnostics) || typeof value.ok !== 'boolean') return { ok: false, problem: 'it is not the output of `mesh plan --format json` (no "ok" and "diagnostics")' };
  const diagnostics: Diagnostic[] = [];
  for (const d of value.diagnostics) {
    const parsed = diagnostic(d);
    if (!parsed) return { ok: false, problem: 'a diagnostic in it is malformed' };
    diagnostics.push(parsed);
  }
  if (value.plan === undefined || value.plan === null) {
    // The plan failed (e.g. contract errors): its diagnostics say why, and they must be reported.
    if (!diagnostics.some((d) => d.severity === 'error')) return { ok: false, problem: 'it holds no plan and no error saying why' };
    return { ok: true, file: { ok: false, diagnostics } };
  }
  const problem = planProblem(value.plan);
  if (problem) return { ok: false, problem };
  const plan = value.plan as unknown as DeployPlan;
  if (expected.base && plan.base.commit !== expected.base) return { ok: false, problem: `it is the plan against base ${plan.base.commit.slice(0, 12)}, not ${expected.base.slice(0, 12)}` };
  if (expected.head && plan.head.commit !== expected.head) return { ok: false, problem: `it is the plan of head ${plan.head.commit.slice(0, 12)}, not ${expected.head.slice(0, 12)}` };
  return { ok: true, file: { ok: value.ok, plan, diagnostics } };
}
