import type { DeployPlan, Diagnostic } from '@data-mesh/spec';
import { UsageError } from './io';

/**
 * The infrastructure app `mesh synth` and `mesh plan` run: the mesh repository's own, never one
 * the CLI ships. It is the package named {@link INFRA_PACKAGE} resolved from the mesh root as
 * Node resolves a dependency (`<root>/node_modules/@data-mesh/infra`, then the parent
 * folders'): in a clone of the platform repository, its `infra/` workspace after `npm ci` and
 * `npm run build`. The platform team owns it; the CLI, a published package, depends on it only
 * through this interface, so installing the CLI never needs the private app.
 */
export const INFRA_PACKAGE = '@data-mesh/infra';

/** Where a long synth is, for the progress display. */
export type InfraSynthProgress =
  | { readonly phase: 'validate'; readonly products: number }
  | { readonly phase: 'build'; readonly done: number; readonly total: number }
  | { readonly phase: 'prepare'; readonly stacks: number }
  | { readonly phase: 'write'; readonly done: number; readonly total: number }
  | { readonly phase: 'check' };

/** Where one quality rule runs (the shape of @data-mesh/cdk's QualityPlacement, which the CLI does not load). */
export interface InfraQualityPlacement {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly level: 'row' | 'aggregate';
  readonly runs: readonly { readonly engine: 'glue-data-quality' | 'sdk-publish'; readonly port: string }[];
  readonly notRunReason?: string;
}

export interface InfraSynthResult {
  readonly ok: boolean;
  readonly outDir: string;
  readonly templates: readonly { readonly stackName: string; readonly templatePath: string; readonly resourceCount: number }[];
  readonly diagnostics: Diagnostic[];
  /** Where each product's quality rules run, by product id. */
  readonly quality: readonly { readonly product: string; readonly rules: readonly InfraQualityPlacement[] }[];
}

export interface InfraPlanResult {
  readonly ok: boolean;
  readonly plan?: DeployPlan;
  readonly diagnostics: Diagnostic[];
}

/** What the CLI calls of the infrastructure app (the exports of its entry point). */
export interface InfraApp {
  synthesize(root: string, outDir: string, options?: { onProgress?: (progress: InfraSynthProgress) => void }): Promise<InfraSynthResult>;
  planChange(root: string, options: { base: string; head?: string }): Promise<InfraPlanResult>;
}

/** The entry point of the root's infrastructure app, or a usage error (exit 2) saying how to get one. */
export function resolveInfraApp(root: string): string {
  try {
    return require.resolve(INFRA_PACKAGE, { paths: [root] });
  } catch {
    throw new UsageError(
      `no infrastructure app: ${INFRA_PACKAGE} cannot be resolved from ${root}`,
      `run mesh synth and mesh plan in a clone of the platform repository (its infra/ workspace is ${INFRA_PACKAGE}) after npm ci and npm run build, or give --root of one (mesh check: --no-plan skips the deploy plan)`,
    );
  }
}

/** Loads the root's infrastructure app (aws-cdk-lib with it: only synth and plan pay for that). */
export function loadInfraApp(root: string): InfraApp {
  const entry = resolveInfraApp(root);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const app = require(entry) as Partial<InfraApp>;
  for (const name of ['synthesize', 'planChange'] as const) {
    if (typeof app[name] !== 'function') {
      throw new UsageError(`the infrastructure app ${entry} exports no ${name}()`, `${INFRA_PACKAGE} must export synthesize(root, outDir, options) and planChange(root, options)`);
    }
  }
  return app as InfraApp;
}
