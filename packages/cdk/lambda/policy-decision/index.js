// data-mesh policy decisions: evaluates {input, entrypoint?} against the compiled policy.
// policy.wasm and data.json sit beside this file; @open-policy-agent/opa-wasm is in the asset.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { loadPolicy } = require('@open-policy-agent/opa-wasm');

let loaded;
async function policy() {
  if (!loaded) {
    loaded = loadPolicy(fs.readFileSync(path.join(__dirname, 'policy.wasm'))).then((p) => {
      p.setData(JSON.parse(fs.readFileSync(path.join(__dirname, 'data.json'), 'utf8')));
      return p;
    });
  }
  return loaded;
}

exports.handler = async (event) => {
  // direct invoke: the event is the request; function URL: the request is the JSON body
  const request = typeof event.body === 'string' ? JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : event;
  const entrypoint = request.entrypoint || process.env.DEFAULT_ENTRYPOINT;
  const p = await policy();
  const result = p.evaluate(request.input ?? {}, entrypoint);
  const decision = Array.isArray(result) && result.length > 0 ? result[0].result : undefined;
  const body = { entrypoint, decision };
  return typeof event.body === 'string' ? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : body;
};
