#!/usr/bin/env node
'use strict';
// Synthesizes the mesh offline from the sources (no build needed):
//   node infra/bin/synth.js [--root DIR] [--out DIR] [--config FILE] [--no-nag]
// Prints the result of synthesize() as JSON; exit 0 when it is ok, 1 otherwise. It compiles the
// policies for the decision function with opa (.tools/bin or PATH): without it, MESH517 and exit 1.
// `mesh synth` (packages/cli) calls synthesize() directly; this is for scripts and CI.
require('./ts-register');
const path = require('node:path');
const { synthesize } = require('@data-mesh/infra');

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const root = path.resolve(opt('--root') ?? process.cwd());
const out = opt('--out') ?? path.join(root, 'cdk.out');
synthesize(root, out, { nag: !args.includes('--no-nag'), configFile: opt('--config') }).then((result) => {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  process.exitCode = result.ok ? 0 : 1;
});
