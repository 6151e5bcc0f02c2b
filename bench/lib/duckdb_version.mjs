// Prints the version of the DuckDB library that @duckdb/node-api loads.
import { DuckDBInstance } from '@duckdb/node-api';

const connection = await (await DuckDBInstance.create(':memory:')).connect();
const reader = await connection.runAndReadAll('SELECT version() AS version');
console.log(reader.getRowObjectsJson()[0].version);
