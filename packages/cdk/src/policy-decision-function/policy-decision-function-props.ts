import { FunctionNetwork } from '../common/lambda';

export interface PolicyDecisionFunctionProps {
  /** The compiled policy: `policy.wasm` from `opa build -t wasm` (`buildPolicyWasm` of `@data-mesh/policy`). */
  readonly policyWasm: Buffer;
  /** The policy data (`data.json`: PII registry, retention, erasures ...). */
  readonly data: unknown;
  /**
   * Entrypoint evaluated when a request names none.
   * @default 'data_mesh/governance/decision'
   */
  readonly defaultEntrypoint?: string;
  /** @default - not in a VPC */
  readonly network?: FunctionNetwork;
}
