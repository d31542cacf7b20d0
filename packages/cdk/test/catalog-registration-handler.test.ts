import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CATALOG_RESYNC_CONTEXT, CatalogRegistration, type CatalogPort, type SerializedProposal } from '../src';
import { ENV } from './fixtures';

// The registration function, run here against real local HTTP servers that stand in for DataHub GMS
// (failing in the ways an outage does) and for CloudFormation's response URL.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lambda = require('../lambda/catalog/index.js') as {
  handler: (event: Record<string, unknown>) => Promise<void>;
  ingestBodies: (gzip: string) => { proposal: SerializedProposal }[];
};

const port = (name: string): CatalogPort => ({ name, platform: 'kafka', datasetName: `acme.${name}.v1`, freshness: '< 5 minutes', uptime: '99.9%', schemaName: name, fields: [{ path: 'id', nativeType: 'string' }] });

/** The properties a registration resource of these ports synthesizes to (`more` adds to the stack first). */
function resourceProperties(ports: readonly CatalogPort[], context: Record<string, unknown> = {}, more: (stack: Stack) => void = () => undefined) {
  const stack = new Stack(new App({ context }), 'Acme', { env: ENV });
  const reg = new CatalogRegistration(stack, 'C', {
    serverUrl: 'https://gms.internal:8080', domain: 'acme', product: 'orders', version: '1.0.0', ownerTeam: 'acme-team', classification: 'internal', tags: ['tier-1'], description: 'orders', ports,
  });
  more(stack);
  const resource = Object.values(Template.fromStack(stack).findResources('Custom::DataHubRegistration'))[0] as { Properties: Record<string, string> };
  const { ServiceToken: _token, ...properties } = resource.Properties;
  return { reg, stack, properties };
}

interface Seen { readonly method: string; readonly url: string; readonly body: string }

/** A local HTTP server answering with `answer` (undefined: never answers); stopped by `close`. */
async function server(answer: (req: Seen, n: number) => { status: number; body?: string } | undefined) {
  const seen: Seen[] = [];
  const hanging: http.ServerResponse[] = [];
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => {
      const r: Seen = { method: req.method!, url: req.url!, body };
      seen.push(r);
      const a = answer(r, seen.length);
      if (a) res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body ?? '{}');
      else hanging.push(res);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return {
    url, seen,
    close: () => new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      s.closeAllConnections();
      s.close(() => resolve());
    }),
  };
}

const servers: { close: () => Promise<void> }[] = [];
async function started(answer: Parameters<typeof server>[0]) {
  const s = await server(answer);
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  jest.restoreAllMocks();
});

/** Runs the handler; returns CloudFormation's response, the embedded-metric line and the time taken. */
async function run(event: { RequestType: string; ResourceProperties: Record<string, string>; OldResourceProperties?: Record<string, string> }) {
  const cfn = await started((r) => (r.method === 'PUT' ? { status: 200 } : { status: 405 }));
  const logged: string[] = [];
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => { logged.push(String(line)); });
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const started_ = Date.now();
  await lambda.handler({
    ...event, ResponseURL: `${cfn.url}/cfn-response`, StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Acme/guid-1', RequestId: 'r1', LogicalResourceId: 'C1234',
    ...(event.RequestType === 'Create' ? {} : { PhysicalResourceId: 'datahub-C1234' }),
  });
  const ms = Date.now() - started_;
  const responses = cfn.seen.map((r) => JSON.parse(r.body) as { Status: string; Reason: string; PhysicalResourceId: string; Data: { Sent: string; Failed: string; Outcome: string } });
  const metrics = logged.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => '_aws' in l);
  expect(responses).toHaveLength(1);
  expect(metrics).toHaveLength(1);
  return { response: responses[0]!, metric: metrics[0] as { Stack: string; RegistrationFailures: number; ProposalsSent: number; Outcome: string; Failed: { entityUrn: string; aspectName: string; message: string }[]; _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } }, ms };
}

const FAST = { RetryBaseDelayMs: '50', RetryBudgetMs: '2000' };
const ingested = (seen: readonly Seen[]) => seen.filter((r) => r.method === 'POST' && r.url === '/aspects?action=ingestProposal').map((r) => (JSON.parse(r.body) as { proposal: SerializedProposal }).proposal);

describe('the registration function against a DataHub that fails', () => {
  const { properties, reg } = resourceProperties([port('orders')]);
  const n = reg.proposals.length;

  it('retries what fails with 503 and registers everything, once each; the metric reports no failure', async () => {
    const gms = await started((_r, i) => (i <= 3 ? { status: 503, body: 'unavailable' } : { status: 200 }));
    const { response, metric } = await run({ RequestType: 'Create', ResourceProperties: { ...properties, ...FAST, ServerUrl: gms.url } });
    expect(gms.seen).toHaveLength(n + 3);
    expect(ingested(gms.seen.slice(3))).toEqual(lambda.ingestBodies(properties.ProposalsGzip!).map((b) => b.proposal));
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'datahub-C1234', Data: { Sent: String(n), Failed: '0', Outcome: `registered (${n} proposals)` } });
    expect(metric).toMatchObject({ Stack: 'Acme', RegistrationFailures: 0, ProposalsSent: n });
    expect(metric._aws.CloudWatchMetrics).toEqual([expect.objectContaining({ Namespace: 'DataMesh/Catalog', Dimensions: [['Stack']] })]);
  });

  it('DataHub down (nothing listens): SUCCESS within the retry budget, every proposal reported failed, RegistrationFailures 1', async () => {
    const down = await server(() => ({ status: 200 }));
    await down.close();
    const { response, metric, ms } = await run({ RequestType: 'Create', ResourceProperties: { ...properties, ...FAST, ServerUrl: down.url } });
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data).toEqual({ Sent: '0', Failed: String(n), Outcome: `catalog behind: 0 sent, ${n} failed (DataHub unreachable)` });
    expect(response.Reason).toMatch(/^DataHub: catalog behind/);
    expect(metric.RegistrationFailures).toBe(1);
    expect(metric.Failed[0]!.message).toMatch(/ECONNREFUSED/);
    expect(metric.Failed[1]!.message).toBe('not sent: the catalog was unreachable');
    expect(ms).toBeLessThan(2000 + 1500);
  });

  it('DataHub hangs: each request times out, the budget bounds the whole registration', async () => {
    const gms = await started(() => undefined);
    const { response, metric, ms } = await run({ RequestType: 'Update', ResourceProperties: { ...properties, ...FAST, ServerUrl: gms.url }, OldResourceProperties: properties });
    expect(response.Status).toBe('SUCCESS');
    expect(metric.RegistrationFailures).toBe(1);
    expect(metric.Failed[0]!.message).toMatch(/no answer within \d+ ms/);
    expect(gms.seen.length).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(2000 + 2500);
  });

  it('a proposal DataHub rejects (400) is not retried, the others are sent, the rejection is reported', async () => {
    const gms = await started((r) => (r.body.includes('"aspectName":"assertionInfo"') ? { status: 400, body: '{"message":"bad assertion"}' } : { status: 200 }));
    const { response, metric } = await run({ RequestType: 'Create', ResourceProperties: { ...properties, ...FAST, ServerUrl: gms.url } });
    expect(gms.seen).toHaveLength(n);
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Sent: String(n - 1), Failed: '1' } });
    expect(metric.Failed).toEqual([expect.objectContaining({ aspectName: 'assertionInfo', message: 'DataHub answered 400: {"message":"bad assertion"}' })]);
  });

  it('a wrong server URL (404 for every proposal) is a failure, not a registration', async () => {
    const gms = await started(() => ({ status: 404, body: 'no such path' }));
    const { response, metric } = await run({ RequestType: 'Create', ResourceProperties: { ...properties, ...FAST, ServerUrl: `${gms.url}/not-gms` } });
    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Sent: '0', Failed: String(n) } });
    expect(metric.RegistrationFailures).toBe(1);
    expect(metric.Failed[0]!.message).toBe('DataHub answered 404: no such path');
  });

  it('a payload it cannot read is reported, never a FAILED stack', async () => {
    const gms = await started(() => ({ status: 200 }));
    const { response, metric } = await run({ RequestType: 'Create', ResourceProperties: { ...properties, ...FAST, ServerUrl: gms.url, ProposalsGzip: 'bm90IGd6aXA=' } });
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Outcome).toMatch(/^not registered: /);
    expect(metric.RegistrationFailures).toBe(1);
    expect(gms.seen).toEqual([]);
  });
});

describe('the registration function on Update and Delete', () => {
  const two = resourceProperties([port('orders'), port('returns')]).properties;
  const one = resourceProperties([port('orders')]).properties;
  const productProperties = (registrant: string) => JSON.stringify({ version: 0, aspect: { 'com.linkedin.dataproduct.DataProductProperties': { name: 'orders', customProperties: { registered_by: registrant } } } });

  it('Update soft-deletes what the previous registration wrote and this one does not (a removed port\'s dataset and assertion)', async () => {
    const gms = await started(() => ({ status: 200 }));
    await run({ RequestType: 'Update', ResourceProperties: { ...one, ...FAST, ServerUrl: gms.url }, OldResourceProperties: two });
    const sent = ingested(gms.seen);
    expect(sent.slice(lambda.ingestBodies(one.ProposalsGzip!).length).map((p) => [p.entityType, p.entityUrn, p.aspectName, p.aspect.value])).toEqual([
      ['dataset', 'urn:li:dataset:(urn:li:dataPlatform:kafka,acme.returns.v1,PROD)', 'status', '{"removed":true}'],
      ['assertion', 'urn:li:assertion:data-mesh.freshness.kafka.acme.returns.v1', 'status', '{"removed":true}'],
    ]);
  });

  it('Delete while this resource registers the product: reads who registers it, then soft-deletes datasets, assertions and the dataProduct', async () => {
    const gms = await started((r) => (r.method === 'GET' ? { status: 200, body: productProperties(one.Registrant!) } : { status: 200 }));
    const { response, metric } = await run({ RequestType: 'Delete', ResourceProperties: { ...one, ...FAST, ServerUrl: gms.url } });
    expect(one.Registrant).toBe('Acme/Acme/C');
    expect(gms.seen[0]).toMatchObject({ method: 'GET', url: `/aspects/${encodeURIComponent('urn:li:dataProduct:acme.orders')}?aspect=dataProductProperties&version=0` });
    expect(ingested(gms.seen).map((p) => [p.entityType, p.aspectName, p.aspect.value])).toEqual([
      ['dataset', 'status', '{"removed":true}'], ['assertion', 'status', '{"removed":true}'], ['dataProduct', 'status', '{"removed":true}'],
    ]);
    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'datahub-C1234', Data: { Outcome: 'soft-deleted (3 entities)' } });
    expect(metric.RegistrationFailures).toBe(0);
  });

  it('Delete of a product never registered (404) soft-deletes all the same', async () => {
    const gms = await started((r) => (r.method === 'GET' ? { status: 404, body: '{}' } : { status: 200 }));
    await run({ RequestType: 'Delete', ResourceProperties: { ...one, ...FAST, ServerUrl: gms.url } });
    expect(ingested(gms.seen)).toHaveLength(3);
  });

  it('Delete after the product moved to another stack keeps it (the other resource registers it now)', async () => {
    const gms = await started((r) => (r.method === 'GET' ? { status: 200, body: productProperties('Acme-2/Acme-2/C') } : { status: 200 }));
    const { response, metric } = await run({ RequestType: 'Delete', ResourceProperties: { ...one, ...FAST, ServerUrl: gms.url } });
    expect(ingested(gms.seen)).toEqual([]);
    expect(response.Data.Outcome).toBe('kept: urn:li:dataProduct:acme.orders is registered by Acme-2/Acme-2/C now');
    expect(metric.RegistrationFailures).toBe(0);
  });

  it('Delete while DataHub is down: the stack deletes, the soft delete is reported not done', async () => {
    const gms = await started(() => ({ status: 503 }));
    const { response, metric } = await run({ RequestType: 'Delete', ResourceProperties: { ...one, ...FAST, ServerUrl: gms.url } });
    expect(response.Status).toBe('SUCCESS');
    expect(response.Data.Outcome).toBe('not soft-deleted: DataHub answered 503: {}');
    expect(metric.RegistrationFailures).toBe(1);
    expect(ingested(gms.seen)).toEqual([]);
  });
});

describe('the CatalogRegistration construct', () => {
  it('a stack alarm on DataMesh/Catalog RegistrationFailures that stays in ALARM until a registration succeeds; the function has the time the budget needs', () => {
    const { stack, properties } = resourceProperties([port('orders')], {}, (s) => {
      new CatalogRegistration(s, 'D', { serverUrl: 'https://gms', domain: 'acme', product: 'returns', version: '1.0.0', ownerTeam: 't', classification: 'internal', tags: [], description: '', ports: [port('returns')], retryBudget: Duration.minutes(5) });
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'DataMesh/Catalog', MetricName: 'RegistrationFailures', Dimensions: [{ Name: 'Stack', Value: 'Acme' }], Statistic: 'Sum', Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'ignore',
    });
    t.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('DataHub'), Timeout: 900 });
    t.hasResourceProperties('Custom::DataHubRegistration', { ProductUrn: 'urn:li:dataProduct:acme.returns', RetryBudgetMs: '300000', Registrant: 'Acme/Acme/D' });
    expect(properties).toMatchObject({ ProductUrn: 'urn:li:dataProduct:acme.orders', RetryBudgetMs: '120000', Registrant: 'Acme/Acme/C' });
    expect(properties.Resync).toBeUndefined();
  });

  it(`-c ${CATALOG_RESYNC_CONTEXT}=<value> changes every registration, so the next deploy re-sends it`, () => {
    expect(resourceProperties([port('orders')], { [CATALOG_RESYNC_CONTEXT]: '2026-12-06T23:00' }).properties.Resync).toBe('2026-12-06T23:00');
  });

  it('refuses a retry budget the function cannot wait out', () => {
    const stack = new Stack(new App(), 'S', { env: ENV });
    expect(() => new CatalogRegistration(stack, 'C', { serverUrl: 'https://gms', domain: 'a', product: 'b', version: '1.0.0', ownerTeam: 't', classification: 'internal', tags: [], description: '', ports: [], retryBudget: Duration.minutes(11) }))
      .toThrow('CatalogRegistration S/C: retryBudget must be at most 10 minutes (the function has 15), got 11 minutes');
  });
});
