import { CODES, type Diagnostic, type PolicyCode } from './diagnostics';
import { locateInProduct } from './locate';
import { meshProducts, type JsonPath, type MeshLike } from './mesh-input';
import { ENTRYPOINTS, loadCompiledPolicy, type CompiledPolicy } from './wasm';
import type { PolicyData } from './data';

/** A finding of data_mesh.standards, as the policy returns it. */
export interface StandardsFinding {
  readonly code: string;
  readonly message: string;
  readonly path: JsonPath;
  /** @default 'error' */
  readonly severity?: 'error' | 'warning';
}

/** Finding codes of governance/policies/standards.rego -> diagnostic codes. */
export const STANDARDS_CODES: Readonly<Record<string, PolicyCode>> = {
  'pii-tag': CODES.piiTag,
  'pii-classification': CODES.piiClassification,
  'restricted-access-policy': CODES.restrictedAccessPolicy,
  'gdpr-erasure': CODES.gdprErasure,
  'gdpr-tag': CODES.gdprTag,
  'retention-limit': CODES.retentionLimit,
  'tier-uptime': CODES.tierUptime,
  'gdpr-stream-retention': CODES.gdprStreamRetention,
  'pii-unauthorized': CODES.piiRead,
  'pii-stream-partial': CODES.piiRead,
};

/** Where the fix of a finding is, when it is not the spec's limits in governance/standards.yaml. */
const STANDARDS_HINTS: Readonly<Record<string, string>> = {
  'pii-unauthorized':
    'the platform team authorizes a consumer and source pair under piiAccess in infra/config.yaml (with a reason); or drop the field: without an authorization a stream is read through its PII-free projection (<topic>.pii-free) and Lake Formation withholds PII columns',
  'pii-stream-partial': 'authorize every PII field of the port (leave fields out of the piiAccess entry), or read a batch port (port: <name>), where Lake Formation grants columns',
};

export interface StandardsReport {
  readonly findings: readonly { readonly product: string; readonly finding: StandardsFinding }[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Publish-time standards: evaluates data_mesh.standards on every product's spec through the
 * compiled wasm and reports each finding at the YAML node its JSON path names.
 */
export async function checkStandards(
  root: string,
  mesh: MeshLike,
  options: { policy?: CompiledPolicy; data?: PolicyData; products?: ReadonlySet<string> } = {},
): Promise<StandardsReport> {
  let policy = options.policy;
  const diagnostics: Diagnostic[] = [];
  if (!policy) {
    const loaded = await loadCompiledPolicy(root, { mesh, ...(options.data ? { data: options.data } : {}) });
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.policy) return { findings: [], diagnostics };
    policy = loaded.policy;
  }
  const findings: { product: string; finding: StandardsFinding }[] = [];
  for (const product of meshProducts(mesh)) {
    if (options.products && !options.products.has(`${product.domain}/${product.name}`)) continue;
    const result = policy.evaluate(product.spec, ENTRYPOINTS.standards);
    const list = Array.isArray(result) ? (result as StandardsFinding[]) : [];
    for (const finding of list) {
      findings.push({ product: `${product.domain}/${product.name}`, finding });
      const pos = locateInProduct(root, product, finding.path);
      diagnostics.push({
        severity: finding.severity === 'warning' ? 'warning' : 'error',
        code: STANDARDS_CODES[finding.code] ?? CODES.standardsOther,
        message: `${product.domain}/${product.name}: ${finding.message}`,
        file: product.file,
        line: pos.line,
        column: pos.column,
        ...(pos.endLine !== undefined ? { endLine: pos.endLine, endColumn: pos.endColumn } : {}),
        hint: STANDARDS_HINTS[finding.code] ?? `governance standard '${finding.code}' (governance/policies/standards.rego, limits in governance/standards.yaml)`,
      });
    }
  }
  return { findings, diagnostics };
}
