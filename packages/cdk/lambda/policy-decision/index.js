// data-mesh policy decisions: evaluates {input, entrypoint?} against the compiled policy.
// policy.wasm and data.json sit beside this file; @open-policy-agent/opa-wasm is in the asset.
// A request it cannot evaluate (not JSON, no input, an entrypoint the module lacks) is answered
// 400 with the reason; a failing evaluation 500. Neither throws: a thrown error would reach a
// function URL caller as a bare 502.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { loadPolicy } = require('@open-policy-agent/opa-wasm');

let loaded;
async function policy() {
  if (!loaded) {
    // The module of a large mesh's policies needs more than opa-wasm's default 5 pages (set at synth).
    const initial = Number(process.env.POLICY_MEMORY_PAGES) || 5;
    loaded = loadPolicy(fs.readFileSync(path.join(__dirname, 'policy.wasm')), { initial }).then((p) => {
      p.setData(JSON.parse(fs.readFileSync(path.join(__dirname, 'data.json'), 'utf8')));
      return p;
    });
  }
  return loaded;
}

/** The request of a direct invoke (the event itself) or of a function URL call (its JSON body). */
function requestOf(event, viaUrl) {
  if (!viaUrl) return event;
  if (typeof event.body !== 'string') throw new BadRequest('the request body must be JSON: {"input": {...}, "entrypoint"?: "..."}');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`the request body is not JSON: ${error.message}`);
  }
}

class BadRequest extends Error {}

exports.handler = async (event) => {
  // Function URL events (payload format 2.0) carry requestContext.http, and the request as body.
  const viaUrl = Boolean(event && ((event.requestContext && event.requestContext.http) || typeof event.body === 'string'));
  const answer = (statusCode, body) =>
    viaUrl ? { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : statusCode === 200 ? body : { statusCode, ...body };
  try {
    const request = requestOf(event, viaUrl);
    if (!request || typeof request !== 'object' || Array.isArray(request)) throw new BadRequest('the request must be an object: {"input": {...}, "entrypoint"?: "..."}');
    if (request.input === undefined) throw new BadRequest('the request has no "input"');
    const entrypoint = request.entrypoint === undefined ? process.env.DEFAULT_ENTRYPOINT : request.entrypoint;
    const p = await policy();
    if (typeof entrypoint !== 'string' || !Object.prototype.hasOwnProperty.call(p.entrypoints, entrypoint)) {
      throw new BadRequest(`unknown entrypoint ${JSON.stringify(entrypoint)}; one of: ${Object.keys(p.entrypoints).join(', ')}`);
    }
    let result;
    try {
      result = p.evaluate(request.input, entrypoint);
    } catch (error) {
      return answer(500, { error: `evaluation of ${entrypoint} failed: ${error instanceof Error ? error.message : String(error)}` });
    }
    const decision = Array.isArray(result) && result.length > 0 ? result[0].result : undefined;
    return answer(200, { entrypoint, decision });
  } catch (error) {
    if (error instanceof BadRequest) return answer(400, { error: error.message });
    throw error;
  }
};
