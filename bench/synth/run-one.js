#!/usr/bin/env node
'use strict';
/**
 * One measurement, in its own process (so peak RSS is this run's):
 *   node bench/synth/run-one.js mesh  --root MESH --out DIR [--nag] [--validation]
 *   node bench/synth/run-one.js floor --templates DIR --out DIR [--validation]
 * mesh:  synthesize() of infra (the data-mesh app) from the TypeScript sources.
 * floor: a plain CDK app of L1 resources (CfnResource) with exactly the stacks, types and
 *        properties that `mesh` wrote to --templates: the same CloudFormation, without the
 *        constructs, grants, validation of the specs or anything else.
 * Prints one JSON line: { ms (in-process, from before the first aws-cdk-lib require to the
 * end of synth), loadMs, synthMs, maxRssMb, stacks, resources, ok }.
 */
const fs = require('fs');
const path = require('path');

const [mode, ...argv] = process.argv.slice(2);
const opt = (n) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : undefined; };
const has = (n) => argv.includes(n);
if (!has('--validation')) process.env.CDK_VALIDATION = 'false';

const t0 = process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
(async () => {
  let out;
  if (mode === 'mesh') {
    require('../../infra/bin/ts-register');
    const { synthesize } = require('@data-mesh/infra');
    const t1 = process.hrtime.bigint();
    const r = await synthesize(path.resolve(opt('--root')), path.resolve(opt('--out')), { nag: has('--nag'), cfnValidation: has('--validation') });
    const t2 = process.hrtime.bigint();
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    out = { ok: r.ok, loadMs: ms(t0, t1), synthMs: ms(t1, t2), phases: r.timings, stacks: r.templates.length, resources: r.templates.reduce((n, t) => n + t.resourceCount, 0), errors: errors.slice(0, 5) };
  } else if (mode === 'floor') {
    const dir = path.resolve(opt('--templates'));
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
    const templates = files.map((f) => [f.replace(/\.template\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))]);
    const t1r = process.hrtime.bigint();
    const cdk = require('aws-cdk-lib');
    const t1 = process.hrtime.bigint();
    const app = new cdk.App({ outdir: path.resolve(opt('--out')) });
    let resources = 0;
    for (const [name, t] of templates) {
      const stack = new cdk.Stack(app, name, { env: { account: '111111111111', region: 'eu-west-1' } });
      for (const [id, r] of Object.entries(t.Resources ?? {})) {
        if (id === 'CDKMetadata') continue;
        const res = new cdk.CfnResource(stack, id, { type: r.Type, properties: r.Properties });
        res.overrideLogicalId(id);
        if (r.DeletionPolicy === 'Retain') res.applyRemovalPolicy(cdk.RemovalPolicy.RETAIN);
        resources++;
      }
    }
    app.synth();
    const t2 = process.hrtime.bigint();
    out = { ok: true, loadMs: ms(t1r, t1), synthMs: ms(t1, t2), stacks: templates.length, resources };
    void t0;
  } else {
    console.error('usage: run-one.js mesh|floor ...');
    process.exit(2);
  }
  out.ms = out.loadMs + out.synthMs;
  out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify(out) + '\n');
})();
