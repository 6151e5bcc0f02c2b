// Copies a CSV file to CSV or NDJSON with DuckDB, the benchmark's reference
// engine: COPY (SELECT * FROM read_csv(INPUT)) TO OUTPUT (FORMAT csv|json).
// DuckDB's FORMAT json writes one object per line, which is NDJSON.
//
// Usage: node bench/lib/duckdb_copy.mjs INPUT.csv OUTPUT csv|json [COLUMNS]
// COLUMNS is a DuckDB struct literal of column types, such as
// "{'id': 'BIGINT', 'name': 'VARCHAR'}"; without it DuckDB detects the types.
// DUCKDB_THREADS, when set, limits DuckDB's worker threads.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, format, columns] = process.argv.slice(2);
if (!input || !output || !['csv', 'json'].includes(format)) {
  console.error('usage: node bench/lib/duckdb_copy.mjs INPUT.csv OUTPUT csv|json [COLUMNS]');
  process.exit(2);
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (process.env.DUCKDB_THREADS) {
  await connection.run(`SET threads = ${Number(process.env.DUCKDB_THREADS)}`);
}
const readOptions = columns ? `, header = true, columns = ${columns}` : '';
await connection.run(
  `COPY (SELECT * FROM read_csv(${quote(input)}${readOptions})) TO ${quote(output)} (FORMAT ${format})`,
);
connection.closeSync();
instance.closeSync();
