// Copies a file from one format to another with DuckDB, the benchmark's
// reference engine: COPY (SELECT * FROM read_X(INPUT)) TO OUTPUT (FORMAT ...).
//
// Usage: node bench/lib/duckdb_copy.mjs INPUT OUTPUT csv|ndjson|json|parquet [COLUMNS]
// The input format comes from INPUT's extension: .csv (with a header),
// .ndjson (one object per line), .json (one array of objects) or .parquet.
// The third argument is the output format: json writes one JSON array and
// ndjson one object per line; parquet uses snappy, DuckDB's default codec.
// COLUMNS is a DuckDB struct literal of column types, such as
// "{'id': 'BIGINT', 'name': 'VARCHAR'}", for CSV and JSON input; without it
// DuckDB detects the types. Parquet input ignores it.
// DUCKDB_THREADS, when set, limits DuckDB's worker threads.
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, format, columns] = process.argv.slice(2);
const outputOptions = {
  csv: 'FORMAT csv',
  ndjson: 'FORMAT json',
  json: 'FORMAT json, ARRAY true',
  parquet: 'FORMAT parquet, COMPRESSION snappy',
};
if (!input || !output || !(format in outputOptions)) {
  console.error('usage: node bench/lib/duckdb_copy.mjs INPUT OUTPUT csv|ndjson|json|parquet [COLUMNS]');
  process.exit(2);
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const columnOption = columns ? `, columns = ${columns}` : '';

function readExpression(path) {
  const extension = path.slice(path.lastIndexOf('.') + 1);
  switch (extension) {
    case 'csv':
      return `read_csv(${quote(path)}, header = true${columnOption})`;
    case 'ndjson':
      return `read_json(${quote(path)}, format = 'newline_delimited'${columnOption})`;
    case 'json':
      return `read_json(${quote(path)}, format = 'array'${columnOption})`;
    case 'parquet':
      return `read_parquet(${quote(path)})`;
    default:
      console.error(`duckdb_copy: unknown input extension in ${path}; use .csv, .ndjson, .json or .parquet`);
      process.exit(2);
  }
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (process.env.DUCKDB_THREADS) {
  await connection.run(`SET threads = ${Number(process.env.DUCKDB_THREADS)}`);
}
await connection.run(
  `COPY (SELECT * FROM ${readExpression(input)}) TO ${quote(output)} (${outputOptions[format]})`,
);
connection.closeSync();
instance.closeSync();
