import type { PolicyData } from './data';
import { CODES, type Diagnostic } from './diagnostics';
import { locateInProduct } from './locate';
import { meshProducts, type MeshLike } from './mesh-input';
import { ENTRYPOINTS, loadCompiledPolicy, type CompiledPolicy } from './wasm';

export type ProbeKind = 'no-role-denied' | 'role-allowed' | 'erased-subject-denied' | 'old-record-denied';

/** One generated request and the verdict the governance policy must give. */
export interface Probe {
  readonly kind: ProbeKind;
  readonly domain: string;
  readonly product: string;
  readonly field: string;
  readonly expectAllow: boolean;
  readonly input: Record<string, unknown>;
}

export interface ProbeOutcome {
  readonly probe: Probe;
  readonly passed: boolean;
  readonly allow: boolean;
  readonly reasons: readonly { readonly code: string; readonly message: string }[];
}

/** A fixed clock for the probes (2026-11-18T00:00:00Z), so they are reproducible. */
export const PROBE_NOW_NS = 1_795_478_400_000_000_000;
const DAY_NS = 86_400_000_000_000;
/** A subject id the probes add to the erased subjects, so erasure is probed even with none on file. */
export const PROBE_ERASED_SUBJECT = 'mesh-probe-erased-subject';

function request(domain: string, product: string, field: string, roles: string[], extra: Record<string, unknown> = {}) {
  return {
    action: 'read',
    now_ns: PROBE_NOW_NS,
    subject: { id: 'mesh-probe', roles, team: 'mesh-probe' },
    resource: { domain, product, fields: [field], record_created_ns: PROBE_NOW_NS - DAY_NS, ...extra },
  };
}

/**
 * For every product with PII fields and every such field: without the role -> denied; with
 * pii_authorized -> allowed; an erased subject -> denied; and, for restricted products, a
 * record older than the retention -> denied to a non-steward. `only`: these products' probes alone.
 */
export function generateProbes(data: PolicyData, only?: ReadonlySet<string>): Probe[] {
  const probes: Probe[] = [];
  const role = data.standards?.pii.role ?? 'pii_authorized';
  for (const domain of Object.keys(data.pii_registry).sort()) {
    const products = data.pii_registry[domain] ?? {};
    for (const product of Object.keys(products).sort()) {
      if (only && !only.has(`${domain}/${product}`)) continue;
      const meta = data.products[domain]?.[product];
      for (const field of products[product] ?? []) {
        const base = { domain, product, field };
        probes.push({ ...base, kind: 'no-role-denied', expectAllow: false, input: request(domain, product, field, ['analyst']) });
        probes.push({ ...base, kind: 'role-allowed', expectAllow: true, input: request(domain, product, field, ['analyst', role]) });
        probes.push({
          ...base,
          kind: 'erased-subject-denied',
          expectAllow: false,
          input: request(domain, product, field, ['analyst', role], { subject_id: PROBE_ERASED_SUBJECT }),
        });
        if (meta?.classification === 'restricted' && typeof meta.retention_days === 'number') {
          probes.push({
            ...base,
            kind: 'old-record-denied',
            expectAllow: false,
            input: request(domain, product, field, ['analyst', role], {
              record_created_ns: PROBE_NOW_NS - (meta.retention_days + 1) * DAY_NS,
            }),
          });
        }
      }
    }
  }
  return probes;
}

const EXPECTATION: Record<ProbeKind, string> = {
  'no-role-denied': 'a read without role pii_authorized must be denied',
  'role-allowed': 'a read with role pii_authorized must be allowed',
  'erased-subject-denied': 'a read of an erased subject must be denied',
  'old-record-denied': 'a record older than the retention must be denied to a non-steward',
};

export interface ProbeReport {
  readonly outcomes: readonly ProbeOutcome[];
  readonly passed: number;
  readonly failed: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Runs the generated probes through the compiled governance decision (in-process wasm) and
 * reports each failed probe at the PII field's entry in the product's spec (MESH330), naming
 * the product and the field.
 */
export async function runProbes(
  root: string,
  mesh: MeshLike,
  options: { policy?: CompiledPolicy; data?: PolicyData; products?: ReadonlySet<string> } = {},
): Promise<ProbeReport> {
  const diagnostics: Diagnostic[] = [];
  let policy = options.policy;
  let data = options.data;
  if (!policy || !data) {
    const loaded = await loadCompiledPolicy(root, { mesh, ...(data ? { data } : {}) });
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.policy) return { outcomes: [], passed: 0, failed: 0, diagnostics };
    policy = loaded.policy;
    data = loaded.data;
  }
  const probeData: PolicyData = {
    ...data,
    erased_subjects: { ...data.erased_subjects, [PROBE_ERASED_SUBJECT]: { file: '(probe)' } },
  };
  policy.setData(probeData);
  const outcomes: ProbeOutcome[] = [];
  try {
    for (const probe of generateProbes(probeData, options.products)) {
      const decision = policy.evaluate(probe.input, ENTRYPOINTS.decision) as
        | { allow?: boolean; reasons?: { code: string; message: string }[] }
        | undefined;
      const allow = decision?.allow === true;
      outcomes.push({ probe, passed: allow === probe.expectAllow, allow, reasons: decision?.reasons ?? [] });
    }
  } finally {
    policy.setData(data);
  }
  const products = new Map(meshProducts(mesh).map((p) => [`${p.domain}/${p.name}`, p]));
  for (const o of outcomes) {
    if (o.passed) continue;
    const { probe } = o;
    const id = `${probe.domain}/${probe.product}`;
    const product = products.get(id);
    const index = product?.spec.spec?.governance?.pii_fields?.indexOf(probe.field) ?? -1;
    const pos = product
      ? locateInProduct(root, product, index >= 0 ? ['spec', 'governance', 'pii_fields', index] : ['spec', 'governance'])
      : { line: 1, column: 1 };
    const got = o.allow ? 'allowed' : `denied (${o.reasons.map((r) => r.code).join(', ') || 'no reason given'})`;
    diagnostics.push({
      severity: 'error',
      code: CODES.probeFailed,
      message: `probe ${probe.kind} failed for PII field '${probe.field}' of ${id}: ${EXPECTATION[probe.kind]}, but it was ${got}`,
      file: product?.file ?? `domains/${probe.domain}/${probe.product}/data-product.yaml`,
      line: pos.line,
      column: pos.column,
      hint: o.allow
        ? 'a policy edit over-grants access: check data_mesh.governance (governance/policies/access.rego)'
        : 'the policy refuses a legitimate read: check the product access policy and data_mesh.governance',
    });
  }
  const passed = outcomes.filter((o) => o.passed).length;
  return { outcomes, passed, failed: outcomes.length - passed, diagnostics };
}
