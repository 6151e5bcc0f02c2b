// Parquet files written by DuckDB (every codec, data page v1 and v2, many
// physical types and encodings) read by sluice and written back out; DuckDB
// then checks that every value survived. Also corrupt and nested files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { SKIP_WITHOUT_BINARY, exportOk, query, runSluice, sqlString, tempDir } from './helpers.mjs';

const ROWS = 50000;

// Source columns, and each one as the Sluice type it should read as.
const SOURCE_SQL = `SELECT
  i AS big,
  i::INTEGER AS int32,
  (i % 30000)::SMALLINT AS small,
  (i % 200)::UTINYINT AS utiny,
  (i::UBIGINT * 300000000000000) AS ubig,
  CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 1.5)::DOUBLE END AS dbl,
  (i / 3.0)::FLOAT AS flt,
  ((i % 1000000) / 100)::DECIMAL(9,2) AS d9,
  (i * 1000.125)::DECIMAL(18,3) AS d18,
  (i::HUGEINT * 1000000000000 + 123456)::DECIMAL(38,6) AS d38,
  CASE WHEN i % 11 = 0 THEN NULL ELSE 'row-' || i END AS str,
  repeat('x', (i % 50)::INTEGER) AS varlen,
  (i % 10)::VARCHAR AS lowcard,
  CASE WHEN i % 13 = 0 THEN NULL ELSE encode('b' || i) END AS blob,
  DATE '1960-01-01' + (i % 40000)::INTEGER AS day,
  TIMESTAMP '1950-01-01' + i * INTERVAL 17 SECOND AS ts,
  (TIMESTAMP '2000-01-01' + i * INTERVAL 1 SECOND)::TIMESTAMPTZ AS tstz,
  (TIMESTAMP '2000-01-01' + i * INTERVAL 1 MILLISECOND)::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP '1969-12-31' + i * INTERVAL 3 MICROSECOND)::TIMESTAMP_NS AS ts_ns,
  CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS flag
FROM range(${ROWS}) t(i)`;

const EXPECTED_TYPES = {
  big: 'BIGINT', int32: 'BIGINT', small: 'BIGINT', utiny: 'BIGINT', ubig: 'DECIMAL(20,0)', dbl: 'DOUBLE',
  flt: 'DOUBLE', d9: 'DECIMAL(9,2)', d18: 'DECIMAL(18,3)', d38: 'DECIMAL(38,6)', str: 'VARCHAR',
  varlen: 'VARCHAR', lowcard: 'VARCHAR', blob: 'BLOB', day: 'DATE', ts: 'TIMESTAMP',
  tstz: 'TIMESTAMP WITH TIME ZONE', ts_ms: 'TIMESTAMP', ts_ns: 'TIMESTAMP', flag: 'BOOLEAN',
};

// The source as Sluice should read it: each column cast to its expected type.
function expectedRelation(file) {
  const columns = Object.entries(EXPECTED_TYPES).map(([name, type]) =>
    `${name}::${type === 'TIMESTAMP WITH TIME ZONE' ? 'TIMESTAMPTZ' : type} AS ${name}`);
  return `(SELECT ${columns.join(', ')} FROM read_parquet(${sqlString(file)}))`;
}

async function countDifferences(left, right) {
  const [{ count }] = await query(
    `SELECT count(*) AS count FROM ((FROM ${left} EXCEPT ALL FROM ${right}) UNION ALL (FROM ${right} EXCEPT ALL FROM ${left}))`,
  );
  return Number(count);
}

describe('parquet read', { skip: SKIP_WITHOUT_BINARY }, () => {
  const encodingsSeen = new Set();

  for (const version of ['V1', 'V2']) {
    for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd']) {
      test(`DuckDB file, ${codec}, data page ${version}`, async (t) => {
        const dir = tempDir(t, 'sluice-parquet-read-');
        const source = path.join(dir, 'duck.parquet');
        const output = path.join(dir, 'out.parquet');
        await query(`COPY (${SOURCE_SQL}) TO ${sqlString(source)}
          (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 20000)`);
        for (const row of await query(`SELECT DISTINCT encodings FROM parquet_metadata(${sqlString(source)})`)) {
          for (const encoding of row.encodings.split(', ')) encodingsSeen.add(encoding);
        }

        // A small chunk size splits each row group into many batches.
        exportOk(['export', '--from', source, '--to', output, '--chunk-size', '64KB', '--quiet']);

        const described = await query(`DESCRIBE SELECT * FROM read_parquet(${sqlString(output)})`);
        assert.deepEqual(Object.fromEntries(described.map((row) => [row.column_name, row.column_type])), EXPECTED_TYPES);
        assert.equal(await countDifferences(expectedRelation(source), `read_parquet(${sqlString(output)})`), 0);
      });
    }
  }

  test('DuckDB files used the delta and byte-stream-split encodings', () => {
    for (const encoding of ['PLAIN', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'BYTE_STREAM_SPLIT']) {
      assert.ok(encodingsSeen.has(encoding), `${encoding} among ${[...encodingsSeen].join(', ')}`);
    }
  });

  test('exact row count from the footer', async (t) => {
    const dir = tempDir(t, 'sluice-parquet-read-');
    const source = path.join(dir, 'duck.parquet');
    await query(`COPY (${SOURCE_SQL}) TO ${sqlString(source)} (FORMAT parquet, ROW_GROUP_SIZE 7000)`);
    const result = exportOk(['inspect', source, '--json']);
    const info = JSON.parse(result.stdout.toString('utf8'));
    assert.equal(info.rowEstimate, ROWS);
    assert.equal(info.rowEstimateExact, true);
    assert.equal(info.columns.length, Object.keys(EXPECTED_TYPES).length);
  });

  test('nested column is rejected by name', async (t) => {
    const dir = tempDir(t, 'sluice-parquet-read-');
    const source = path.join(dir, 'nested.parquet');
    await query(`COPY (SELECT 1 AS plain, {'a': 1, 'b': 'x'} AS point) TO ${sqlString(source)} (FORMAT parquet)`);
    const result = runSluice(['export', '--from', source, '--to', path.join(dir, 'out.csv')]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /Parquet column 'point' is nested/);
  });

  test('corrupt files give a clear error, never a crash', async (t) => {
    const dir = tempDir(t, 'sluice-parquet-read-');
    const good = path.join(dir, 'good.parquet');
    await query(`COPY (${SOURCE_SQL}) TO ${sqlString(good)} (FORMAT parquet, COMPRESSION snappy)`);
    const bytes = fs.readFileSync(good);

    const footerLengthPastFile = Buffer.from(bytes);
    footerLengthPastFile.writeUInt32LE(bytes.length + 100, bytes.length - 8);
    const corruptPage = Buffer.from(bytes);
    for (let i = 200; i < 400; i++) corruptPage[i] ^= 0x5a;
    const cases = {
      truncated: [bytes.subarray(0, Math.floor(bytes.length / 2)), /missing the PAR1 magic/],
      'bad magic': [Buffer.concat([Buffer.from('XXXX'), bytes.subarray(4)]), /missing the PAR1 magic/],
      'footer length past the file': [footerLengthPastFile, /footer length .* larger than the file/],
      'corrupt page': [corruptPage, /corrupt Parquet/],
      empty: [Buffer.alloc(0), /too short/],
    };
    for (const [name, [content, pattern]] of Object.entries(cases)) {
      const file = path.join(dir, `${name.replaceAll(' ', '-')}.parquet`);
      fs.writeFileSync(file, content);
      const result = runSluice(['export', '--from', file, '--to', path.join(dir, 'out.csv'), '--quiet']);
      assert.equal(result.signal, null, `${name}: killed by a signal`);
      assert.equal(result.code, 3, `${name}: ${result.stderr}`);
      assert.match(result.stderr, pattern, name);
      assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line`);
    }
  });
});
