import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  buildPolicyData,
  buildPolicyWasm,
  checkParity,
  CompiledPolicy,
  evaluate,
  ENTRYPOINTS,
  evaluatePolicy,
  extractFromTarGz,
  generateAccessRequests,
  loadPolicyMesh,
  requireTool,
  run,
  WASM_BUILTINS,
  type PolicyData,
} from '../src';
import { requireOpa, ROOT, scratchRepo } from './helpers';

beforeAll(requireOpa);

const NOW = 1_795_478_400_000_000_000;
const DAY = 86_400_000_000_000;

function read(domain: string, product: string, fields: string[], roles: string[], extra: Record<string, unknown> = {}) {
  return {
    action: 'read',
    now_ns: NOW,
    subject: { id: 'u-1', roles, team: 'growth-analytics' },
    resource: { domain, product, fields, record_created_ns: NOW - DAY, ...extra },
  };
}

describe('compiled decisions (opa build -t wasm + @open-policy-agent/opa-wasm)', () => {
  test('the build has explicit entrypoints and admits only builtins the wasm runtime implements', async () => {
    const build = await buildPolicyWasm(ROOT);
    expect(build.diagnostics).toEqual([]);
    expect(build.wasm?.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    const buildArgs = build.commands.find((c) => c[0] === 'build') ?? [];
    expect(buildArgs).toEqual(expect.arrayContaining(['-t', 'wasm', '-e', 'data_mesh/governance/decision', '-e', 'data_mesh/standards/report', '--capabilities']));
    const names = build.capabilities?.builtins.map((b) => b.name) ?? [];
    expect(names).toContain('concat');
    expect(names).not.toContain('time.now_ns');
    expect(names).not.toContain('sprintf');
    expect(names.every((n) => WASM_BUILTINS.includes(n))).toBe(true);
    expect(build.capabilities?.features).toContain('rego_v1');
  }, 60_000);

  test('evaluatePolicy: PII without the role is denied with the field named; with it, allowed', async () => {
    const denied = await evaluatePolicy(ROOT, read('customer', 'customer-360', ['email_hash', 'customer_id'], ['analyst']));
    expect(denied.diagnostics).toEqual([]);
    expect(denied.result).toEqual({
      allow: false,
      reasons: [{ code: 'pii_role_required', field: 'email_hash', message: "field 'email_hash' of customer/customer-360 is PII and requires role 'pii_authorized'" }],
    });
    const allowed = await evaluatePolicy(ROOT, read('customer', 'customer-360', ['email_hash'], ['analyst', 'pii_authorized']));
    expect(allowed.result).toEqual({ allow: true, reasons: [] });
    const bool = await evaluatePolicy(ROOT, read('customer', 'customer-360', ['email_hash'], ['analyst']), ENTRYPOINTS.allow);
    expect(bool.result).toBe(false);
  }, 60_000);

  test('erased subjects and expired restricted records are denied; a steward may read old records', async () => {
    const erased = await evaluatePolicy(ROOT, read('customer', 'customer-events-v1', ['event_type'], ['analyst'], { subject_id: 'cust-000123' }));
    expect(erased.result).toMatchObject({ allow: false, reasons: [{ code: 'subject_erased', subject_id: 'cust-000123' }] });
    const old = read('customer', 'customer-profile-snapshot', ['customer_id'], ['analyst'], { record_created_ns: NOW - 800 * DAY });
    expect((await evaluatePolicy(ROOT, old)).result).toMatchObject({ allow: false, reasons: [{ code: 'retention_expired' }] });
    const steward = { ...old, subject: { ...old.subject, is_data_steward: true } };
    expect((await evaluatePolicy(ROOT, steward)).result).toEqual({ allow: true, reasons: [] });
  }, 60_000);

  test('evaluateJson takes the request as JSON text and decides the same', async () => {
    const mesh = loadPolicyMesh(ROOT);
    const data = buildPolicyData(ROOT, mesh).data;
    const compiled = await CompiledPolicy.load((await buildPolicyWasm(ROOT)).wasm as Buffer, data);
    for (const input of generateAccessRequests(data, 100, 3)) {
      expect(compiled.evaluateJson(JSON.stringify(input))).toEqual(compiled.evaluate(input));
    }
    expect(compiled.evaluateJson('{}', ENTRYPOINTS.allow)).toBe(false);
  }, 60_000);

  test('evaluate(input, entrypoint) is evaluatePolicy on the repository at hand', async () => {
    const input = read('payments', 'transaction-events-v1', ['amount'], ['analyst']);
    const r = await evaluate(input, ENTRYPOINTS.decision, { root: ROOT });
    expect(r.result).toMatchObject({ allow: false, reasons: [{ code: 'reader_role_required', policy: 'opa://payments-domain/transaction-events-v1-access' }] });
    expect((await evaluate({ ...input, subject: { ...input.subject, roles: ['payments_reader'] } }, ENTRYPOINTS.allow, { root: ROOT })).result).toBe(true);
  }, 60_000);

  test('an unknown entrypoint is a diagnostic, not a throw', async () => {
    const r = await evaluatePolicy(ROOT, {}, 'data_mesh/nope');
    expect(r.result).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'MESH307', hint: expect.stringContaining('data_mesh/governance/decision') })]);
  }, 60_000);

  test('a policy calling a builtin the wasm runtime lacks fails to build (MESH306) at its line', async () => {
    const repo = scratchRepo();
    try {
      repo.write('governance/policies/clock.rego', 'package data_mesh.governance\n\nnow_from_clock := time.now_ns()\n');
      const build = await buildPolicyWasm(repo.root);
      expect(build.wasm).toBeUndefined();
      expect(build.diagnostics[0]).toMatchObject({ code: 'MESH306', file: 'governance/policies/clock.rego', line: 3, hint: expect.stringContaining('input.now_ns') });
    } finally {
      repo.dispose();
    }
  }, 60_000);

  test('extractFromTarGz finds nothing that is not there', async () => {
    const build = await buildPolicyWasm(ROOT);
    expect(build.wasm).toBeDefined();
    const zlib = await import('node:zlib');
    expect(extractFromTarGz(zlib.gzipSync(Buffer.alloc(1024)), '/policy.wasm')).toBeUndefined();
  }, 60_000);
});

describe('parity: wasm in-process and opa eval agree', () => {
  let policy: CompiledPolicy;
  let data: PolicyData;
  let tmp: string;
  let opa: string;
  const dirs = ['governance/policies', 'domains/customer/policies', 'domains/payments/policies'];

  beforeAll(async () => {
    opa = await requireTool(ROOT, 'opa');
    const mesh = loadPolicyMesh(ROOT);
    data = buildPolicyData(ROOT, mesh).data;
    const build = await buildPolicyWasm(ROOT);
    policy = await CompiledPolicy.load(build.wasm as Buffer, data);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-parity-'));
    fs.writeFileSync(path.join(tmp, 'data.json'), JSON.stringify(data));
  }, 60_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Evaluates every input with `opa eval` (the Go evaluator), `with input as` each one in a single process. */
  async function opaEvalAll(entrypoint: string, inputs: unknown[]): Promise<unknown[]> {
    const inputFile = path.join(tmp, `inputs-${entrypoint.replace(/\//g, '_')}.json`);
    fs.writeFileSync(inputFile, JSON.stringify(inputs));
    const ref = `data.${entrypoint.replace(/\//g, '.')}`;
    const query = `[r | some x in input; r := object.get({"v": ${ref}}, "v", "__undefined__") with input as x]`;
    const args = ['eval', '--format', 'json', ...dirs.flatMap((d) => ['-d', d]), '-d', path.join(tmp, 'data.json'), '-i', inputFile, query];
    const r = await run(opa, args, { cwd: ROOT });
    if (r.code !== 0) throw new Error(`opa eval failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { result: { expressions: { value: unknown[] }[] }[] };
    return out.result[0]!.expressions[0]!.value.map((v) => (v === '__undefined__' ? undefined : v));
  }

  test('>= 200 generated access requests: identical decisions', async () => {
    const inputs = generateAccessRequests(data, 400, 20261126);
    const viaWasm = inputs.map((input) => policy.evaluate(input, ENTRYPOINTS.decision));
    const viaOpa = await opaEvalAll(ENTRYPOINTS.decision, inputs);
    expect(viaOpa).toHaveLength(inputs.length);
    let compared = 0;
    for (let i = 0; i < inputs.length; i++) {
      expect({ input: inputs[i], decision: viaWasm[i] }).toEqual({ input: inputs[i], decision: viaOpa[i] });
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(200);
    // the generated set exercises both verdicts and every central reason
    const decisions = viaWasm as { allow: boolean; reasons: { code: string }[] }[];
    expect(decisions.filter((d) => d.allow).length).toBeGreaterThan(40);
    expect(decisions.filter((d) => !d.allow).length).toBeGreaterThan(40);
    const codes = new Set(decisions.flatMap((d) => d.reasons.map((r) => r.code)));
    for (const code of ['malformed_request', 'unknown_product', 'pii_role_required', 'retention_expired', 'record_age_unknown', 'subject_erased', 'export_purpose', 'unknown_port', 'reader_role_required']) {
      expect(codes).toContain(code);
    }
  }, 120_000);

  test('standards on mutated specs: identical reports', async () => {
    const mesh = loadPolicyMesh(ROOT);
    const specs = [...(mesh.products as Map<string, { spec: unknown }>).values()].map((p) => p.spec);
    const inputs: unknown[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form mutations of parsed YAML
    type Spec = any;
    const mutations: ((s: Spec) => void)[] = [
      () => undefined,
      (s) => (s.metadata.tags = []),
      (s) => (s.spec.governance.retention_days = 5000),
      (s) => (s.spec.governance.data_classification = 'public'),
      (s) => delete s.spec.governance.access_policy,
      (s) => (s.spec.governance.gdpr_subject_to_erasure = !s.spec.governance.gdpr_subject_to_erasure),
      (s) => (s.metadata.tags = [...(s.metadata.tags ?? []), 'tier-1']),
      (s) => s.spec.outputPorts.forEach((p: Spec) => (p.sla.uptime = '99.0%')),
      (s) => (s.spec.governance.pii_fields = ['x']),
    ];
    for (const spec of specs) for (const m of mutations) {
      const copy = structuredClone(spec) as Spec;
      m(copy);
      inputs.push(copy);
    }
    const viaWasm = inputs.map((input) => policy.evaluate(input, ENTRYPOINTS.standards));
    const viaOpa = await opaEvalAll(ENTRYPOINTS.standards, inputs);
    expect(viaWasm).toEqual(viaOpa);
    expect((viaWasm as unknown[][]).filter((r) => r.length > 0).length).toBeGreaterThan(inputs.length / 3);
  }, 120_000);

  test('checkParity (exported for mesh policy test): no disagreement on other seeds and entrypoints', async () => {
    const report = await checkParity(ROOT, { data, count: 250, seed: 99 });
    expect(report.compared).toBe(250);
    expect(report.mismatches).toEqual([]);
    expect(report.diagnostics).toEqual([]);
    const allow = await checkParity(ROOT, { data, count: 100, seed: 5, entrypoint: ENTRYPOINTS.allow });
    expect(allow).toMatchObject({ compared: 100, mismatches: [], diagnostics: [] });
  }, 120_000);

  test('a sample through one `opa eval` process per input, as the CLI would run it', async () => {
    const inputs = generateAccessRequests(data, 12, 7);
    for (const [i, input] of inputs.entries()) {
      const file = path.join(tmp, `one-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(input));
      const r = await run(opa, ['eval', '--format', 'json', ...dirs.flatMap((d) => ['-d', d]), '-d', path.join(tmp, 'data.json'), '-i', file, 'data.data_mesh.governance.decision'], { cwd: ROOT });
      const value = (JSON.parse(r.stdout) as { result: { expressions: { value: unknown }[] }[] }).result[0]!.expressions[0]!.value;
      expect(policy.evaluate(input)).toEqual(value);
    }
  }, 120_000);
});
