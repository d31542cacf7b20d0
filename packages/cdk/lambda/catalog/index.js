// Custom::DataHubRegistration: posts metadata change proposals to DataHub GMS on Create/Update and
// soft-deletes the product on Delete. A catalog outage never fails the deploy: each proposal is
// retried with exponential backoff within the retry budget, then the function answers
// CloudFormation SUCCESS and reports the failure (the DataMesh/Catalog RegistrationFailures metric,
// an embedded-metric log line, and the response's Data). AWS SDK v3 comes with the runtime
// (loaded only for a token).
'use strict';
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');

const NAMESPACE = 'DataMesh/Catalog';
/** Attempts per request at most (the retry budget usually ends them first). */
const MAX_ATTEMPTS = 8;
/** The longest wait between two attempts. */
const MAX_DELAY_MS = 30000;
/** Time kept back from the function's remaining time for the CloudFormation response. */
const RESPONSE_RESERVE_MS = 30000;

function decode(gzip) {
  return JSON.parse(zlib.gunzipSync(Buffer.from(gzip, 'base64')).toString('utf8'));
}

/**
 * The bodies posted to GMS `/aspects?action=ingestProposal`, one per proposal: `{ proposal }` with
 * the proposal exactly as synthesized (aspect serialized as JSON text, `catalogMetadataFile`'s entries).
 */
function ingestBodies(proposalsGzip) {
  return decode(proposalsGzip).map((proposal) => ({ proposal }));
}
exports.ingestBodies = ingestBodies;

function request(url, method, body, headers, timeoutMs) {
  const u = new URL(url);
  const client = u.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request({ hostname: u.hostname, port: u.port || (client === http ? 80 : 443), path: u.pathname + u.search, method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.end(body);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request, retried on what may pass (no connection, a timeout, 429, 5xx) with exponential
 * backoff from `baseDelayMs` while the next attempt starts before `deadline`. A 4xx other than 429
 * is not retried: DataHub rejected the request and will again. With `notFoundIsAnswer` (a read),
 * 404 is an answer; otherwise it is a failure (a wrong server URL must not pass for success).
 */
async function withRetry(send, { deadline, baseDelayMs, what, notFoundIsAnswer = false }) {
  let last = '';
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await send(Math.max(1000, Math.min(10000, deadline - Date.now())));
      if (res.status < 300 || (notFoundIsAnswer && res.status === 404)) return { ok: true, res, attempts: attempt };
      last = `DataHub answered ${res.status}: ${String(res.body).slice(0, 300)}`;
      if (res.status !== 429 && res.status < 500) return { ok: false, retryable: false, message: last, attempts: attempt };
    } catch (e) {
      last = String(e && e.message ? e.message : e);
    }
    const delay = Math.min(baseDelayMs * 2 ** (attempt - 1), MAX_DELAY_MS);
    if (attempt >= MAX_ATTEMPTS || Date.now() + delay >= deadline) return { ok: false, retryable: true, message: last, attempts: attempt };
    console.warn(`catalog: ${what}: attempt ${attempt} failed (${last}); retrying in ${delay} ms`);
    await sleep(delay);
  }
}

/**
 * Posts the proposals in order. Once one is still failing when its retries end, the catalog is
 * taken as unreachable and the rest are not sent (they are reported as not sent).
 */
async function post(base, bodies, headers, options) {
  const failed = [];
  let sent = 0;
  let unreachable = false;
  for (const body of bodies) {
    const { aspectName, entityUrn } = body.proposal;
    if (unreachable) {
      failed.push({ aspectName, entityUrn, message: 'not sent: the catalog was unreachable' });
      continue;
    }
    const r = await withRetry((timeoutMs) => request(`${base}/aspects?action=ingestProposal`, 'POST', JSON.stringify(body), headers, timeoutMs), { ...options, what: `${aspectName} of ${entityUrn}` });
    if (r.ok) sent++;
    else {
      failed.push({ aspectName, entityUrn, message: r.message, attempts: r.attempts });
      unreachable = r.retryable;
    }
  }
  return { sent, failed, unreachable };
}

/**
 * On Update: the soft deletes of the previous registration's entities that the new one no longer
 * writes (a removed port's dataset and assertion).
 */
function droppedEntities(old, bodies) {
  if (!old || !old.RemovalsGzip) return [];
  const kept = new Set(bodies.map((b) => b.proposal.entityUrn));
  return ingestBodies(old.RemovalsGzip).filter((b) => !kept.has(b.proposal.entityUrn));
}

/** Who registered the product last (`registered_by` of its dataProductProperties), undefined when it is not registered. */
async function registrantOf(base, productUrn, headers, options) {
  const url = `${base}/aspects/${encodeURIComponent(productUrn)}?aspect=dataProductProperties&version=0`;
  const r = await withRetry((timeoutMs) => request(url, 'GET', '', headers, timeoutMs), { ...options, what: `reading ${productUrn}`, notFoundIsAnswer: true });
  if (!r.ok) return { ok: false, message: r.message };
  if (r.res.status === 404) return { ok: true, registrant: undefined };
  try {
    const aspect = JSON.parse(r.res.body).aspect || {};
    const properties = aspect['com.linkedin.dataproduct.DataProductProperties'] || {};
    return { ok: true, registrant: (properties.customProperties || {}).registered_by };
  } catch (e) {
    return { ok: false, message: `unreadable answer for ${productUrn}: ${e.message}` };
  }
}

/** The stack's name from its id (`arn:aws:cloudformation:<region>:<account>:stack/<name>/<guid>`). */
function stackName(stackId) {
  const m = /:stack\/([^/]+)\//.exec(String(stackId));
  return m ? m[1] : String(stackId);
}

/** Reports the outcome as an embedded-metric log line: CloudWatch makes the metrics from it. */
function report(event, outcome) {
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: NAMESPACE, Dimensions: [['Stack']], Metrics: [{ Name: 'RegistrationFailures', Unit: 'Count' }, { Name: 'ProposalsSent', Unit: 'Count' }] }],
    },
    Stack: stackName(event.StackId),
    RegistrationFailures: outcome.failed.length > 0 ? 1 : 0,
    ProposalsSent: outcome.sent,
    RequestType: event.RequestType,
    Product: (event.ResourceProperties || {}).ProductUrn,
    Outcome: outcome.summary,
    Failed: outcome.failed.slice(0, 20),
  }));
}

async function respond(event, data, reason) {
  const body = JSON.stringify({ Status: 'SUCCESS', Reason: reason.slice(0, 500), PhysicalResourceId: event.PhysicalResourceId || `datahub-${event.LogicalResourceId}`,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: data });
  const r = await withRetry((timeoutMs) => request(event.ResponseURL, 'PUT', body, { 'content-type': '' }, timeoutMs), { deadline: Date.now() + 20000, baseDelayMs: 1000, what: 'the CloudFormation response' });
  if (!r.ok) throw new Error(`cannot answer CloudFormation: ${r.message}`);
}

async function run(event, context) {
  const p = event.ResourceProperties;
  const base = String(p.ServerUrl).replace(/\/$/, '');
  const remaining = context && context.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS : Infinity;
  const options = { deadline: Date.now() + Math.min(Number(p.RetryBudgetMs || 120000), remaining), baseDelayMs: Number(p.RetryBaseDelayMs || 1000) };
  const headers = { 'content-type': 'application/json', 'X-RestLi-Protocol-Version': '2.0.0' };
  if (p.TokenSecretArn) {
    const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: p.TokenSecretArn }));
    headers.authorization = `Bearer ${secret.SecretString}`;
  }
  if (event.RequestType !== 'Delete') {
    const bodies = ingestBodies(p.ProposalsGzip);
    const r = await post(base, [...bodies, ...droppedEntities(event.OldResourceProperties, bodies)], headers, options);
    return { ...r, summary: r.failed.length === 0 ? `registered (${r.sent} proposals)` : `catalog behind: ${r.sent} sent, ${r.failed.length} failed${r.unreachable ? ' (DataHub unreachable)' : ''}` };
  }
  // Delete: the product left the template (its spec was removed) or the stack is deleted.
  const owner = await registrantOf(base, p.ProductUrn, headers, options);
  if (!owner.ok) return { sent: 0, failed: [{ aspectName: 'dataProductProperties', entityUrn: p.ProductUrn, message: owner.message }], unreachable: true, summary: `not soft-deleted: ${owner.message}` };
  if (owner.registrant !== undefined && owner.registrant !== p.Registrant) return { sent: 0, failed: [], unreachable: false, summary: `kept: ${p.ProductUrn} is registered by ${owner.registrant} now` };
  const r = await post(base, ingestBodies(p.RemovalsGzip), headers, options);
  return { ...r, summary: r.failed.length === 0 ? `soft-deleted (${r.sent} entities)` : `soft delete incomplete: ${r.sent} sent, ${r.failed.length} failed` };
}

exports.handler = async (event, context) => {
  let outcome;
  try {
    outcome = await run(event, context);
  } catch (e) {
    // Whatever went wrong (an unreadable payload, no token), the data deploy goes on: reported, not failed.
    console.error(e);
    outcome = { sent: 0, failed: [{ message: String(e && e.message ? e.message : e) }], unreachable: false, summary: `not registered: ${e && e.message ? e.message : e}` };
  }
  report(event, outcome);
  await respond(event, { Sent: String(outcome.sent), Failed: String(outcome.failed.length), Outcome: outcome.summary }, `DataHub: ${outcome.summary}`);
};
