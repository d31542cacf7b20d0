/**
 * Diagnostics of the policy package: @data-mesh/spec's shape, with codes MESH300-MESH399
 * (see README.md).
 */
import type { Diagnostic, Severity } from '@data-mesh/spec/core';

export type { Diagnostic, Severity };

/** Stable codes of this package. Documented in packages/policy/README.md. */
export const CODES = {
  /** opa (or regal) is not installed or is another version than tools/versions.env pins. */
  toolMissing: 'MESH300',
  /** A Rego test failed. */
  testFailed: 'MESH301',
  /** A Rego test raised an error (e.g. a conflict, a builtin error). */
  testError: 'MESH302',
  /** The policies do not load: parse or compile error reported by opa. */
  policyCompile: 'MESH303',
  /** Coverage below the threshold. */
  coverage: 'MESH304',
  /** opa exited in a way we cannot interpret. */
  opaFailure: 'MESH305',
  /** opa build -t wasm failed. */
  wasmBuild: 'MESH306',
  /** Evaluation of a compiled decision failed. */
  evalFailure: 'MESH307',
  /** A Rego file is not formatted as `opa fmt` writes it. */
  format: 'MESH308',
  /** Regal (the Rego linter) reports a violation. */
  lint: 'MESH309',
  /** Standards: PII fields without the pii tag. */
  piiTag: 'MESH310',
  /** Standards: PII fields with a classification below confidential. */
  piiClassification: 'MESH311',
  /** Standards: restricted product without access_policy. */
  restrictedAccessPolicy: 'MESH312',
  /** Standards: gdpr-scoped tag without erasure support. */
  gdprErasure: 'MESH313',
  /** Standards: erasure support without the gdpr-scoped tag. */
  gdprTag: 'MESH314',
  /** Standards: retention beyond the classification's limit. */
  retentionLimit: 'MESH315',
  /** Standards: tier-1 product with a port below the tier's uptime. */
  tierUptime: 'MESH316',
  /** Standards: a GDPR-scoped stream port keeps erased subjects' records longer than gdpr.max_stream_erasure_days (warning). */
  gdprStreamRetention: 'MESH317',
  /** Standards: an input port declares a PII field of its source without the platform's authorization (infra config piiAccess). */
  piiRead: 'MESH318',
  /** Standards: a finding code this package does not know (the policy is newer than the package). */
  standardsOther: 'MESH319',
  /** governance/erasures file malformed, or a duplicate subject id. */
  erasureFile: 'MESH322',
  /** governance/standards.yaml missing or malformed. */
  standardsFile: 'MESH323',
  /** Infra config piiAccess: a malformed entry, an unknown product, a field that is not PII of the source, a duplicate pair. */
  piiAccessFile: 'MESH324',
  /** Infra config piiAccess: an authorization nothing uses (the consumer does not read the source, or the source has no PII). */
  piiAccessStale: 'MESH325',
  /** A generated probe found an over-grant (or over-deny) of a PII field. */
  probeFailed: 'MESH330',
  /** wasm and opa eval disagree on a decision. */
  parityMismatch: 'MESH340',
} as const;

export type PolicyCode = (typeof CODES)[keyof typeof CODES];

export function diagnostic(
  severity: Severity,
  code: PolicyCode,
  message: string,
  file: string,
  line = 1,
  column = 1,
  hint?: string,
): Diagnostic {
  return hint === undefined ? { severity, code, message, file, line, column } : { severity, code, message, file, line, column, hint };
}

/** A YAML/JSON mapping (not a list, not null). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
