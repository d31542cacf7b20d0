// Custom::DataHubRegistration: posts metadata change proposals to DataHub GMS on Create/Update.
// Delete leaves the catalog as it is. AWS SDK v3 comes with the runtime (loaded only for a token).
'use strict';
const https = require('node:https');
const zlib = require('node:zlib');

/**
 * The bodies posted to GMS `/aspects?action=ingestProposal`, one per proposal: `{ proposal }` with
 * the proposal exactly as synthesized (aspect serialized as JSON text, `catalogMetadataFile`'s entries).
 */
function ingestBodies(proposalsGzip) {
  const proposals = JSON.parse(zlib.gunzipSync(Buffer.from(proposalsGzip, 'base64')).toString('utf8'));
  return proposals.map((proposal) => ({ proposal }));
}
exports.ingestBodies = ingestBodies;

function request(url, method, body, headers) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: u.hostname, port: u.port || 443, path: u.pathname + u.search, method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: data }));
    });
    req.on('error', reject);
    req.setTimeout(15000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

function respond(event, status, reason) {
  const body = JSON.stringify({ Status: status, Reason: reason || 'see CloudWatch Logs', PhysicalResourceId: event.PhysicalResourceId || `datahub-${event.LogicalResourceId}`,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: {} });
  return request(event.ResponseURL, 'PUT', body, { 'content-type': '' });
}

exports.handler = async (event) => {
  try {
    if (event.RequestType !== 'Delete') {
      const p = event.ResourceProperties;
      const headers = { 'content-type': 'application/json', 'X-RestLi-Protocol-Version': '2.0.0' };
      if (p.TokenSecretArn) {
        const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
        const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: p.TokenSecretArn }));
        headers.authorization = `Bearer ${secret.SecretString}`;
      }
      for (const body of ingestBodies(p.ProposalsGzip)) {
        const res = await request(`${p.ServerUrl.replace(/\/$/, '')}/aspects?action=ingestProposal`, 'POST', JSON.stringify(body), headers);
        if (res.status >= 300) throw new Error(`DataHub answered ${res.status} for ${body.proposal.aspectName} of ${body.proposal.entityUrn}: ${res.body.slice(0, 300)}`);
      }
    }
    await respond(event, 'SUCCESS');
  } catch (e) {
    console.error(e);
    await respond(event, 'FAILED', String(e.message).slice(0, 500));
  }
};
