import { accessPolicyName, type DataProduct, type Mesh } from '@data-mesh/spec';

/** What the access decision asks of a caller who reads or exports a product. */
export interface AccessRequirements {
  /** Plain sentences, most general first. */
  readonly requirements: readonly string[];
  /** The product's own policy, when it names one. */
  readonly policy?: {
    readonly ref: string;
    readonly file?: string;
    readonly description?: string;
    /** The messages of its deny rules: what a refused caller is told. */
    readonly denials: readonly string[];
  };
}

const MAX_REGO_BYTES = 1 << 20;

/** The package-level METADATA description of a Rego file (its `description:` block). */
function packageDescription(text: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#\s*description:/.test(l));
  if (start === -1) return undefined;
  const first = lines[start]!.replace(/^#\s*description:\s*/, '').replace(/^>-?\s*$|^\|-?\s*$/, '');
  const parts = first ? [first] : [];
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^#\s{2,}(\S.*)$/.exec(lines[i] as string);
    if (!m) break;
    parts.push(m[1] as string);
  }
  return parts.join(' ').trim() || undefined;
}

/** What the deny rules of a product policy tell a refused caller. */
function denyMessages(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/"message"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g)) {
    let message: string;
    try {
      message = JSON.parse(`"${m[1]}"`) as string;
    } catch {
      message = m[1] as string;
    }
    if (!found.includes(message)) found.push(message);
  }
  return found;
}

export function accessRequirements(mesh: Mesh, product: DataProduct): AccessRequirements {
  const governance = product.spec.spec.governance;
  const pii = governance?.pii_fields ?? [];
  const requirements = [
    'Every read and export is decided by data.data_mesh.governance.decision (governance/policies/access.rego): the request names the caller (subject.id, subject.roles), the action (read or export) and the fields it reads; anything malformed is refused.',
    pii.length > 0 ? `The PII fields ${pii.join(', ')} need the role pii_authorized; a request for other fields does not.` : 'No field is PII: no pii_authorized role is needed.',
  ];
  if (governance?.data_classification === 'restricted') {
    requirements.push(`The product is restricted: a read names the record's creation time (resource.record_created_ns), and records older than the retention of ${governance.retention_days} days are for data stewards only.`);
  }
  if (governance?.gdpr_subject_to_erasure) requirements.push('Subject to GDPR erasure: records of an erased subject are refused.');
  const ref = governance?.access_policy;
  if (!ref) return { requirements };
  const name = accessPolicyName(ref);
  const found = name ? mesh.regoPackages().get(name.package) : undefined;
  if (!found) return { requirements, policy: { ref, denials: [] } };
  const read = mesh.source.read(found.file, MAX_REGO_BYTES);
  const text = read.kind === 'ok' ? read.bytes.toString('utf8') : '';
  const description = packageDescription(text);
  return { requirements, policy: { ref, file: found.file, ...(description ? { description } : {}), denials: denyMessages(text) } };
}
