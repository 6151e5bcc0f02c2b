// Database and generator sources exported to CSV, JSON and NDJSON and read
// back by DuckDB: SQLite (built with the sqlite3 command line), PostgreSQL
// (only when SLUICE_TEST_POSTGRES_URL names a database), and gen:rows=N.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  DATA_DIR, SKIP_WITHOUT_BINARY, exportOk, firstDifference, hasCommand, loadTypesExpected, readOutput,
  tempDir,
} from './helpers.mjs';

const FORMATS = ['csv', 'json', 'ndjson'];

const GEN_SCHEMA =
  'id:int64,flag:boolean,amount:float64,price:decimal(18,2),big:decimal(38,10),name:string,' +
  'payload:binary,day:date,local_time:timestamp,instant:timestamptz';

const SQLITE_SCHEMA = 'id:int64,i64:int64,f:float64,s:string,blob:binary';

// Rows of tests/data/integration/types.sql as DuckDB returns them; BLOBs are base64 text.
const SQLITE_EXPECTED = [
  { id: '1', i64: '9223372036854775807', f: 1.5, s: 'plain', blob: 'AP8Q' },
  { id: '2', i64: '-9223372036854775808', f: -0.1, s: '', blob: '' },
  { id: '3', i64: null, f: null, s: null, blob: null },
  { id: '4', i64: '0', f: 0.30000000000000004, s: 'Say "hello", world', blob: '3q2+7w==' },
  { id: '5', i64: '42', f: 1e300, s: 'line1\nline2', blob: null },
  { id: '6', i64: '-1', f: -2.5e-7, s: 'crlf1\r\ncrlf2', blob: null },
  { id: '7', i64: '1000000', f: 123456789.125, s: 'café é', blob: null },
  { id: '8', i64: '-42', f: -3, s: '中文', blob: null },
  { id: '9', i64: '7', f: 2, s: 'emoji 😀🚀', blob: null },
];

function buildSqlite(dir) {
  const database = path.join(dir, 'types.db');
  const result = spawnSync('sqlite3', [database], { input: fs.readFileSync(path.join(DATA_DIR, 'types.sql')) });
  assert.equal(result.status, 0, `sqlite3 failed: ${result.stderr}`);
  return database;
}

describe('sqlite source', { skip: SKIP_WITHOUT_BINARY || (!hasCommand('sqlite3') && 'sqlite3 not installed') }, () => {
  for (const format of FORMATS) {
    test(`table to ${format}`, async (t) => {
      const dir = tempDir(t);
      const database = buildSqlite(dir);
      const output = path.join(dir, `out.${format}`);
      exportOk(['export', '--from', `sqlite:${database}?table=items`, '--to', output, '--quiet']);
      const rows = await readOutput(output, format, SQLITE_SCHEMA);
      assert.equal(firstDifference(rows, SQLITE_EXPECTED), null);
    });
  }

  test('url-encoded query', async (t) => {
    const dir = tempDir(t);
    const database = buildSqlite(dir);
    const sql = "SELECT id, s FROM items WHERE id IN (2, 3, 8) OR s LIKE '%&%' ORDER BY id DESC";
    const output = path.join(dir, 'out.ndjson');
    exportOk(['export', '--from', `sqlite:${database}?query=${encodeURIComponent(sql)}`, '--to', output, '--quiet']);
    const rows = await readOutput(output, 'ndjson', 'id:int64,s:string');
    assert.deepEqual(rows, [{ id: '8', s: '中文' }, { id: '3', s: null }, { id: '2', s: '' }]);
  });
});

describe('generator source', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('csv, json and ndjson carry the same values', async (t) => {
    const dir = tempDir(t);
    const rowsByFormat = {};
    for (const format of FORMATS) {
      const output = path.join(dir, `gen.${format}`);
      exportOk(['export', '--from', 'gen:rows=3000&seed=7', '--to', output, '--quiet']);
      rowsByFormat[format] = await readOutput(output, format, GEN_SCHEMA);
    }
    assert.equal(rowsByFormat.csv.length, 3000);
    assert.deepEqual(rowsByFormat.csv.map((row) => row.id), Array.from({ length: 3000 }, (_, i) => String(i + 1)));
    assert.equal(firstDifference(rowsByFormat.json, rowsByFormat.csv), null, 'json agrees with csv');
    assert.equal(firstDifference(rowsByFormat.ndjson, rowsByFormat.csv), null, 'ndjson agrees with csv');

    const names = rowsByFormat.csv.map((row) => row.name);
    assert.ok(names.includes(null), 'some names are null');
    assert.ok(names.includes(''), 'some names are empty strings');
    assert.ok(names.some((name) => name && name.includes('\n')), 'some names contain newlines');
    for (const row of rowsByFormat.csv) {
      if (row.payload === null) continue;
      assert.match(row.payload, /^[A-Za-z0-9+/]*={0,2}$/, `payload of row ${row.id} is base64`);
      assert.ok(Buffer.from(row.payload, 'base64').length <= 16);
    }
  });

  test('same seed gives identical bytes', (t) => {
    const dir = tempDir(t);
    const first = path.join(dir, 'a.csv');
    const second = path.join(dir, 'b.csv');
    const other = path.join(dir, 'c.csv');
    exportOk(['export', '--from', 'gen:rows=2000&seed=3', '--to', first, '--quiet']);
    exportOk(['export', '--from', 'gen:rows=2000&seed=3', '--to', second, '--quiet', '--chunk-size', '8KB']);
    exportOk(['export', '--from', 'gen:rows=2000&seed=4', '--to', other, '--quiet']);
    assert.deepEqual(fs.readFileSync(first), fs.readFileSync(second));
    assert.notDeepEqual(fs.readFileSync(first), fs.readFileSync(other));
  });
});

const POSTGRES_URL = process.env.SLUICE_TEST_POSTGRES_URL;

// Returns the SQL literal of one expected value. Doubles are quoted so that
// PostgreSQL parses them as float8 rather than numeric (5e-324 would underflow).
function postgresLiteral(value) {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

describe('postgresql source', { skip: SKIP_WITHOUT_BINARY || (!POSTGRES_URL && 'SLUICE_TEST_POSTGRES_URL is not set') }, () => {
  const { schema, rows: expected } = loadTypesExpected();
  const table = `sluice_integration_${process.pid}`;

  function psql(sql) {
    const result = spawnSync('psql', [POSTGRES_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
    assert.equal(result.status, 0, `psql failed: ${result.stderr}`);
  }

  for (const format of FORMATS) {
    test(`typed query to ${format}`, async (t) => {
      psql(
        `CREATE TABLE ${table} (id bigint, i64 bigint, small_dec numeric(10,2), big_dec numeric(38,10), ` +
          'f double precision, b boolean, s text, d date, ts timestamp, tz timestamptz)',
      );
      t.after(() => psql(`DROP TABLE IF EXISTS ${table}`));
      const values = expected.map((row) => `(${Object.values(row).map(postgresLiteral).join(', ')})`);
      psql(`INSERT INTO ${table} VALUES ${values.join(', ')}`);

      const dir = tempDir(t);
      const output = path.join(dir, `out.${format}`);
      const separator = POSTGRES_URL.includes('?') ? '&' : '?';
      const sql = `SELECT * FROM ${table} ORDER BY id`;
      exportOk(['export', '--from', `${POSTGRES_URL}${separator}query=${encodeURIComponent(sql)}`, '--to', output, '--quiet']);
      const rows = await readOutput(output, format, schema);
      assert.equal(firstDifference(rows, expected), null);
    });
  }
});
