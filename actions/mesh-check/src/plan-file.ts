import * as fs from 'node:fs';
import * as path from 'node:path';
import { readPlanFile, renderFindingsTable, renderPlanMarkdown, resolveRevision, type Diagnostic } from '@data-mesh/spec';

/** A plan file read for this run: its findings for the verdict and annotations, its section for the report. */
export interface PlanForRun {
  readonly diagnostics: Diagnostic[];
  /** The collapsible "Deploy plan" section (Markdown). */
  readonly markdown: string;
  /** Set when the file could not be used: the reason, also an error finding. */
  readonly problem?: string;
}

const CODE = 'MESH515';

/**
 * Reads the plan file written by `mesh plan --format json` in an earlier step, and checks that it
 * plans this run's change (its base and head commits). A missing, unreadable, malformed or foreign
 * file is an error finding that fails the check: a plan that cannot be trusted never passes silently.
 */
export function loadPlanForRun(file: string, root: string, base: string | undefined): PlanForRun {
  const shown = path.relative(root, file) || file;
  const fail = (problem: string): PlanForRun => ({
    problem,
    diagnostics: [{
      severity: 'error', code: CODE, file: 'domains/domain-map.yaml', line: 1, column: 1,
      message: `plan-file ${shown} cannot be used: ${problem}`,
      hint: 'write it in an earlier step of the same job with `mesh plan --base <the same base> --format json > <file>`, on the same checkout',
    }],
    markdown: `<details open><summary><b>Deploy plan</b>: not shown</summary>\n\nThe plan file \`${shown.replace(/`/g, "'")}\` cannot be used: ${problem.replace(/[<>]/g, '')}.\n\n</details>\n`,
  });
  if (!base) return fail('this run has no base revision to plan against');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return fail((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${(error as Error).message})`);
  }
  let expected: { base: string; head: string };
  try {
    expected = { base: resolveRevision(root, base), head: resolveRevision(root, 'HEAD') };
  } catch (error) {
    return fail(`the base or head commit cannot be resolved (${(error as Error).message})`);
  }
  const read = readPlanFile(text, expected);
  if (!read.ok) return fail(read.problem);
  const { plan, diagnostics } = read.file;
  if (!plan) {
    return {
      diagnostics: [...diagnostics],
      markdown: `<details><summary><b>Deploy plan</b>: could not be made</summary>\n\n${renderFindingsTable(diagnostics)}\n</details>\n`,
    };
  }
  const findings = diagnostics.length > 0 ? `${renderFindingsTable(diagnostics)}\n` : '';
  return { diagnostics: [...diagnostics], markdown: `${findings}${renderPlanMarkdown(plan)}` };
}
