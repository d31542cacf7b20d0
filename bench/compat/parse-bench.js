#!/usr/bin/env node
// Time to parse 10,000 realistic schemas of 20 to 200 fields, beside JSON.parse alone on
// the same texts (the floor any parser of JSON text pays).
// Run after building: npx tsc -p packages/schema-compat/tsconfig.json && node bench/compat/parse-bench.js
//   [--count 10000]   (schemas parsed per timing; the 0.5 s target is for 10,000)
'use strict';

const { parseAvro } = require('../../packages/schema-compat/dist');
const { writerSchema } = require('./schemas');
const { arg } = require('../lib/cli.js');

const COUNT = Number(arg('count', '10000'));
if (!(COUNT >= 1)) {
  console.error('parse-bench: --count must be >= 1');
  process.exit(2);
}

const texts = Array.from({ length: 50 }, (_, i) => JSON.stringify(writerSchema(20 + ((i * 37) % 181))));
const averageFields = texts.reduce((sum, text) => sum + JSON.parse(text).fields.length, 0) / texts.length;
const averageBytes = texts.reduce((sum, text) => sum + text.length, 0) / texts.length;

/** CPU seconds (process.cpuUsage) to run over COUNT texts: steadier than wall time on a shared machine. */
function seconds(run) {
  const before = process.cpuUsage();
  for (let i = 0; i < COUNT; i++) run(texts[i % texts.length]);
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1e6;
}

for (const text of texts) if (parseAvro(text).errors.length > 0) throw new Error('benchmark schema should parse');
seconds(parseAvro);
const best = (run) => Math.min(seconds(run), seconds(run), seconds(run));
const parse = best(parseAvro);
const json = best(JSON.parse);
const target = 0.5 * (COUNT / 10_000);
console.log(`${COUNT.toLocaleString('en-US')} schemas, ${averageFields.toFixed(0)} fields and ${(averageBytes / 1024).toFixed(1)} KiB on average`);
console.log(`  parseAvro   ${parse.toFixed(3)} s  (${((parse / COUNT) * 1e6).toFixed(1)} µs/schema)  target < ${+target.toFixed(4)} s (0.5 s per 10,000): ${parse < target ? 'met' : 'MISSED'}`);
console.log(`  JSON.parse  ${json.toFixed(3)} s  (validation adds ${((parse / json - 1) * 100).toFixed(0)}%)`);
