// DuckDB's side of bench/parquet.sh: one COPY between CSV and Parquet.
//
// Usage: node bench/parquet_duckdb.mjs to-parquet INPUT.csv OUTPUT.parquet COLUMNS
//        node bench/parquet_duckdb.mjs to-csv INPUT.parquet OUTPUT.csv
// COLUMNS is a DuckDB struct literal of the CSV's column types. Parquet
// output uses snappy, DuckDB's default. DUCKDB_THREADS, when set, limits
// DuckDB's worker threads.
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, input, output, columns] = process.argv.slice(2);
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
if (!input || !output || !['to-parquet', 'to-csv'].includes(mode) || (mode === 'to-parquet' && !columns)) {
  console.error('usage: node bench/parquet_duckdb.mjs to-parquet INPUT.csv OUTPUT.parquet COLUMNS | to-csv INPUT.parquet OUTPUT.csv');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (process.env.DUCKDB_THREADS) await connection.run(`SET threads = ${Number(process.env.DUCKDB_THREADS)}`);
if (mode === 'to-parquet') {
  await connection.run(`COPY (SELECT * FROM read_csv(${quote(input)}, header = true, columns = ${columns}))
    TO ${quote(output)} (FORMAT parquet, COMPRESSION snappy)`);
} else {
  await connection.run(`COPY (SELECT * FROM read_parquet(${quote(input)})) TO ${quote(output)} (FORMAT csv)`);
}
connection.closeSync();
instance.closeSync();
