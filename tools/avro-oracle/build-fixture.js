#!/usr/bin/env node
// Joins the generated pairs with Java's verdicts into the fixture the jest suite reads.
// Usage: node build-fixture.js PAIRS.json VERDICTS.json OUT.json
'use strict';

const fs = require('node:fs');

const [pairsFile, verdictsFile, outFile] = process.argv.slice(2);
const pairs = JSON.parse(fs.readFileSync(pairsFile, 'utf8'));
const verdicts = JSON.parse(fs.readFileSync(verdictsFile, 'utf8'));
const byId = new Map(verdicts.results.map((result) => [result.id, result]));

const fixture = {
  generatedBy: 'tools/avro-oracle/regenerate.sh',
  oracle: `org.apache.avro:avro ${verdicts.avroVersion} SchemaCompatibility.checkReaderWriterCompatibility`,
  pairs: pairs.map((pair) => {
    const verdict = byId.get(pair.id);
    if (!verdict) throw new Error(`no verdict for ${pair.id}`);
    const java = { ...verdict };
    delete java.id;
    return { ...pair, java };
  }),
};
// One pair per line: small, and a regenerated fixture diffs pair by pair.
const lines = fixture.pairs.map((pair) => JSON.stringify(pair));
const header = JSON.stringify({ generatedBy: fixture.generatedBy, oracle: fixture.oracle }).slice(0, -1);
fs.writeFileSync(outFile, `${header},"pairs":[\n${lines.join(',\n')}\n]}\n`);
