'use strict';
/**
 * Lets a benchmark `require()` the workspace TypeScript sources directly, the way the jest
 * preset does: `.ts` files are transformed by @swc/core, and `@data-mesh/<pkg>` resolves to
 * packages/<pkg>/src/index.ts. So a benchmark never measures a stale dist/.
 */
const fs = require('fs');
const path = require('path');
const Module = require('module');
const swc = require('@swc/core');

const REPO = path.resolve(__dirname, '..', '..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@data-mesh\/([a-z-]+)$/.exec(request);
  if (m) return path.join(REPO, 'packages', m[1], 'src', 'index.ts');
  if ((request.startsWith('./') || request.startsWith('../')) && parent && parent.filename && parent.filename.endsWith('.ts')) {
    const base = path.resolve(path.dirname(parent.filename), request);
    for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  }
  return resolve.call(this, request, parent, ...rest);
};
require.extensions['.ts'] = function (module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: false,
  });
  module._compile(code, filename);
};
