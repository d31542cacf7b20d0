import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type Row = Record<string, unknown>;

export const tempDir = (prefix = 'mesh-parity-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export function writeJsonl(file: string, rows: readonly Row[]): string {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  return file;
}

export function writeCsv(file: string, rows: readonly Row[], columns = Object.keys(rows[0] ?? {})): string {
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : String(v));
  fs.writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => text(r[c])).join(','))].join('\n') + '\n');
  return file;
}

/**
 * A Parquet file of the rows, written by DuckDB from JSON lines; `types` pins a column's type
 * (e.g. { ts: 'TIMESTAMP_MS', amount: 'DOUBLE' }), the others are what DuckDB reads from JSON;
 * `schemaOnly` writes the rows' schema and no row.
 */
export async function writeParquet(file: string, rows: readonly Row[], types: Record<string, string> = {}, schemaOnly = false): Promise<string> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = writeJsonl(`${file}.jsonl`, rows);
    const columns = Object.keys(rows[0] ?? {});
    const select = columns.map((c) => (types[c] ? `CAST("${c}" AS ${types[c]}) AS "${c}"` : `"${c}"`)).join(', ');
    await connection.run("SET TimeZone = 'UTC'");
    await connection.run(`COPY (SELECT ${select} FROM read_json('${source}', format = 'newline_delimited') WHERE ${!schemaOnly}) TO '${file}' (FORMAT parquet)`);
    fs.rmSync(source);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return file;
}
