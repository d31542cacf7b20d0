import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  changedFiles, compareDiagnostics, diffMesh, git, INFRA_INPUT_FILES, loadMesh, PLAN_FORMAT, reachesInfrastructure,
  resolveRevision, validateLoadedMesh, type DeployPlan, type Diagnostic, type Mesh, type PlanSummary,
} from '@data-mesh/spec';
import * as fs from 'node:fs';
import { loadInfraConfig, type InfraConfig } from '../config';
import { startDecisionPolicy, type DecisionPolicy } from '../decision';
import { extractRevision } from './revision-tree';
import { schemaHistories } from '../schema-history';
import { PLAN_CODES, planFindings } from './findings';
import { planScope, productsToBuild, type PlanScope } from './scope';
import { synthesizeSide } from './side';
import { diffSides } from './template-diff';

export interface PlanOptions {
  /** The revision the change is compared against. */
  readonly base: string;
  /** The revision planned; default: the work tree. */
  readonly head?: string;
  /** Config file relative to root. @default infra/config.yaml, else infra/config.example.yaml */
  readonly configFile?: string;
}

export interface PlanResult {
  /** No finding is an error. */
  readonly ok: boolean;
  /** Undefined when the plan could not be made (the diagnostics say why). */
  readonly plan?: DeployPlan;
  readonly diagnostics: Diagnostic[];
}

interface Side {
  readonly label: 'base' | 'head';
  readonly mesh: Mesh;
  readonly config: InfraConfig;
  /** The commit to read schema history up to; undefined for the work tree. */
  readonly revision?: string;
  /** This side's compiled policies and their data (the policy decision function). */
  readonly decisionPolicy: DecisionPolicy;
  readonly loadMs: number;
}

/**
 * The deploy plan of the change from `base` to `head` (or the work tree) of the mesh at `root`:
 * synthesizes, for both sides, only the stacks the change reaches, and diffs the templates with
 * the AWS CDK's diff library. Findings (MESH511..515, and MESH211 for a removed product that is
 * still read) are at the spec nodes they are about. Each side's policy decision function is
 * built from that side's policies and data, with the work tree's opa (MESH517 without it).
 * Never prints or exits; git problems are thrown as GitError (an environment error for the caller).
 */
export async function planChange(root: string, options: PlanOptions): Promise<PlanResult> {
  const trees: string[] = [];
  try {
    return await plan(root, options, trees);
  } finally {
    for (const dir of trees) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function plan(root: string, options: PlanOptions, trees: string[]): Promise<PlanResult> {
  const absRoot = path.resolve(root);
  const repo = git(absRoot, ['rev-parse', '--show-toplevel']).toString().trim();
  const prefix = git(absRoot, ['rev-parse', '--show-prefix']).toString().trim();
  const baseCommit = resolveRevision(repo, options.base);
  const headCommit = options.head === undefined ? undefined : resolveRevision(repo, options.head);
  const headAt = headCommit ?? resolveRevision(repo, 'HEAD');
  const diagnostics: Diagnostic[] = [];
  const failed = (message: string, hint?: string): PlanResult => {
    diagnostics.push({ severity: 'error', code: PLAN_CODES.planFailed, message, file: 'domains/domain-map.yaml', line: 1, column: 1, ...(hint ? { hint } : {}) });
    diagnostics.sort(compareDiagnostics);
    return { ok: false, diagnostics };
  };

  const changed = changedFiles(repo, baseCommit, headCommit, INFRA_INPUT_FILES.map((p) => `${prefix}${p}`))
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length));
  // A removed product that is still read: the diff's own finding (MESH211), not a second one.
  for (const d of diffMesh(absRoot, { base: baseCommit, ...(headCommit ? { head: headCommit } : {}) }).diagnostics) {
    if (d.code === 'MESH211') diagnostics.push(d);
  }

  const sides: Side[] = [];
  for (const label of ['base', 'head'] as const) {
    const t0 = performance.now();
    const commit = label === 'base' ? baseCommit : headCommit;
    // A commit's files are extracted once (git archive); the work tree is read in place.
    const tree = commit ? extractRevision(repo, commit, prefix) : absRoot;
    if (commit) trees.push(tree);
    // opa compiles this side's policies while its mesh is validated.
    const decision = await startDecisionPolicy(tree, { toolsRoot: absRoot });
    const validation = validateLoadedMesh(loadMesh(tree));
    const errors = validation.diagnostics.filter((d) => d.severity === 'error').length;
    if (errors > 0) {
      return failed(`no deploy plan: the ${label} (${commit ? commit.slice(0, 12) : 'work tree'}) has ${errors} contract error(s)`, label === 'head' ? 'fix them first (mesh validate)' : 'the base does not validate with this version of mesh: plan against a base that does');
    }
    const loaded = loadInfraConfig(tree, options.configFile);
    // The example config's "not found" warning is the same on both sides: reported once, by synth.
    const problems = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (!loaded.config) {
      diagnostics.push(...(label === 'head' ? problems : []));
      return failed(`no deploy plan: the infra config at the ${label} does not load${label === 'base' ? `: ${problems[0]?.message ?? ''}` : ''}`);
    }
    const policy = await decision.policy(validation.mesh);
    if (!policy.policy) {
      diagnostics.push(...(label === 'head' ? policy.diagnostics.filter((d) => d.severity === 'error') : []));
      return failed(`no deploy plan: the policy decision function of the ${label} cannot be built${label === 'base' ? `: ${policy.diagnostics.find((d) => d.severity === 'error')?.message ?? ''}` : ''}`);
    }
    sides.push({ label, mesh: validation.mesh, config: loaded.config, revision: commit, decisionPolicy: policy.policy, loadMs: performance.now() - t0 });
  }
  const [base, head] = sides as [Side, Side];

  const scope: PlanScope = reachesInfrastructure(changed) ? planScope(changed, base.mesh, head.mesh) : { domains: new Set(), changed: new Set(), reason: 'No change reaches the infrastructure.' };
  const synth = (side: Side) => {
    const build = productsToBuild(scope, side.mesh);
    const files = new Set<string>();
    for (const id of build) for (const port of side.mesh.products.get(id)?.outputPorts ?? []) if (port.schemaFile) files.add(port.schemaFile.file);
    const histories = schemaHistories(absRoot, [...files], side.revision);
    return synthesizeSide(side.mesh, side.config, scope.domains, build, (file) => histories.get(file), side.decisionPolicy);
  };
  const baseSide = synth(base);
  const headSide = synth(head);
  for (const d of baseSide.diagnostics) {
    if (d.severity === 'error') diagnostics.push({ ...d, severity: 'warning', message: `at the base: ${d.message} (the plan does not show this product's base resources)` });
  }
  diagnostics.push(...headSide.diagnostics.filter((d) => d.severity === 'error'));

  const t1 = performance.now();
  const diff = diffSides(baseSide, headSide);
  diagnostics.push(...planFindings(diff, base.mesh, head.mesh));
  const diffMs = performance.now() - t1;

  const count = (...actions: string[]) => diff.resources.filter((r) => actions.includes(r.action)).length;
  const summary: PlanSummary = {
    added: count('add'),
    modified: count('modify'),
    replaced: count('replace', 'may-replace'),
    removed: count('remove', 'orphan'),
    permissionsAdded: diff.permissions.filter((p) => p.change === 'added').length,
    permissionsRemoved: diff.permissions.filter((p) => p.change === 'removed').length,
    broadened: diff.broadened,
  };
  const plan: DeployPlan = {
    format: PLAN_FORMAT,
    base: { ref: options.base, commit: baseCommit },
    head: { ...(options.head !== undefined ? { ref: options.head } : {}), commit: headAt, workTree: headCommit === undefined },
    scope: { domains: [...scope.domains].sort(), products: [...scope.changed].sort(), platform: true, access: true, reason: scope.reason },
    stacks: diff.stacks,
    resources: diff.resources,
    permissions: diff.permissions,
    summary,
    timings: { baseMs: Math.round(base.loadMs + baseSide.ms), headMs: Math.round(head.loadMs + headSide.ms), diffMs: Math.round(diffMs) },
  };
  diagnostics.sort(compareDiagnostics);
  return { ok: !diagnostics.some((d) => d.severity === 'error'), plan, diagnostics };
}
