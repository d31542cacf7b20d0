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
  /**
   * Pages (64 KiB) of memory the module starts with: what it declares and its data segments
   * need (`requiredMemoryPages` of `@data-mesh/policy`). The module of a large mesh's policies
   * does not load in fewer.
   * @default 5 (opa-wasm's default)
   */
  readonly memoryPages?: number;
  /** @default - not in a VPC */
  readonly network?: FunctionNetwork;
}
