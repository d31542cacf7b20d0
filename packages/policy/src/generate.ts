import type { PolicyData } from './data';

/** mulberry32: a small deterministic PRNG, so generated inputs are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_NS = 86_400_000_000_000;
const NOW_NS = 1_795_478_400_000_000_000;

/**
 * Generates varied access requests over a policy data document: known and unknown products,
 * PII and plain fields and "*", every role mix, stewards (and a steward flag of the wrong
 * type), record ages on both sides of the retention, erased and live subjects, exports with
 * and without purpose, declared and unknown ports, and malformed requests. For the wasm /
 * opa eval parity test and the benchmarks.
 */
export function generateAccessRequests(data: PolicyData, count: number, seed = 1): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const products: [string, string][] = [];
  for (const [domain, byName] of Object.entries(data.products)) for (const name of Object.keys(byName)) products.push([domain, name]);
  const erased = Object.keys(data.erased_subjects);
  const requests: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const [domain, product] = products.length > 0 && chance(0.92) ? pick(products) : ['nowhere', `missing-${i % 7}`];
    const meta = data.products[domain]?.[product];
    const pii = data.pii_registry[domain]?.[product] ?? [];
    const fieldPool = [...pii, 'customer_id', 'event_type', 'amount', 'occurred_at', 'payload.amount', ...pii.slice(0, 1).map((f) => `payload.${f}`)];
    const fields = chance(0.08) ? ['*'] : Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(fieldPool));
    const roles = [pick(['analyst', 'engineer', 'auditor']), ...(chance(0.45) ? ['pii_authorized'] : []), ...(chance(0.3) ? [pick(['payments_reader', 'finance_reader'])] : [])];
    const subject: Record<string, unknown> = { id: `user-${i}`, roles };
    if (chance(0.9)) subject.team = pick(['growth-analytics', 'finance-analytics', 'support']);
    if (chance(0.15)) subject.is_data_steward = pick<unknown>([true, false, 'true']);
    if (chance(0.4)) subject.purpose = pick(['analytics', 'audit', 'regulatory-reporting', 'customer-support', 'marketing']);
    const retention = meta?.retention_days ?? 365;
    const ageDays = pick([0, 1, 30, retention - 1, retention, retention + 1, retention * 3]);
    const resource: Record<string, unknown> = { domain, product, fields };
    if (chance(0.9)) resource.record_created_ns = NOW_NS - ageDays * DAY_NS - Math.floor(random() * 1000) * 1_000_000_000;
    if (chance(0.35)) resource.subject_id = erased.length > 0 && chance(0.5) ? pick(erased) : `cust-${100000 + i}`;
    if (chance(0.05)) resource.subject_ids = ['cust-1', ...(erased.length > 0 ? [pick(erased)] : [])];
    if (chance(0.2)) resource.port = chance(0.7) && meta && meta.ports.length > 0 ? pick(meta.ports) : 'no_such_port';
    const request: Record<string, unknown> = { action: chance(0.8) ? 'read' : pick(['export', 'delete']), now_ns: NOW_NS, subject, resource };
    if (chance(0.04)) delete request.action;
    if (chance(0.03)) request.now_ns = '2026-11-18T00:00:00Z';
    if (chance(0.03)) subject.roles = 'pii_authorized';
    if (chance(0.02)) delete request.subject;
    requests.push(request);
  }
  return requests;
}
