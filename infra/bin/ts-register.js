'use strict';
// Lets node run the workspace's TypeScript sources without a build: .ts files are compiled
// with @swc/core on require, and `@data-mesh/<name>` resolves to packages/<name>/src (or
// infra/src), as jest's moduleNameMapper does. For scripts and benchmarks, not for production.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const ROOT = path.resolve(__dirname, '..', '..');

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@data-mesh\/([a-z-]+)$/.exec(request);
  if (m) {
    const dir = m[1] === 'infra' ? path.join(ROOT, 'infra') : path.join(ROOT, 'packages', m[1]);
    return path.join(dir, 'src', 'index.ts');
  }
  return resolve.call(this, request, parent, ...rest);
};
