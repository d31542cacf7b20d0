import { Annotations, CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * The context flag that allows `RemovalPolicy.DESTROY` on data resources. Without it, every
 * stateful resource this library creates is retained, whatever its props ask for: removing a
 * spec (or a typo in one) never deletes data. Set it only in throwaway environments:
 *
 * `cdk synth -c @data-mesh/cdk:allowDestroy=true` or `"context": {"@data-mesh/cdk:allowDestroy": true}`.
 */
export const ALLOW_DESTROY_CONTEXT = '@data-mesh/cdk:allowDestroy';

/**
 * The removal policy a stateful resource gets: DESTROY only when it was asked for AND the
 * {@link ALLOW_DESTROY_CONTEXT} flag is `true` (boolean or the string "true"); RETAIN otherwise,
 * with a warning on the construct when DESTROY was asked for but not allowed.
 */
export function dataRemovalPolicy(scope: Construct, requested?: RemovalPolicy): RemovalPolicy {
  if (requested !== RemovalPolicy.DESTROY) return RemovalPolicy.RETAIN;
  const flag = scope.node.tryGetContext(ALLOW_DESTROY_CONTEXT);
  if (flag === true || flag === 'true') return RemovalPolicy.DESTROY;
  Annotations.of(scope).addWarningV2(
    '@data-mesh/cdk:destroyNotAllowed',
    `removalPolicy DESTROY ignored: set the context flag ${ALLOW_DESTROY_CONTEXT}=true to allow deleting data; the resource is retained`,
  );
  return RemovalPolicy.RETAIN;
}

/** Applies {@link dataRemovalPolicy} to an L1 or L2 resource (both DeletionPolicy and UpdateReplacePolicy). */
export function applyDataRemovalPolicy(resource: IConstruct & { applyRemovalPolicy(policy: RemovalPolicy): void }, scope: Construct, requested?: RemovalPolicy): RemovalPolicy {
  const policy = dataRemovalPolicy(scope, requested);
  resource.applyRemovalPolicy(policy);
  return policy;
}

/** Same as {@link applyDataRemovalPolicy} for a raw CfnResource. */
export function retainCfn(resource: CfnResource, scope: Construct, requested?: RemovalPolicy): RemovalPolicy {
  return applyDataRemovalPolicy(resource, scope, requested);
}
