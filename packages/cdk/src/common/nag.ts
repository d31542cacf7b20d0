import { Stack, Validations } from 'aws-cdk-lib';
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
  const rendered = render(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
}
