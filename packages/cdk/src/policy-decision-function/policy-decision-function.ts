import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { stackSingletonFunction } from '../common/lambda';
import { PolicyDecisionFunctionProps } from './policy-decision-function-props';

/**
 * The governance decision point: a function that loads the compiled policy wasm and the
 * generated data (`@open-policy-agent/opa-wasm`, shipped in the asset with them) and answers
 * `{input, entrypoint?}` with the decision. Callers are authorized by IAM only: a function URL
 * with AWS_IAM auth, and `grantEvaluate` for principals allowed to ask.
 */
export class PolicyDecisionFunction extends Construct {
  readonly function: lambda.Function;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: PolicyDecisionFunctionProps) {
    super(scope, id);
    this.function = stackSingletonFunction(this, {
      id: 'Function',
      scope: this,
      handler: 'policy-decision',
      description: 'data-mesh policy decisions (OPA wasm)',
      // its own sprintf-js and yaml are nested in its folder and copied with it
      bundledModules: ['@open-policy-agent/opa-wasm'],
      files: { 'policy.wasm': props.policyWasm, 'data.json': JSON.stringify(props.data) },
      timeout: Duration.seconds(10),
      memorySize: 512,
      network: props.network,
    });
    this.function.addEnvironment('DEFAULT_ENTRYPOINT', props.defaultEntrypoint ?? 'data_mesh/governance/decision');
    if (props.memoryPages !== undefined) this.function.addEnvironment('POLICY_MEMORY_PAGES', String(props.memoryPages));
    this.url = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /**
   * Allow a principal to ask for decisions: a principal of this app may invoke directly or
   * through the IAM-authenticated URL (its own policy); one that has no policy here (a role
   * named by ARN, such as the query gateway's) may call the URL (the function's resource policy).
   */
  grantEvaluate(grantee: iam.IGrantable): iam.Grant {
    // This function only (not its versions: `grantInvoke` would add `<arn>:*`).
    const own = iam.Grant.addToPrincipal({ grantee, actions: ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'], resourceArns: [this.function.functionArn] });
    return own.success ? own : this.function.grantInvokeUrl(grantee);
  }
}
