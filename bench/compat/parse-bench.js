#!/usr/bin/env node
// Time to parse 10,000 realistic schemas of 20 to 200 fields, beside JSON.parse alone on
// the same texts (the floor any parser of JSON text pays).
// Run after building: npx tsc -p packages/schema-compat/tsconfig.json && node bench/compat/parse-bench.js
'use strict';

const { parseAvro } = require('../../packages/schema-compat/dist');
const { writerSchema } = require('./schemas');

const texts = Array.from({ length: 50 }, (_, i) => JSON.stringify(writerSchema(20 + ((i * 37) % 181))));
const averageFields = texts.reduce((sum, text) => sum + JSON.parse(text).fields.length, 0) / texts.length;
const averageBytes = texts.reduce((sum, text) => sum + text.length, 0) / texts.length;

/** CPU seconds (process.cpuUsage) to run over 10,000 texts: steadier than wall time on a shared machine. */
function seconds(run) {
  const before = process.cpuUsage();
  for (let i = 0; i < 10_000; i++) run(texts[i % texts.length]);
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1e6;
}

for (const text of texts) if (parseAvro(text).errors.length > 0) throw new Error('benchmark schema should parse');
seconds(parseAvro);
const best = (run) => Math.min(seconds(run), seconds(run), seconds(run));
const parse = best(parseAvro);
const json = best(JSON.parse);
console.log(`10,000 schemas, ${averageFields.toFixed(0)} fields and ${(averageBytes / 1024).toFixed(1)} KiB on average`);
console.log(`  parseAvro   ${parse.toFixed(3)} s  (${((parse / 10_000) * 1e6).toFixed(1)} µs/schema)  target < 0.5 s: ${parse < 0.5 ? 'met' : 'MISSED'}`);
console.log(`  JSON.parse  ${json.toFixed(3)} s  (validation adds ${((parse / json - 1) * 100).toFixed(0)}%)`);
