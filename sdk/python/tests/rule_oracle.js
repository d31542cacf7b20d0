// The TypeScript side of the shared-semantics test (test_rules_shared.py): parses each rule with
// @data-mesh/spec's parseQualityRule and judges each row with the SQL its compiler makes, in
// embedded DuckDB: compileSql's failing-rows query of the rule gives the rows it is FALSE for,
// that of NOT (rule) the rows it is TRUE for; a row in neither is NULL (unknown).
// Input (a JSON file): {now, columns: [{name, type}], rows: [{...}], rules: [text]}; types are
// int, long, double, string, boolean, timestamp (epoch ms). Output (stdout): one verdict per rule:
// {ok: false, message, offset} or {ok: true, values: [true|false|null per row], failing: [row index]}.
'use strict';
const fs = require('node:fs');
const { parseQualityRule, compileSql, quoteIdentifier, quoteString } = require('@data-mesh/spec');
const { DuckDBInstance } = require('@duckdb/node-api');

const SQL_TYPES = { int: 'INTEGER', long: 'BIGINT', double: 'DOUBLE', string: 'VARCHAR', boolean: 'BOOLEAN', timestamp: 'TIMESTAMPTZ' };

function literal(type, value) {
  if (value === null || value === undefined) return 'NULL';
  switch (type) {
    case 'string': return quoteString(value);
    case 'boolean': return value ? 'TRUE' : 'FALSE';
    case 'timestamp': return `make_timestamptz(${BigInt(value) * 1000n})`;
    case 'double': return `CAST('${Number(value)}' AS DOUBLE)`;
    default: return String(BigInt(value));
  }
}

async function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const columns = input.columns.map((c) => `${quoteIdentifier(c.name)} ${SQL_TYPES[c.type]}`);
    await connection.run(`CREATE TABLE data ("__row" INTEGER, ${columns.join(', ')})`);
    if (input.rows.length > 0) {
      const rows = input.rows.map((row, i) => `(${[i, ...input.columns.map((c) => literal(c.type, row[c.name]))].join(', ')})`);
      await connection.run(`INSERT INTO data VALUES ${rows.join(', ')}`);
    }
    const out = [];
    for (const rule of input.rules) {
      const parse = parseQualityRule(rule);
      if (!parse.ok) {
        out.push({ ok: false, message: parse.message, offset: parse.offset });
        continue;
      }
      try {
        const failingRows = async (expression) => {
          const compiled = compileSql(expression, 'duckdb', { relation: ['data'], failingRowLimit: input.rows.length + 1, now: input.now });
          return { level: compiled.level, rows: (await connection.runAndReadAll(compiled.failingRows)).getRowObjectsJS().map((r) => Number(r.__row)).sort((a, b) => a - b) };
        };
        const falseFor = await failingRows(parse.expression);
        const trueFor = new Set((await failingRows({ kind: 'not', operand: parse.expression })).rows);
        const failing = new Set(falseFor.rows);
        const values = input.rows.map((_, i) => (failing.has(i) ? false : trueFor.has(i) ? true : null));
        out.push({ ok: true, level: falseFor.level, failing: falseFor.rows, values });
      } catch (error) {
        out.push({ ok: true, error: String(error.message).split('\n')[0] });
      }
    }
    process.stdout.write(JSON.stringify(out));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

main().catch((error) => {
  process.stderr.write(`rule_oracle: ${error.stack}\n`);
  process.exit(1);
});
