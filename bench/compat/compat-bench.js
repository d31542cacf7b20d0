#!/usr/bin/env node
// Reader/writer pairs checked per CPU second (process.cpuUsage, steadier than wall time on a
// shared machine), parsing both schemas included, beside avsc's
// resolver on the same pairs (Type.forSchema on both, then reader.createResolver(writer)).
// Run after building: npx tsc -p packages/schema-compat/tsconfig.json && node bench/compat/compat-bench.js
//   [--fields 30,300] [--rounds 7] [--seconds 0.3]   (record sizes, rounds, CPU seconds per round and checker)
'use strict';

const path = require('node:path');
const avro = require(require.resolve('avsc', { paths: [path.join(__dirname, '../../packages/schema-compat')] }));
const { parseAvro, checkReaderWriter } = require('../../packages/schema-compat/dist');
const { readerSchema, writerSchema } = require('./schemas');
const { arg } = require('../lib/cli.js');

const TARGETS = { 30: 50_000, 300: 10_000 };
// avsc's rate on the machine where the targets were set (issue 3): this machine's avsc rate
// against it gives the machine's speed, so a rate here can be scaled to that machine.
const AVSC_REFERENCE = { 30: 3_400, 300: 570 };
const FIELDS = arg('fields', '30,300').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '7'));
const SECONDS_PER_ROUND = Number(arg('seconds', '0.3'));
if (!FIELDS.every((n) => TARGETS[n]) || !(ROUNDS >= 1) || !(SECONDS_PER_ROUND > 0)) {
  console.error('compat-bench: --fields takes 30 and/or 300, --rounds >= 1, --seconds > 0');
  process.exit(2);
}

function ours(readerText, writerText) {
  const reader = parseAvro(readerText).schema;
  const writer = parseAvro(writerText).schema;
  if (!checkReaderWriter(reader, writer).compatible) throw new Error('the benchmark pair should be compatible');
}

function avsc(readerText, writerText) {
  const reader = avro.Type.forSchema(JSON.parse(readerText));
  const writer = avro.Type.forSchema(JSON.parse(writerText));
  reader.createResolver(writer);
}

/** CPU seconds used by this process so far: steadier than wall time on a shared machine. */
function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Runs `check` for `seconds` of CPU time and returns pairs per CPU second. */
function pairsPerSecond(check, readerText, writerText, seconds) {
  let pairs = 0;
  const started = cpuSeconds();
  let elapsed = 0;
  while (elapsed < seconds) {
    for (let i = 0; i < 20; i++) check(readerText, writerText);
    pairs += 20;
    elapsed = cpuSeconds() - started;
  }
  return pairs / elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Both checkers in alternating rounds, so a change in the machine's load hits both alike;
 * the medians of the rates and of the per-round ratios are reported.
 */
function compare(readerText, writerText) {
  for (let i = 0; i < 100; i++) {
    ours(readerText, writerText);
    avsc(readerText, writerText);
  }
  const oursRates = [];
  const avscRates = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(pairsPerSecond(ours, readerText, writerText, SECONDS_PER_ROUND));
    avscRates.push(pairsPerSecond(avsc, readerText, writerText, SECONDS_PER_ROUND));
  }
  return { ours: median(oursRates), avsc: median(avscRates), ratio: median(oursRates.map((rate, round) => rate / avscRates[round])) };
}

const format = (n) => Math.round(n).toLocaleString('en-US');

for (const fieldCount of FIELDS) {
  const readerText = JSON.stringify(readerSchema(fieldCount));
  const writerText = JSON.stringify(writerSchema(fieldCount));
  const { ours: oursRate, avsc: avscRate, ratio } = compare(readerText, writerText);
  const target = TARGETS[fieldCount];
  console.log(`${fieldCount}-field records (${readerText.length + writerText.length} bytes of schema per pair)`);
  console.log(`  schema-compat  ${format(oursRate).padStart(9)} pairs/s  ${(1e6 / oursRate).toFixed(1).padStart(8)} µs/pair  target ${format(target)} pairs/s: ${oursRate >= target ? 'met' : 'MISSED'}`);
  console.log(`  avsc resolver  ${format(avscRate).padStart(9)} pairs/s  ${(1e6 / avscRate).toFixed(1).padStart(8)} µs/pair`);
  console.log(`  ratio          ${ratio.toFixed(1)}x avsc (median of ${ROUNDS} alternating rounds)`);
  const scaled = ratio * AVSC_REFERENCE[fieldCount];
  console.log(`  scaled         ${format(scaled)} pairs/s on the reference machine (avsc ${format(AVSC_REFERENCE[fieldCount])} pairs/s there): target ${scaled >= target ? 'met' : 'MISSED'}`);
}
