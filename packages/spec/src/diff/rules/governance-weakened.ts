import { resolveInPorts } from '../../fields';
import type { DataClassification } from '../../model';
import type { ChangeRule } from '../context';

const RANK: Record<DataClassification, number> = { public: 0, internal: 1, confidential: 2, restricted: 3 };

export const governanceWeakened: ChangeRule = {
  code: 'MESH207',
  name: 'governance-weakened',
  title: 'Governance is not weakened: PII stays marked, classification and erasure stay, retention does not grow',
  severity: 'error',
  check(product, sink) {
    const before = product.base?.spec.spec.governance;
    const after = product.head?.spec.spec.governance;
    const head = product.head;
    if (!before || !head) return;
    const weakened = (what: string, path: (string | number)[], hint: string) => {
      sink.governance(what);
      sink.report({ document: head.document, path, message: `governance weakened: ${what}`, hint });
    };
    const review = 'a governance change needs the platform team\'s review; say why in the pull request';
    if (!after) {
      weakened('the governance block was removed', ['spec'], review);
      return;
    }
    const nowPii = new Set(after.pii_fields ?? []);
    for (const field of before.pii_fields ?? []) {
      if (nowPii.has(field) || !resolveInPorts(head.outputPorts, field).ok) continue;
      weakened(`"${field}" is no longer marked as PII but is still in the schema`, ['spec', 'governance', 'pii_fields'], 'unmarked PII loses its access controls; keep it in pii_fields');
    }
    if (RANK[after.data_classification] < RANK[before.data_classification]) {
      weakened(`classification lowered from ${before.data_classification} to ${after.data_classification}`, ['spec', 'governance', 'data_classification'], review);
    }
    if (after.retention_days > before.retention_days) {
      weakened(`retention raised from ${before.retention_days} to ${after.retention_days} days`, ['spec', 'governance', 'retention_days'], review);
    }
    if (before.gdpr_subject_to_erasure === true && after.gdpr_subject_to_erasure !== true) {
      weakened('GDPR erasure support dropped', ['spec', 'governance', 'gdpr_subject_to_erasure'], review);
    }
    if (before.access_policy !== undefined && after.access_policy === undefined) {
      weakened(`the access policy ${before.access_policy} was removed`, ['spec', 'governance'], review);
    }
  },
};
