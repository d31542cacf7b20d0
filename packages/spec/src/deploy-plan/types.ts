import type { Diagnostic } from '../diagnostics';

/**
 * The deploy plan of a change: what CloudFormation would do to the stacks a change reaches,
 * from the templates of the base and the head (`mesh plan`). The value is plain JSON: `mesh plan
 * --format json` writes it, the Action reads it (without loading aws-cdk-lib) and renders it.
 */
export const PLAN_FORMAT = 'mesh-plan/v1';

/**
 * What happens to one resource, in the terms of the AWS CDK's diff (`ResourceImpact`):
 * add (WILL_CREATE), modify (WILL_UPDATE), replace (WILL_REPLACE), may-replace (MAY_REPLACE),
 * remove (WILL_DESTROY: deleted), orphan (WILL_ORPHAN: removed from the stack, kept by DeletionPolicy Retain).
 */
export type ResourceAction = 'add' | 'modify' | 'replace' | 'may-replace' | 'remove' | 'orphan';

export const RESOURCE_ACTIONS: readonly ResourceAction[] = ['add', 'modify', 'replace', 'may-replace', 'remove', 'orphan'];

export interface PlannedResource {
  readonly stack: string;
  readonly logicalId: string;
  /** CloudFormation type (the new one, or the old one for a removal). */
  readonly type: string;
  readonly action: ResourceAction;
  /** Holds data (a topic, table, bucket, database, schema, key): replacing or removing it affects the data. */
  readonly stateful: boolean;
  /** `<domain>/<product>` the resource belongs to, when it belongs to one. */
  readonly product?: string;
  /** The output port it belongs to, when it does. */
  readonly port?: string;
  /** The domain (platform stack: the domain's shared resources). */
  readonly domain?: string;
  /** Properties that change (modify, replace). */
  readonly properties: readonly string[];
  /** The properties whose change replaces the resource. */
  readonly replacing?: readonly string[];
  /** What happens to the data, for stateful resources that are replaced or removed. */
  readonly dataFate?: 'retained-orphaned' | 'lost';
}

/** One permission that the change grants or revokes. */
export interface PermissionChange {
  readonly stack: string;
  readonly kind: 'iam' | 'lake-formation';
  readonly change: 'added' | 'removed';
  /** The Lake Formation resource's logical id (IAM statements are per policy document and carry none). */
  readonly logicalId?: string;
  readonly principal: string;
  readonly actions: readonly string[];
  readonly resource: string;
  readonly effect?: string;
  readonly condition?: string;
  /** The consumer product of a Lake Formation grant, when known. */
  readonly product?: string;
}

export interface PlannedStack {
  readonly name: string;
  /** `added`/`removed`: the stack exists on one side only. */
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed';
  /** Resources in the head's template (the base's for a removed stack). */
  readonly resources: number;
}

export interface PlanSummary {
  readonly added: number;
  readonly modified: number;
  readonly replaced: number;
  readonly removed: number;
  readonly permissionsAdded: number;
  readonly permissionsRemoved: number;
  /** The change widens IAM or Lake Formation permissions (the AWS CDK diff's permissionsBroadened). */
  readonly broadened: boolean;
}

export interface DeployPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly base: { readonly ref: string; readonly commit: string };
  /** The head: a commit, or the work tree on top of `commit` (HEAD). */
  readonly head: { readonly ref?: string; readonly commit: string; readonly workTree: boolean };
  /** Which stacks were synthesized and why. */
  readonly scope: {
    readonly domains: readonly string[];
    readonly products: readonly string[];
    readonly platform: boolean;
    readonly access: boolean;
    readonly reason: string;
  };
  readonly stacks: readonly PlannedStack[];
  readonly resources: readonly PlannedResource[];
  readonly permissions: readonly PermissionChange[];
  readonly summary: PlanSummary;
  /** Milliseconds: synthesizing the base, the head, and diffing. */
  readonly timings: { readonly baseMs: number; readonly headMs: number; readonly diffMs: number };
}

/** What `mesh plan --format json` writes. */
export interface PlanFile {
  readonly ok: boolean;
  readonly plan?: DeployPlan;
  readonly diagnostics: readonly Diagnostic[];
}
