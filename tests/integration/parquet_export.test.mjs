// Parquet written by sluice, checked by two independent readers: DuckDB
// (schema, footer metadata and every value) and hyparquet (values, decoded
// by a pure JavaScript implementation of the format).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

import { SKIP_WITHOUT_BINARY, VEGA_DIR, exportOk, query, runSluice, sqlString, tempDir } from './helpers.mjs';

const GEN_SCHEMA =
  'id:int64,flag:boolean,amount:float64,price:decimal(18,2),big:decimal(38,10),name:string,' +
  'payload:binary,day:date,local_time:timestamp,instant:timestamptz';
const GEN_COLUMNS = GEN_SCHEMA.split(/,(?![^(]*\))/).map((part) => part.split(':'));
const ROWS = 30000;
const FLIGHTS = path.join(VEGA_DIR, 'flights-3m.parquet');

// The generator's rows as DuckDB reads sluice's CSV export of them, with
// binary decoded from base64 so it compares with Parquet's BLOB.
function csvRelation(file) {
  const columns = GEN_COLUMNS.map(([name, type]) => {
    const duckType = { boolean: 'BOOLEAN', int64: 'BIGINT', float64: 'DOUBLE', string: 'VARCHAR', binary: 'VARCHAR',
      date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ' }[type] ?? type.toUpperCase();
    return `${sqlString(name)}: ${sqlString(duckType)}`;
  });
  const select = GEN_COLUMNS.map(([name]) => (name === 'payload' ? 'from_base64(payload) AS payload' : name));
  return `(SELECT ${select.join(', ')} FROM read_csv(${sqlString(file)}, columns = {${columns.join(', ')}}, ` +
    "header = true, nullstr = '', allow_quoted_nulls = false, auto_detect = false))";
}

async function countDifferences(left, right) {
  const [{ count }] = await query(
    `SELECT count(*) AS count FROM ((FROM ${left} EXCEPT ALL FROM ${right}) UNION ALL (FROM ${right} EXCEPT ALL FROM ${left}))`,
  );
  return Number(count);
}

async function metadata(file) {
  return query(`SELECT * FROM parquet_metadata(${sqlString(file)}) ORDER BY row_group_id, column_id`);
}

describe('parquet export', { skip: SKIP_WITHOUT_BINARY }, () => {
  let dir;
  let csvFile;

  test('generated rows: csv reference', (t) => {
    dir = tempDir(t, 'sluice-parquet-');
    csvFile = path.join(dir, 'gen.csv');
    exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', csvFile, '--quiet']);
  });

  for (const codec of ['snappy', 'gzip', 'zstd', 'none']) {
    test(`generated rows with ${codec} agree with DuckDB`, async (t) => {
      const work = tempDir(t, 'sluice-parquet-');
      const csv = path.join(work, 'gen.csv');
      const file = path.join(work, `gen-${codec}.parquet`);
      exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', csv, '--quiet']);
      exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', file, '--parquet-codec', codec, '--quiet']);

      assert.equal(await countDifferences(csvRelation(csv), `read_parquet(${sqlString(file)})`), 0);
      const expectedCodec = codec === 'none' ? 'UNCOMPRESSED' : codec.toUpperCase();
      for (const row of await metadata(file)) assert.equal(row.compression, expectedCodec);
    });
  }

  test('schema: physical and logical types', async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const file = path.join(work, 'gen.parquet');
    exportOk(['export', '--from', 'gen:rows=100', '--to', file, '--quiet']);
    const rows = await query(`SELECT name, type, repetition_type, converted_type, logical_type, type_length,
      precision, scale FROM parquet_schema(${sqlString(file)})`);
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
    assert.equal(byName.id.type, 'INT64');
    assert.equal(byName.id.repetition_type, 'REQUIRED');
    assert.equal(byName.flag.type, 'BOOLEAN');
    assert.equal(byName.flag.repetition_type, 'OPTIONAL');
    assert.equal(byName.amount.type, 'DOUBLE');
    assert.equal(byName.price.type, 'INT64');
    assert.match(byName.price.logical_type, /DecimalType\(scale=2, precision=18\)/);
    assert.equal(byName.big.type, 'FIXED_LEN_BYTE_ARRAY');
    assert.equal(byName.big.type_length, '16');
    assert.equal(byName.big.converted_type, 'DECIMAL');
    assert.equal(byName.name.type, 'BYTE_ARRAY');
    assert.equal(byName.name.converted_type, 'UTF8');
    assert.equal(byName.payload.type, 'BYTE_ARRAY');
    assert.equal(byName.payload.logical_type, null);
    assert.equal(byName.day.type, 'INT32');
    assert.equal(byName.day.converted_type, 'DATE');
    assert.match(byName.local_time.logical_type, /isAdjustedToUTC=0.*MICROS=MicroSeconds/);
    assert.match(byName.instant.logical_type, /isAdjustedToUTC=1.*MICROS=MicroSeconds/);

    const types = await query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    const duckTypes = Object.fromEntries(types.map((row) => [row.column_name, row.column_type]));
    assert.deepEqual(duckTypes, {
      id: 'BIGINT', flag: 'BOOLEAN', amount: 'DOUBLE', price: 'DECIMAL(18,2)', big: 'DECIMAL(38,10)',
      name: 'VARCHAR', payload: 'BLOB', day: 'DATE', local_time: 'TIMESTAMP', instant: 'TIMESTAMP WITH TIME ZONE',
    });
  });

  test('statistics match the values', async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const file = path.join(work, 'gen.parquet');
    exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', file, '--row-group-rows', '10000', '--quiet']);
    const chunks = await metadata(file);
    assert.equal(new Set(chunks.map((row) => row.row_group_id)).size, 3);
    const relation = `read_parquet(${sqlString(file)}, file_row_number = true)`;
    for (const chunk of chunks) {
      const column = chunk.path_in_schema;
      if (column === 'payload') continue;  // DuckDB prints BLOB statistics escaped
      const lo = Number(chunk.row_group_id) * 10000;
      const [expected] = await query(`SELECT count(*) - count("${column}") AS nulls, min("${column}")::VARCHAR AS lo,
        max("${column}")::VARCHAR AS hi FROM ${relation} WHERE file_row_number >= ${lo} AND file_row_number < ${lo + 10000}`);
      assert.equal(chunk.stats_null_count, expected.nulls, `${column} null count`);
      if (column === 'name') {
        // Long strings are truncated to a prefix that still bounds the values.
        assert.ok(chunk.stats_min_value <= expected.lo, `${column} min`);
        assert.ok(chunk.stats_max_value >= expected.hi, `${column} max`);
        continue;
      }
      const [actual] = await query(`SELECT ${sqlString(chunk.stats_min_value)}::VARCHAR AS lo`);
      assert.ok(actual.lo !== undefined);
      if (['id', 'amount', 'price', 'big'].includes(column)) {
        assert.equal(Number(chunk.stats_min_value), Number(expected.lo), `${column} min`);
        assert.equal(Number(chunk.stats_max_value), Number(expected.hi), `${column} max`);
      } else if (column === 'flag') {
        assert.equal(chunk.stats_min_value, expected.lo, `${column} min`);
        assert.equal(chunk.stats_max_value, expected.hi, `${column} max`);
      } else {
        assert.equal(chunk.stats_min_value.replace('+00', ''), expected.lo.replace('+00', ''), `${column} min`);
        assert.equal(chunk.stats_max_value.replace('+00', ''), expected.hi.replace('+00', ''), `${column} max`);
      }
    }
  });

  test('encodings: dictionary by default, plain with --no-dictionary', async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const withDictionary = path.join(work, 'dict.parquet');
    const plain = path.join(work, 'plain.parquet');
    exportOk(['export', '--from', 'gen:rows=5000', '--to', withDictionary, '--quiet']);
    exportOk(['export', '--from', 'gen:rows=5000', '--to', plain, '--no-dictionary', '--quiet']);
    for (const row of await metadata(withDictionary)) {
      if (row.path_in_schema === 'flag') assert.equal(row.encodings, 'PLAIN, RLE');
      else assert.match(row.encodings, /RLE_DICTIONARY/);
    }
    for (const row of await metadata(plain)) assert.doesNotMatch(row.encodings, /DICTIONARY/);
    assert.equal(await countDifferences(`read_parquet(${sqlString(plain)})`, `read_parquet(${sqlString(withDictionary)})`), 0);
  });

  test('hyparquet reads the same values as DuckDB', async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const file = path.join(work, 'gen.parquet');
    exportOk(['export', '--from', 'gen:rows=3000', '--to', file, '--row-group-rows', '1000', '--quiet']);
    const rows = await parquetReadObjects({
      file: await asyncBufferFromFile(file),
      compressors,
      utf8: false,
      parsers: {
        dateFromDays: (days) => days,
        timestampFromMicroseconds: (micros) => BigInt(micros),
        timestampFromMilliseconds: (millis) => BigInt(millis) * 1000n,
        timestampFromNanoseconds: (nanos) => BigInt(nanos) / 1000n,
        stringFromBytes: (bytes) => (bytes === undefined ? bytes : new TextDecoder().decode(bytes)),
      },
    });
    const expected = await query(`SELECT id::VARCHAR AS id, flag, amount, price::VARCHAR AS price,
      big::VARCHAR AS big, name, hex(payload) AS payload, (day - DATE '1970-01-01')::BIGINT::VARCHAR AS day,
      epoch_us(local_time)::VARCHAR AS local_time, epoch_us(instant)::VARCHAR AS instant
      FROM read_parquet(${sqlString(file)}, file_row_number = true) ORDER BY file_row_number`);
    assert.equal(rows.length, expected.length);
    const hex = (bytes) => Buffer.from(bytes).toString('hex').toUpperCase();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const want = expected[i];
      assert.equal(String(row.id), want.id, `row ${i} id`);
      assert.equal(row.flag, want.flag, `row ${i} flag`);
      assert.equal(row.amount, want.amount, `row ${i} amount`);
      assert.equal(row.name, want.name, `row ${i} name`);
      assert.equal(row.payload == null ? null : hex(row.payload), want.payload, `row ${i} payload`);
      assert.equal(row.day == null ? null : String(row.day), want.day, `row ${i} day`);
      assert.equal(row.local_time == null ? null : String(row.local_time), want.local_time, `row ${i} local_time`);
      assert.equal(row.instant == null ? null : String(row.instant), want.instant, `row ${i} instant`);
      // hyparquet returns decimals as doubles: compare to double precision.
      for (const column of ['price', 'big']) {
        if (want[column] === null) {
          assert.equal(row[column], null, `row ${i} ${column}`);
        } else {
          const relative = Math.abs(row[column] - Number(want[column])) / Math.max(1, Math.abs(Number(want[column])));
          assert.ok(relative < 1e-12, `row ${i} ${column}: ${row[column]} vs ${want[column]}`);
        }
      }
    }
  });

  test('zero rows give a valid file with the schema', async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const file = path.join(work, 'empty.parquet');
    exportOk(['export', '--from', 'gen:rows=0', '--to', file, '--quiet']);
    const [{ count }] = await query(`SELECT count(*) AS count FROM read_parquet(${sqlString(file)})`);
    assert.equal(count, '0');
    const columns = await query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    assert.equal(columns.length, GEN_COLUMNS.length);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
    assert.equal(rows.length, 0);
  });

  test('column names with spaces, dots and non-ASCII text', async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const csv = path.join(work, 'names.csv');
    fs.writeFileSync(csv, '"with space","dotted.name","naïve 日本"\n1,2,3\n');
    const file = path.join(work, 'names.parquet');
    exportOk(['export', '--from', csv, '--to', file, '--quiet']);
    const columns = await query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    assert.deepEqual(columns.map((row) => row.column_name), ['with space', 'dotted.name', 'naïve 日本']);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
    assert.deepEqual(Object.keys(rows[0]), ['with space', 'dotted.name', 'naïve 日本']);
  });

  test('invalid codec is rejected before any row', (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const result = runSluice(['export', '--from', 'gen:rows=10', '--to', path.join(work, 'x.parquet'),
      '--parquet-codec', 'lzma']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid Parquet codec 'lzma'/);
  });

  test('flights-3m.parquet round trip through sluice', { skip: !fs.existsSync(FLIGHTS) && 'vega-datasets missing' }, async (t) => {
    const work = tempDir(t, 'sluice-parquet-');
    const file = path.join(work, 'flights.parquet');
    exportOk(['export', '--from', FLIGHTS, '--to', file, '--quiet']);
    assert.equal(await countDifferences(`read_parquet(${sqlString(FLIGHTS)})`, `read_parquet(${sqlString(file)})`), 0);
    const [{ count }] = await query(`SELECT count(*) AS count FROM read_parquet(${sqlString(file)})`);
    const [{ source }] = await query(`SELECT count(*) AS source FROM read_parquet(${sqlString(FLIGHTS)})`);
    assert.equal(count, source);
  });
});
