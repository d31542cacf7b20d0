#!/usr/bin/env node
// Reader/writer pairs checked per CPU second (process.cpuUsage, steadier than wall time on a
// shared machine), parsing both schemas included, beside avsc's
// resolver on the same pairs (Type.forSchema on both, then reader.createResolver(writer)).
// Run after building: npx tsc -p packages/schema-compat/tsconfig.json && node bench/compat/compat-bench.js
'use strict';

const path = require('node:path');
const avro = require(require.resolve('avsc', { paths: [path.join(__dirname, '../../packages/schema-compat')] }));
const { parseAvro, checkReaderWriter } = require('../../packages/schema-compat/dist');
const { readerSchema, writerSchema } = require('./schemas');

const TARGETS = { 30: 50_000, 300: 10_000 };
// avsc's rate on the machine where the targets were set (issue 3): this machine's avsc rate
// against it gives the machine's speed, so a rate here can be scaled to that machine.
const AVSC_REFERENCE = { 30: 3_400, 300: 570 };
const MIN_SECONDS = 1.5;

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

/** Runs `check` for MIN_SECONDS of CPU time (after a warm-up) and returns pairs per CPU second. */
function pairsPerSecond(check, readerText, writerText) {
  for (let i = 0; i < 200; i++) check(readerText, writerText);
  let pairs = 0;
  const started = cpuSeconds();
  let elapsed = 0;
  while (elapsed < MIN_SECONDS) {
    for (let i = 0; i < 100; i++) check(readerText, writerText);
    pairs += 100;
    elapsed = cpuSeconds() - started;
  }
  return pairs / elapsed;
}

const format = (n) => Math.round(n).toLocaleString('en-US');

for (const fieldCount of [30, 300]) {
  const readerText = JSON.stringify(readerSchema(fieldCount));
  const writerText = JSON.stringify(writerSchema(fieldCount));
  const oursRate = pairsPerSecond(ours, readerText, writerText);
  const avscRate = pairsPerSecond(avsc, readerText, writerText);
  const target = TARGETS[fieldCount];
  console.log(`${fieldCount}-field records (${readerText.length + writerText.length} bytes of schema per pair)`);
  console.log(`  schema-compat  ${format(oursRate).padStart(9)} pairs/s  ${(1e6 / oursRate).toFixed(1).padStart(8)} µs/pair  target ${format(target)} pairs/s: ${oursRate >= target ? 'met' : 'MISSED'}`);
  console.log(`  avsc resolver  ${format(avscRate).padStart(9)} pairs/s  ${(1e6 / avscRate).toFixed(1).padStart(8)} µs/pair`);
  console.log(`  ratio          ${(oursRate / avscRate).toFixed(1)}x avsc`);
  const scaled = (oursRate / avscRate) * AVSC_REFERENCE[fieldCount];
  console.log(`  scaled         ${format(scaled)} pairs/s on the reference machine (avsc ${format(AVSC_REFERENCE[fieldCount])} pairs/s there): target ${scaled >= target ? 'met' : 'MISSED'}`);
}
