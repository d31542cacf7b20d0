import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { QualityPlacement, TopicManifest } from '@data-mesh/cdk';
import { Stack, type App } from 'aws-cdk-lib';
import { compareDiagnostics, loadMesh, validateLoadedMesh, type Diagnostic } from '@data-mesh/spec';
import { annotationDiagnostics } from './annotations';
import { buildMeshApp } from './app';
import { loadInfraConfig } from './config';
import { startDecisionPolicy } from './decision';
import { schemaHistories } from './schema-history';

/** The recorded topics, committed beside the app and updated from each deploy's synth output. */
export const TOPIC_MANIFEST_FILE = 'infra/topic-manifest.json';

export interface SynthesizedTemplate {
  readonly stackName: string;
  /** Absolute path of the template. */
  readonly templatePath: string;
  readonly resourceCount: number;
}

export interface SynthesizeOptions {
  /** Config file relative to root. @default infra/config.yaml, else infra/config.example.yaml */
  readonly configFile?: string;
  /** Run cdk-nag (AwsSolutions) on every stack; findings become MESH508 errors. @default true */
  readonly nag?: boolean;
  /** Run CDK's built-in CloudFormation validation too (findings become MESH510 warnings). @default false */
  readonly cfnValidation?: boolean;
  /** Extra CDK context. */
  readonly context?: Record<string, unknown>;
  /** Where the compiled policy is kept between runs (as `mesh check`). @default <root>/.tools/cache */
  readonly cacheDir?: string;
  /** Told where a long synth is (it takes about 30 s at 1,000 products), for a progress display. */
  readonly onProgress?: (progress: SynthProgress) => void;
}

/**
 * Where `synthesize` is: validating the mesh (and compiling the policies), building each
 * product's constructs, preparing the stacks (CDK's aspects and references), writing each
 * stack's template, checking the templates (cdk-nag's report, sizes).
 */
export type SynthProgress =
  | { readonly phase: 'validate'; readonly products: number }
  | { readonly phase: 'build'; readonly done: number; readonly total: number }
  | { readonly phase: 'prepare'; readonly stacks: number }
  | { readonly phase: 'write'; readonly done: number; readonly total: number }
  | { readonly phase: 'check' };

export interface SynthesizeResult {
  /** True when templates were written and no diagnostic is an error. */
  readonly ok: boolean;
  readonly outDir: string;
  readonly templates: SynthesizedTemplate[];
  /** Spec, config and infra diagnostics, sorted; infra codes are MESH5xx. */
  readonly diagnostics: Diagnostic[];
  /** Path of the topic manifest this synth would record (written under outDir). */
  readonly topicManifestPath?: string;
  /** Where each product's quality rules run (`DataProduct.qualityPlacements`), by product id; empty when nothing was built. */
  readonly quality: readonly { readonly product: string; readonly rules: readonly QualityPlacement[] }[];
  /** Milliseconds spent loading and validating the mesh (and compiling the policies), building the constructs, synthesizing (and checking). */
  readonly timings: { readonly loadMs: number; readonly buildMs: number; readonly synthMs: number };
}

/**
 * Synthesizes the mesh under `root` into CloudFormation templates in `outDir`, offline. Never
 * prints or exits: everything is in the result. Used by `mesh synth [--out DIR]`.
 *
 * Codes: MESH500 contract errors block synthesis; MESH501 config; MESH502 a topic change that
 * would replace the topic; MESH503 an on-call without PagerDuty URL; MESH505 a product that
 * cannot be synthesized; MESH506 a domain split over several stacks; MESH507 synthesis failed;
 * MESH508 a cdk-nag finding; MESH509 a stack over 500 resources or a template over 1 MB;
 * MESH510 a finding of CDK's built-in template validation (with cfnValidation); MESH516 an
 * annotation a construct raised (its severity; at the product's spec); MESH517 the policy
 * decision function cannot be built (opa missing, the policies or their data broken): nothing
 * is synthesized without it.
 */
export async function synthesize(root: string, outDir: string, options: SynthesizeOptions = {}): Promise<SynthesizeResult> {
  const absRoot = path.resolve(root);
  const absOut = path.resolve(absRoot, outDir);
  const diagnostics: Diagnostic[] = [];
  const t0 = performance.now();
  const timings = { loadMs: 0, buildMs: 0, synthMs: 0 };
  let quality: SynthesizeResult['quality'] = [];
  const done = (ok: boolean, templates: SynthesizedTemplate[] = [], topicManifestPath?: string): SynthesizeResult => {
    diagnostics.sort(compareDiagnostics);
    return { ok: ok && !diagnostics.some((d) => d.severity === 'error'), outDir: absOut, templates, diagnostics, topicManifestPath, quality, timings };
  };

  // opa compiles the policies (the decision function's) while the mesh is loaded and validated.
  const progress = options.onProgress ?? (() => undefined);
  const decision = await startDecisionPolicy(absRoot, options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {});
  const loaded = loadMesh(absRoot);
  progress({ phase: 'validate', products: loaded.products.size });
  const validation = validateLoadedMesh(loaded);
  diagnostics.push(...validation.diagnostics);
  const contractErrors = validation.diagnostics.filter((d) => d.severity === 'error').length;
  if (contractErrors > 0) {
    diagnostics.push({ severity: 'error', code: 'MESH500', message: `synthesis skipped: the mesh has ${contractErrors} contract error(s); fix them first (mesh validate)`, file: 'domains/domain-map.yaml', line: 1, column: 1 });
    return done(false);
  }
  const { config, diagnostics: configDiagnostics, file: configFile } = loadInfraConfig(absRoot, options.configFile);
  diagnostics.push(...configDiagnostics);
  if (!config) return done(false);

  let manifest: TopicManifest | undefined;
  const manifestFile = path.join(absRoot, TOPIC_MANIFEST_FILE);
  if (fs.existsSync(manifestFile)) {
    try {
      manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as TopicManifest;
    } catch (e) {
      diagnostics.push({ severity: 'error', code: 'MESH501', message: `${TOPIC_MANIFEST_FILE} is not JSON: ${(e as Error).message}`, file: TOPIC_MANIFEST_FILE, line: 1, column: 1 });
      return done(false);
    }
  }

  const mesh = validation.mesh;
  const policy = await decision.policy(mesh);
  diagnostics.push(...policy.diagnostics);
  if (!policy.policy) return done(false);
  timings.loadMs = performance.now() - t0;
  const schemaFiles = [...mesh.schemas.values()].map((s) => s.file);
  const histories = schemaHistories(absRoot, schemaFiles);

  try {
    fs.mkdirSync(absOut, { recursive: true });
    const built = buildMeshApp(mesh, config, diagnostics, {
      outdir: absOut,
      topicManifest: manifest,
      schemaVersions: (file) => histories.get(file),
      context: options.context,
      cfnValidation: options.cfnValidation,
      decisionPolicy: policy.policy,
      onProduct: (done, total) => progress({ phase: 'build', done, total }),
    });
    quality = [...built.products].map(([product, dp]) => ({ product, rules: dp.qualityPlacements }));
    if (options.nag ?? true) {
      // Loaded lazily: a synth without checks does not pay for the rule packs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { addNagChecks } = require('./nag') as typeof import('./nag');
      addNagChecks(built.app);
    }
    const t1 = performance.now();
    timings.buildMs = t1 - t0 - timings.loadMs;
    if (options.onProgress) watchStackSynthesis(built.app, progress);
    let assembly;
    try {
      assembly = built.app.synth();
    } catch (e) {
      diagnostics.push(...nagDiagnostics(absOut));
      diagnostics.push({ severity: 'error', code: 'MESH507', message: `synthesis failed: ${errorText(e)}`, file: 'infra', line: 1, column: 1 });
      return done(false);
    }
    progress({ phase: 'check' });
    diagnostics.push(...nagDiagnostics(absOut));
    diagnostics.push(...annotationDiagnostics(assembly, built, mesh, configFile));
    timings.synthMs = performance.now() - t1;
    const templates: SynthesizedTemplate[] = assembly.stacks.map((s) => ({
      stackName: s.stackName,
      templatePath: s.templateFullPath,
      resourceCount: Object.keys((s.template as { Resources?: object }).Resources ?? {}).length,
    }));
    for (const t of templates) {
      if (t.resourceCount > 500) diagnostics.push({ severity: 'error', code: 'MESH509', message: `${t.stackName} has ${t.resourceCount} resources, over CloudFormation's 500`, file: 'infra/config.yaml', line: 1, column: 1 });
      // CloudFormation reads templates of at most 1 MB (from S3), whitespace included.
      const bytes = fs.statSync(t.templatePath).size;
      if (bytes > 1_000_000) diagnostics.push({ severity: 'error', code: 'MESH509', message: `${t.stackName}'s template is ${Math.round(bytes / 1000)} KB, over CloudFormation's 1 MB`, file: 'infra/config.yaml', line: 1, column: 1, hint: 'lower limits.maxResourcesPerStack' });
    }
    const topicManifestPath = path.join(absOut, 'topic-manifest.json');
    fs.writeFileSync(topicManifestPath, JSON.stringify(sortKeys(built.topicManifest), null, 2) + '\n');
    return done(true, templates, topicManifestPath);
  } catch (e) {
    diagnostics.push({ severity: 'error', code: 'MESH507', message: `synthesis failed: ${errorText(e)}`, file: 'infra', line: 1, column: 1 });
    return done(false);
  }
}

/**
 * Reports the stacks as CDK writes them: CDK prepares every stack (aspects, references) first,
 * then calls each stack's synthesizer, which writes its template.
 */
function watchStackSynthesis(app: App, progress: (progress: SynthProgress) => void): void {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  progress({ phase: 'prepare', stacks: stacks.length });
  let done = 0;
  for (const stack of stacks) {
    const synthesizer = stack.synthesizer;
    const synthesize = synthesizer.synthesize.bind(synthesizer);
    synthesizer.synthesize = (session) => {
      progress({ phase: 'write', done, total: stacks.length });
      synthesize(session);
      done++;
    };
  }
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Unacknowledged findings of the validation report: cdk-nag's as MESH508 errors, CDK's built-in
 * CloudFormation validation's (which CDK itself downgrades to warnings) as MESH510 warnings.
 */
function nagDiagnostics(outDir: string): Diagnostic[] {
  const file = path.join(outDir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const out: Diagnostic[] = [];
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as NagReport;
    for (const plugin of report.pluginReports ?? []) {
      const nag = plugin.pluginName !== 'CloudFormation Validate';
      for (const v of plugin.violations ?? []) {
        for (const r of v.violatingResources ?? v.violatingConstructs ?? []) {
          out.push({ severity: nag ? 'error' : 'warning', code: nag ? 'MESH508' : 'MESH510', message: `${v.ruleName}: ${(v.description ?? '').split('\n')[0]} (${r.constructPath ?? r.resourceLogicalId ?? ''})`, file: 'infra', line: 1, column: 1, hint: v.fix ?? v.suggestedFix });
        }
      }
    }
  } catch {
    // an unreadable report is not a finding
  }
  return out;
}

interface NagReport {
  pluginReports?: { pluginName?: string; violations?: { ruleName: string; description?: string; fix?: string; suggestedFix?: string; violatingResources?: { constructPath?: string; resourceLogicalId?: string }[]; violatingConstructs?: { constructPath?: string; resourceLogicalId?: string }[] }[] }[];
}

/** The message of a synthesis error without CDK's source-position lines. */
function errorText(e: unknown): string {
  const lines = String((e as Error)?.message ?? e).split('\n').map((l) => l.trim()).filter((l) => l && !/^(\.\.\/|\/|at |\d+ \||>)/.test(l) && !/\.ts:\d+:\d+$/.test(l));
  return lines.join(' ').slice(0, 600);
}
