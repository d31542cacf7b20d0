import * as path from 'node:path';
import { PolicyDecisionFunction } from '@data-mesh/cdk';
import { buildPolicyData, requiredMemoryPages, requireTool, startPolicyBuild, type PolicyData, type WasmBuild } from '@data-mesh/policy';
import type { Diagnostic, Mesh } from '@data-mesh/spec';
import { PLATFORM_STACKS } from '@data-mesh/spec';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { InfraConfig } from './config';

/** What the policy decision function ships: the compiled governance policies and their data. */
export interface DecisionPolicy {
  /** `policy.wasm` of `opa build -t wasm` over `governance/policies` and `domains/<d>/policies`. */
  readonly wasm: Buffer;
  /** The policy data generated from the mesh (PII registry, products, erased subjects, standards). */
  readonly data: PolicyData;
}

/** The policy decision function cannot be built (opa missing, the policies or their data broken), or was not given. */
export const DECISION_FUNCTION_CODE = 'MESH517';

const SETUP_HINT = 'install the pinned opa: npm run setup (or bash scripts/setup-tools.sh); in a workflow, open-policy-agent/setup-opa with OPA_VERSION of tools/versions.env';

export interface DecisionPolicyOptions {
  /** Where the compiled policy is kept between runs. @default <toolsRoot>/.tools/cache (as `mesh check`) */
  readonly cacheDir?: string;
  /** Where opa is looked up (`.tools/bin`, then PATH) and its pinned version read. @default the root */
  readonly toolsRoot?: string;
}

export interface DecisionPolicyBuild {
  /** Awaits the compile and generates the policy data from the validated mesh. Never rejects. */
  policy(mesh: Mesh): Promise<{ policy?: DecisionPolicy; diagnostics: Diagnostic[] }>;
}

function cannotBuild(reason: string, hint?: string): Diagnostic {
  return { severity: 'error', code: DECISION_FUNCTION_CODE, message: `the policy decision function cannot be built: ${reason}`, file: 'governance/policies', line: 1, column: 1, ...(hint ? { hint } : {}) };
}

/**
 * Finds opa and starts compiling the policies under `root` (`opa build -t wasm`, cached by
 * their content), so that opa compiles in its own process while the caller loads and
 * validates the mesh. opa missing is a MESH517 error, never a decision function left out.
 */
export async function startDecisionPolicy(root: string, options: DecisionPolicyOptions = {}): Promise<DecisionPolicyBuild> {
  const toolsRoot = options.toolsRoot ?? root;
  let opa: string;
  try {
    opa = await requireTool(toolsRoot, 'opa');
  } catch (error) {
    if ((error as Error).name !== 'ToolMissingError') throw error;
    const missing = cannotBuild((error as Error).message.replace(/\. Install it with: .*$/, ''), SETUP_HINT);
    return { policy: async () => ({ diagnostics: [missing] }) };
  }
  let build: Promise<WasmBuild>;
  try {
    build = startPolicyBuild(root, opa, { cacheDir: options.cacheDir ?? path.join(toolsRoot, '.tools', 'cache') });
  } catch (error) {
    build = Promise.reject(error as Error);
  }
  build.catch(() => undefined); // awaited (and its error reported) by policy()
  return {
    async policy(mesh) {
      let compiled: WasmBuild;
      try {
        compiled = await build;
      } catch (error) {
        return { diagnostics: [cannotBuild(`opa build failed: ${(error as Error).message}`, SETUP_HINT)] };
      }
      const { data, diagnostics } = buildPolicyData(root, mesh);
      diagnostics.push(...compiled.diagnostics);
      if (!compiled.wasm) return { diagnostics: [...diagnostics, cannotBuild('opa build -t wasm of the policies failed (the MESH3xx findings say where)')] };
      // A broken erasure list or standards file would deploy decisions that serve what they must deny.
      if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics: [...diagnostics, cannotBuild('the policy data has errors (the MESH3xx findings say where)')] };
      return { policy: { wasm: compiled.wasm, data }, diagnostics };
    },
  };
}

/** MESH517 for an app built without its decision policy. */
export function missingDecisionPolicy(): Diagnostic {
  return cannotBuild('no compiled policy was given to the app (BuildOptions.decisionPolicy; synthesize() and planChange() compile it)');
}

/**
 * `<prefix>-Governance`: the policy decision function with the compiled policy and its data,
 * its URL (AWS_IAM auth) and ARN exported, callable by the roles of `governance.decisionCallers`
 * (through the function's resource policy: the roles belong to the query gateway, not to this app).
 * A stack of its own: it changes with every policy, erasure or PII field, the platform stack
 * (keys, buckets) should not.
 */
export function addDecisionFunction(app: App, config: InfraConfig, policy: DecisionPolicy): { stack: Stack; decisionFunction: PolicyDecisionFunction } {
  const prefix = config.stackPrefix;
  const stack = new Stack(app, `${prefix}-${PLATFORM_STACKS.governance}`, {
    env: { account: config.account, region: config.region },
    description: 'data-mesh governance: the policy decision function (query-time access decisions from the compiled policies)',
  });
  const decisionFunction = new PolicyDecisionFunction(stack, 'Decisions', { policyWasm: policy.wasm, data: policy.data, memoryPages: requiredMemoryPages(policy.wasm) });
  for (const arn of config.decisionCallers) decisionFunction.grantEvaluate(new iam.ArnPrincipal(arn));
  new CfnOutput(stack, 'DecisionFunctionUrl', {
    value: decisionFunction.url.url,
    exportName: `${prefix}-DecisionFunctionUrl`,
    description: 'POST {"input": ..., "entrypoint"?: ...}, signed with SigV4 (service lambda) by a role of governance.decisionCallers',
  });
  new CfnOutput(stack, 'DecisionFunctionArn', { value: decisionFunction.function.functionArn, exportName: `${prefix}-DecisionFunctionArn` });
  return { stack, decisionFunction };
}
