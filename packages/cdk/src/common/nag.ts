import { Stack, Tokenization, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Renders a resolved CloudFormation value the way cdk-nag names it in a finding id. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
    if ('Ref' in o) return `<${o.Ref as string}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource on `scope` (a role
 * or policy) with a reason. Only that resource pattern is acknowledged: any other wildcard on
 * the same policy still fails the check.
 */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered(scope, resource)}]`, reason });
}

/** Acknowledges cdk-nag's AwsSolutions-IAM4 finding for one AWS managed policy attached to `scope` (a role), with a reason. */
export function acknowledgeManagedPolicy(scope: IConstruct, policyArn: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM4[Policy::${rendered(scope, policyArn)}]`, reason });
}

function rendered(scope: IConstruct, value: string): string {
  const stack = Stack.of(scope);
  // Only the tokens are resolved (the partition, a region), once per token: resolving whole
  // strings per grant was a tenth of a large synth.
  return String(Tokenization.reverseString(value)
    .mapTokens({ mapToken: (t) => {
      let r = renderedTokens.get(t);
      if (r === undefined) { r = render(stack.resolve(t)); renderedTokens.set(t, r); }
      return r;
    } })
    .join({ join: (a: unknown, b: unknown) => `${a}${b}` }));
}

const renderedTokens = new WeakMap<object, string>();
