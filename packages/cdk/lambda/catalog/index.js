// Custom::DataHubRegistration: posts metadata change proposals to DataHub GMS on Create/Update.
// Delete leaves the catalog as it is. AWS SDK v3 comes with the runtime.
'use strict';
const https = require('node:https');
const zlib = require('node:zlib');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

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
        const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: p.TokenSecretArn }));
        headers.authorization = `Bearer ${secret.SecretString}`;
      }
      const proposals = JSON.parse(zlib.gunzipSync(Buffer.from(p.ProposalsGzip, 'base64')).toString('utf8'));
      for (const mcp of proposals) {
        const proposal = { ...mcp, aspect: { contentType: 'application/json', value: JSON.stringify(mcp.aspect) } };
        const res = await request(`${p.ServerUrl.replace(/\/$/, '')}/aspects?action=ingestProposal`, 'POST', JSON.stringify({ proposal }), headers);
        if (res.status >= 300) throw new Error(`DataHub answered ${res.status} for ${mcp.aspectName} of ${mcp.entityUrn}: ${res.body.slice(0, 300)}`);
      }
    }
    await respond(event, 'SUCCESS');
  } catch (e) {
    console.error(e);
    await respond(event, 'FAILED', String(e.message).slice(0, 500));
  }
};
