import * as os from 'node:os';
import * as path from 'node:path';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { runCheck, type CheckReport, type DataCheckInput, type DataCheckResult } from '@data-mesh/check';
import { codeDocsUrl, mergeDiagnostics, productsToSample, summarize, type Diagnostic } from '@data-mesh/spec';
import { planAnnotations } from './annotations';
import { changedLines, type ChangedLines } from './changed-lines';
import { upsertComment } from './comment';
import { isForkPullRequest, resolveBase, type EventPayload } from './event';
import { httpStatus, PullRequestApi } from './github';
import { fetchSchemaHistory } from './history';
import { readInputs } from './inputs';
import { opaDirectory, resolveOpa } from './opa-install';
import { loadPlanForRun } from './plan-file';
import { renderComment, renderSummary } from './render';
import { decideOutcome, plural } from './verdict';

/** The Action: check the mesh, report at the lines, summarize, comment, and pass or fail. */
export async function run(): Promise<void> {
  try {
    const started = Date.now();
    const inputs = readInputs((name) => core.getInput(name), process.env.GITHUB_WORKSPACE || process.cwd());
    const { context } = github;
    const payload = context.payload as EventPayload;

    const base = await resolveBase(inputs.root, context.eventName, payload, inputs.baseRef);
    core.info(`mesh check: base ${base.base ?? '(none)'}: ${base.reason}`);

    // Transitive compatibility modes check every earlier version: complete a shallow checkout first.
    if (base.base) {
      const history = await fetchSchemaHistory({ root: inputs.root, base: base.base, token: inputs.githubToken, serverUrl: github.context.serverUrl, secret: (v) => core.setSecret(v) });
      if (history.action === 'failed') core.warning(`mesh check: ${history.message}`);
      else core.info(`mesh check: history: ${history.message}`);
    }

    const opa = await resolveOpa(inputs.root, inputs.opaPath, inputs.opaVersion);
    core.info(`mesh check: opa ${opa.path} (${opa.source})`);
    // The engine looks for opa in <root>/.tools/bin, then on PATH: put the resolved one first.
    process.env.PATH = [opaDirectory(opa.path), process.env.PATH ?? ''].join(path.delimiter);

    const pr = payload.pull_request;
    const label = inputs.allowBreakingLabel;
    // The labels are read while the engine runs (a network round trip off the critical path).
    const labels = pr && label ? pullRequestLabels(inputs.githubToken, pr.number, payload) : Promise.resolve<string[]>([]);

    const [engineReport, changed] = await Promise.all([
      runCheck({ root: inputs.root, base: base.base, jobs: Math.max(1, os.availableParallelism()), scope: inputs.fullCheck ? 'full' : 'change', cacheDir: inputs.cacheDir, dataChecks: (input) => samplesNotRun(inputs.root, input) }),
      base.base ? changedLines(inputs.root, base.base) : Promise.resolve<ChangedLines | undefined>(undefined),
    ]);
    core.debug(`mesh check: engine done after ${Date.now() - started} ms`);
    // The deploy plan, written by `mesh plan --format json` in an earlier step (this Action never loads aws-cdk-lib).
    const planRun = inputs.planFile ? loadPlanForRun(inputs.planFile, inputs.root, base.base) : undefined;
    if (planRun?.problem) core.error(`mesh check: plan-file: ${planRun.problem}`);
    const report = planRun ? withPlanFindings(engineReport, planRun.diagnostics) : engineReport;
    const phases = Object.entries(report.scope.phases).map(([phase, ms]) => `${phase} ${ms} ms`).join(', ');
    core.info(`mesh check: ${report.scope.mode === 'full' ? 'every product checked' : `${plural(report.scope.changed?.length ?? 0, 'changed product')} and ${plural(report.scope.readers?.length ?? 0, 'reader')} checked in full`} (${phases})`);
    for (const note of report.scope.cache?.notes ?? []) core.info(`mesh check: cache: ${note}`);

    // Annotations: changed lines first, within the per-step limits, and a notice for the rest.
    // Each with its code's documentation link, at the commit checked.
    const plan = planAnnotations(report.diagnostics, changed, undefined, (code) => codeDocsUrl(code, process.env));
    for (const line of plan.lines) process.stdout.write(`${line}\n`);

    core.setOutput('errors', String(report.summary.errors));
    core.setOutput('warnings', String(report.summary.warnings));
    core.setOutput('breaking', String(report.summary.breaking));
    core.setOutput('changed-products', JSON.stringify(report.changes.map((c) => c.product)));

    const labelled = !!label && (await labels).includes(label);
    const outcome = decideOutcome({ diagnostics: report.diagnostics, breaking: report.summary.breaking, failOn: inputs.failOn, labelled, label, brokenConsumers: report.changes.flatMap((c) => c.impact.map((i) => i.consumer)) });

    const runUrl = context.runId ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}` : undefined;
    const ctx = { outcome, label: label || 'mesh:allow-breaking', baseDescription: base.base ? `Compared against ${base.reason}` : `No base revision (${base.reason})`, runUrl, ...(planRun ? { planMarkdown: planRun.markdown } : {}) };

    const dropped = plan.omitted.error + plan.omitted.warning + plan.omitted.info;
    const note = dropped ? `_${plural(dropped, 'finding')} did not fit GitHub's annotation limits and are listed in the report above._` : undefined;
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(report, ctx, note), true).write();

    let commentId = '';
    if (pr && inputs.comment) commentId = await comment(inputs.githubToken, pr.number, payload, report, renderComment(report, ctx));

    core.setOutput('comment-id', commentId);

    core.info(`${outcome.headline} (${Date.now() - started} ms)`);
    if (outcome.failed) core.setFailed(outcome.headline);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The quality rules on samples need DuckDB, a native module this bundle cannot carry: the products
 * whose samples `mesh check` would run are named, as a warning and as findings, never passed silently.
 */
async function samplesNotRun(root: string, input: DataCheckInput): Promise<DataCheckResult> {
  const products = productsToSample(root, input.mesh, input.change);
  if (products.length > 0) {
    core.warning(`mesh check: the quality rules were not run on the samples of ${products.map((p) => p.id).join(', ')}: this Action cannot load DuckDB. Run \`npx mesh quality samples --base <base> --format github\` in a step of the same job.`);
  }
  const diagnostics = products.map((p): Diagnostic => ({
    severity: 'info', code: 'MESH403', file: p.file, line: 1, column: 1,
    message: `${p.id}: its quality rules were not run on its samples by the Action (it cannot load DuckDB)`,
    hint: '`mesh quality samples --base <base> --format github` runs them, in a step of the same job (see the README)',
  }));
  return { diagnostics, products: [] };
}

/** The engine's report with the plan's findings merged in (no duplicates) and counted. */
function withPlanFindings(report: CheckReport, extra: readonly Diagnostic[]): CheckReport {
  const diagnostics = mergeDiagnostics(report.diagnostics, extra);
  const counts = summarize(diagnostics);
  return { ...report, diagnostics, summary: { ...report.summary, errors: counts.errors, warnings: counts.warnings } };
}

async function pullRequestLabels(token: string, number: number, payload: EventPayload): Promise<string[]> {
  const fromEvent = (payload.pull_request?.labels ?? []).map((l) => l.name);
  if (!token) return fromEvent;
  try {
    return await new PullRequestApi(token, { ...github.context.repo, number }).labels();
  } catch (error) {
    core.warning(`could not read the pull request's labels (${httpStatus(error) ?? String(error)}); using the event's`);
    return fromEvent;
  }
}

/** Upserts the one comment; a fork's read-only token or a 403 skips it with a warning. Returns its id or ''. */
async function comment(token: string, number: number, payload: EventPayload, report: CheckReport, body: string): Promise<string> {
  if (isForkPullRequest(payload)) {
    core.warning('mesh check: a pull request from a fork gets a read-only token, so no comment is written; the job summary has the report.');
    return '';
  }
  if (!token) {
    core.warning('mesh check: no github-token, so no comment is written.');
    return '';
  }
  try {
    const result = await upsertComment(new PullRequestApi(token, { ...github.context.repo, number }), body);
    core.info(`mesh check: comment ${result.id} ${result.action} (${report.changes.length} changed products)`);
    return String(result.id);
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) {
      core.warning(`mesh check: the token may not comment on this pull request (HTTP ${status}); grant \`pull-requests: write\`. The job summary has the report.`);
      return '';
    }
    throw error;
  }
}
