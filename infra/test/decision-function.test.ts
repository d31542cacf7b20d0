import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCompiledPolicy, requiredMemoryPages } from '@data-mesh/policy';
import { loadMesh, validateLoadedMesh } from '@data-mesh/spec';
import { buildMeshApp, loadInfraConfig, synthesize, type SynthesizeResult } from '../src';

// One synthesis of the example domains; the decision function's handler is then loaded from
// the cloud assembly (the folder CDK would upload) and invoked as Lambda would invoke it.
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(180_000);

type Resource = { Type: string; Properties: { Environment?: { Variables?: Record<string, string> }; Code?: { S3Key: string }; [key: string]: unknown } };
type Reason = { code: string; field?: string; subject_id?: string };
/** What the handler answers: a decision, or (bad requests) a status and error, or (function URL) status, headers and a JSON body. */
type Answer = { entrypoint?: string; decision?: { allow: boolean; reasons: Reason[] }; statusCode?: number; headers?: Record<string, string>; body?: string; error?: string };
type Handler = (event: unknown) => Promise<Answer>;

let result: SynthesizeResult;
let template: { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
let assetDir: string;
let handler: Handler;
let data: { pii_registry: Record<string, Record<string, string[]>>; erased_subjects: Record<string, unknown> };

const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

beforeAll(async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-decision-'));
  result = await synthesize(ROOT, out, { nag: false });
  const governance = result.templates.find((t) => t.stackName === 'DataMesh-Governance');
  if (!governance) throw new Error(`no governance stack in ${result.templates.map((t) => t.stackName).join(', ')}`);
  template = JSON.parse(fs.readFileSync(governance.templatePath, 'utf8'));
  // The function's code, as the cloud assembly ships it: the asset whose object key its Code names.
  const [, fn] = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment?.Variables?.DEFAULT_ENTRYPOINT)!;
  const assets = JSON.parse(fs.readFileSync(governance.templatePath.replace(/\.template\.json$/, '.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const asset = Object.values(assets.files).find((f) => Object.values(f.destinations).some((d) => d.objectKey === fn.Properties.Code!.S3Key))!;
  assetDir = path.join(out, asset.source.path);
  // The function's environment, as Lambda sets it.
  Object.assign(process.env, fn.Properties.Environment!.Variables);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = (require(path.join(assetDir, 'index.js')) as { handler: Handler }).handler;
  data = JSON.parse(fs.readFileSync(path.join(assetDir, 'data.json'), 'utf8'));
});

// Requests built from governance/policies/access.rego: a read of a PII field needs the
// pii_authorized role; an erased subject is never served. customer-events-v1 is confidential
// (retention applies to restricted products only) and its access policy
// (domains/customer/policies/customer_events_v1_access.rego) wants the reader's team.
const PRODUCT = { domain: 'customer', product: 'customer-events-v1' };
const request = (roles: string[], resource: Record<string, unknown> = {}) => ({
  action: 'read',
  now_ns: Date.UTC(2026, 11, 1) * 1e6,
  subject: { id: 'analyst-7', roles, team: 'growth-analytics' },
  resource: { ...PRODUCT, fields: [data.pii_registry.customer!['customer-events-v1']![0]], ...resource },
});

describe('the policy decision function in the synthesized app', () => {
  it('is in <prefix>-Governance with an AWS_IAM function URL, exported, callable by the configured roles', () => {
    expect(result.ok).toBe(true);
    const [fnId] = ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.Environment?.Variables?.DEFAULT_ENTRYPOINT)!;
    const [urlId, url] = ofType('AWS::Lambda::Url')[0]!;
    expect(url.Properties).toEqual({ AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    expect(template.Outputs.DecisionFunctionUrl).toMatchObject({ Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] }, Export: { Name: 'DataMesh-DecisionFunctionUrl' } });
    const callers = loadInfraConfig(ROOT).config!.decisionCallers;
    expect(callers.length).toBeGreaterThan(0);
    const permissions = ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties);
    for (const principal of callers) {
      expect(permissions).toContainEqual({ Action: 'lambda:InvokeFunctionUrl', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, FunctionUrlAuthType: 'AWS_IAM', Principal: principal });
      expect(permissions).toContainEqual({ Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, InvokedViaFunctionUrl: true, Principal: principal });
    }
    expect(permissions).toHaveLength(2 * callers.length);
  });

  it('ships the compiled policy of this repository, its data, and the memory the module needs', async () => {
    const wasm = fs.readFileSync(path.join(assetDir, 'policy.wasm'));
    expect(process.env.POLICY_MEMORY_PAGES).toBe(String(requiredMemoryPages(wasm)));
    expect(Object.keys(data.erased_subjects).length).toBeGreaterThan(0);
    // The same decisions as the policy compiled in-process from the work tree.
    const local = await loadCompiledPolicy(ROOT, { cacheDir: path.join(ROOT, '.tools', 'cache') });
    expect(local.data).toEqual(data);
    const direct = await handler({ input: request([]) });
    expect(direct.decision).toEqual(local.policy!.evaluate(request([]), 'data_mesh/governance/decision'));
  });

  it('answers a direct invoke: allow with the PII role, deny without it, deny for an erased subject', async () => {
    const allowed = await handler({ input: request(['pii_authorized']) });
    expect(allowed).toEqual({ entrypoint: 'data_mesh/governance/decision', decision: { allow: true, reasons: [] } });

    const denied = await handler({ input: request(['analyst']) });
    expect(denied.decision!.allow).toBe(false);
    expect(denied.decision!.reasons).toEqual([expect.objectContaining({ code: 'pii_role_required', field: 'ip_address' })]);

    const erased = Object.keys(data.erased_subjects)[0]!;
    const forgotten = await handler({ input: request(['pii_authorized'], { subject_id: erased }) });
    expect(forgotten.decision).toEqual({ allow: false, reasons: [expect.objectContaining({ code: 'subject_erased', subject_id: erased })] });

    const boolean = await handler({ input: request(['pii_authorized']), entrypoint: 'data_mesh/governance/allow' });
    expect(boolean).toEqual({ entrypoint: 'data_mesh/governance/allow', decision: true });
  });

  it('answers a function URL call (payload 2.0: the request as a JSON body, plain or base64)', async () => {
    const event = (body: string, isBase64Encoded = false) => ({ version: '2.0', rawPath: '/', requestContext: { http: { method: 'POST', path: '/' } }, headers: { 'content-type': 'application/json' }, body, isBase64Encoded });
    const plain = await handler(event(JSON.stringify({ input: request([]) })));
    expect(plain).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(plain.body!).decision.allow).toBe(false);
    const encoded = await handler(event(Buffer.from(JSON.stringify({ input: request(['pii_authorized']) })).toString('base64'), true));
    expect(JSON.parse(encoded.body!)).toEqual({ entrypoint: 'data_mesh/governance/decision', decision: { allow: true, reasons: [] } });
  });

  it('answers bad requests 400 with the reason, not a crash', async () => {
    const url = (body?: string) => ({ version: '2.0', requestContext: { http: { method: 'POST', path: '/' } }, ...(body === undefined ? {} : { body }), isBase64Encoded: false });
    const cases: [unknown, RegExp][] = [
      [url('{ not json'), /not JSON/],
      [url(), /body must be JSON/],
      [url('{}'), /no "input"/],
      [url('[1, 2]'), /must be an object/],
      [url(JSON.stringify({ input: {}, entrypoint: 'data_mesh/nope' })), /unknown entrypoint "data_mesh\/nope"; one of: .*data_mesh\/governance\/decision/],
    ];
    for (const [event, reason] of cases) {
      const answer = await handler(event);
      expect(answer.statusCode).toBe(400);
      expect(JSON.parse(answer.body!).error).toMatch(reason);
    }
    expect(await handler({ entrypoint: 'data_mesh/governance/decision' })).toEqual({ statusCode: 400, error: 'the request has no "input"' });
    // A malformed decision input is the policy's to judge (denied, with the reasons), not a bad request.
    const malformed = await handler({ input: { action: 'delete' } });
    expect(malformed.decision!.allow).toBe(false);
    expect(malformed.decision!.reasons.map((r) => r.code)).toContain('malformed_request');
  });
});

describe('without the decision function nothing is synthesized', () => {
  it('MESH517 when opa is not installed: an error with the fix, and no template', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-no-opa-'));
    for (const entry of ['domains', 'governance', 'platform.yaml', '.github', 'tools/versions.env']) fs.cpSync(path.join(ROOT, entry), path.join(root, entry), { recursive: true });
    const previous = process.env.PATH;
    // The repository's opa is in its .tools/bin, which this copy does not have; nor is one on PATH.
    process.env.PATH = (previous ?? '').split(path.delimiter).filter((dir) => !fs.existsSync(path.join(dir, 'opa'))).join(path.delimiter);
    try {
      const missing = await synthesize(root, path.join(root, 'cdk.out'), { nag: false });
      expect(missing.ok).toBe(false);
      expect(missing.templates).toEqual([]);
      expect(fs.existsSync(path.join(root, 'cdk.out', 'manifest.json'))).toBe(false);
      const d = missing.diagnostics.find((x) => x.code === 'MESH517')!;
      expect(d).toMatchObject({ severity: 'error', file: 'governance/policies' });
      expect(d.message).toMatch(/the policy decision function cannot be built: opa not found: opa [\d.]+ is not installed/);
      expect(d.hint).toMatch(/npm run setup/);
    } finally {
      process.env.PATH = previous;
    }
  });

  it('MESH517 from buildMeshApp when no compiled policy is given', () => {
    const validation = validateLoadedMesh(loadMesh(ROOT));
    const diagnostics: import('@data-mesh/spec').Diagnostic[] = [];
    const built = buildMeshApp(validation.mesh, loadInfraConfig(ROOT).config!, diagnostics, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-app-')) });
    expect(built.governanceStack).toBeUndefined();
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'MESH517', message: expect.stringMatching(/no compiled policy was given/) }));
  });
});
