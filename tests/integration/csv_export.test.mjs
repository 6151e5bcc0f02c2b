// CSV output read back by DuckDB: every value of the typed fixtures survives,
// and null and empty string stay distinct in both quoting modes. The writer
// options (delimiter, null string, line ending, BOM, header, compression,
// temporal formats, formula guard) are checked on the raw text too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  DATA_DIR, SKIP_WITHOUT_BINARY, exportOk, firstDifference, loadTypesExpected, readCsv,
  readDecompressed, readOutput, tempDir,
} from './helpers.mjs';

const { schema, rows: expected } = loadTypesExpected();

const SOURCES = ['types.csv', 'types_crlf.csv', 'types.ndjson', 'types.json'];

// Exports the fixture `source` to `dir/name` with `extra` options and returns the output path.
function exportFixture(dir, source, name, extra = []) {
  const output = path.join(dir, name);
  exportOk(['export', '--from', path.join(DATA_DIR, source), '--to', output, '--schema', schema, '--quiet', ...extra]);
  return output;
}

// Splits CSV text into records of raw fields (quotes kept), for checks on
// how each field was written.
function rawCsvRecords(text, delimiter = ',', quote = '"') {
  const records = [];
  let record = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      field += c;
      if (c === quote) {
        if (text[i + 1] === quote) { field += quote; i++; } else inQuotes = false;
      }
    } else if (c === quote) {
      field += c;
      inQuotes = true;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

describe('csv export', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('DuckDB reads the source fixtures as expected', async () => {
    for (const name of ['types.csv', 'types_crlf.csv']) {
      const rows = await readCsv(path.join(DATA_DIR, name), schema);
      assert.equal(firstDifference(rows, expected), null, name);
    }
    for (const [name, format] of [['types.ndjson', 'ndjson'], ['types.json', 'json']]) {
      const rows = await readOutput(path.join(DATA_DIR, name), format, schema);
      assert.equal(firstDifference(rows, expected), null, name);
    }
  });

  for (const source of SOURCES) {
    test(`every value from ${source} round-trips`, async (t) => {
      const dir = tempDir(t);
      const output = exportFixture(dir, source, 'out.csv');
      const rows = await readCsv(output, schema);
      assert.equal(rows.length, expected.length);
      assert.equal(firstDifference(rows, expected), null);
    });
  }

  test('minimal quoting keeps null and empty string apart', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv');
    const records = rawCsvRecords(fs.readFileSync(output, 'utf8'));
    const column = records[0].indexOf('s');
    assert.notEqual(column, -1);
    assert.equal(records[2][column], '""', 'empty string is quoted');
    assert.equal(records[3][column], '', 'null is an empty unquoted field');
    assert.equal(records[1][column], 'plain', 'plain text is not quoted');
    assert.equal(records[4][column], '"Say ""hello"", world"');
  });

  test('always quoting keeps null and empty string apart', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv', ['--quoting', 'always']);
    const records = rawCsvRecords(fs.readFileSync(output, 'utf8'));
    const column = records[0].indexOf('"s"') !== -1 ? records[0].indexOf('"s"') : records[0].indexOf('s');
    assert.equal(records[2][column], '""', 'empty string is quoted');
    assert.equal(records[3][column], '', 'null stays unquoted');
    assert.equal(records[1][column], '"plain"');
    for (const field of records[3].slice(1)) assert.equal(field, '', 'every null field is unquoted');
    assert.equal(firstDifference(await readCsv(output, schema), expected), null);
  });

  for (const quoting of ['minimal', 'always']) {
    test(`null string NULL with ${quoting} quoting`, async (t) => {
      const dir = tempDir(t);
      const output = exportFixture(dir, 'types.csv', 'out.csv', ['--null-string', 'NULL', '--quoting', quoting]);
      const records = rawCsvRecords(fs.readFileSync(output, 'utf8'));
      const column = records[0].findIndex((field) => field === 's' || field === '"s"');
      assert.equal(records[3][column], 'NULL', 'a null is the bare null string');
      assert.equal(records[10][column], '"NULL"', 'the string "NULL" is quoted');
      assert.equal(records[2][column], '""');
      const rows = await readCsv(output, schema, { nullstr: 'NULL' });
      assert.equal(firstDifference(rows, expected), null);
    });
  }

  for (const delimiter of [';', '\t', '|']) {
    test(`delimiter ${JSON.stringify(delimiter)}`, async (t) => {
      const dir = tempDir(t);
      const output = exportFixture(dir, 'types.csv', 'out.csv', ['--delimiter', delimiter]);
      const rows = await readCsv(output, schema, { delim: delimiter });
      assert.equal(firstDifference(rows, expected), null);
    });
  }

  test('single-quote quote character', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv', ['--quote', "'"]);
    const rows = await readCsv(output, schema, { quote: "'" });
    assert.equal(firstDifference(rows, expected), null);
  });

  test('crlf line ending ends every record with CRLF', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv', ['--line-ending', 'crlf']);
    const text = fs.readFileSync(output, 'utf8');
    assert.ok(text.startsWith('id,i64,small_dec,big_dec,f,b,s,d,ts,tz\r\n'));
    assert.ok(text.endsWith('\r\n'));
    assert.equal(firstDifference(await readCsv(output, schema), expected), null);
  });

  test('lf line ending is the default', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types_crlf.csv', 'out.csv');
    const text = fs.readFileSync(output, 'utf8');
    assert.ok(text.startsWith('id,i64,small_dec,big_dec,f,b,s,d,ts,tz\n'));
    // The only CR left is the one inside the quoted field of row 6.
    assert.equal(text.split('\r').length - 1, 1);
  });

  test('no header omits the header row', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv', ['--no-header']);
    assert.ok(fs.readFileSync(output, 'utf8').startsWith('1,9223372036854775807,1.10,'));
    const rows = await readCsv(output, schema, { header: false });
    assert.equal(firstDifference(rows, expected), null);
  });

  test('bom is written once at the start', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv', ['--bom']);
    const bytes = fs.readFileSync(output);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.toString('latin1').split('\xef\xbb\xbf').length - 1, 1, 'exactly one BOM');
    assert.equal(bytes.subarray(3, 6).toString(), 'id,');
    assert.equal(firstDifference(await readCsv(output, schema), expected), null);
  });

  test('no bom by default', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv');
    assert.equal(fs.readFileSync(output).subarray(0, 3).toString(), 'id,');
  });

  for (const extension of ['gz', 'zst']) {
    test(`compression from .${extension} extension`, async (t) => {
      const dir = tempDir(t);
      const plain = exportFixture(dir, 'types.csv', 'plain.csv');
      const compressed = exportFixture(dir, 'types.csv', `out.csv.${extension}`);
      assert.deepEqual(readDecompressed(compressed), fs.readFileSync(plain));
      assert.equal(firstDifference(await readCsv(compressed, schema), expected), null);
    });
  }

  test('compression option overrides a plain extension', async (t) => {
    const dir = tempDir(t);
    const plain = exportFixture(dir, 'types.csv', 'plain.csv');
    const output = exportFixture(dir, 'types.csv', 'out.csv', ['--compression', 'gzip', '--compression-level', '9']);
    assert.deepEqual([...fs.readFileSync(output).subarray(0, 2)], [0x1f, 0x8b]);
    const renamed = path.join(dir, 'renamed.csv.gz');
    fs.copyFileSync(output, renamed);
    assert.deepEqual(readDecompressed(renamed), fs.readFileSync(plain));
  });

  test('standard output receives the same bytes as a file', (t) => {
    const dir = tempDir(t);
    const file = exportFixture(dir, 'types.csv', 'out.csv');
    const result = exportOk([
      'export', '--from', path.join(DATA_DIR, 'types.csv'), '--to', '-', '--format', 'csv', '--schema', schema, '--quiet',
    ]);
    assert.deepEqual(result.stdout, fs.readFileSync(file));
    assert.deepEqual(fs.readdirSync(dir), ['out.csv'], 'no file named "-" is created');
  });

  test('date and timestamp formats', async (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv', [
      '--date-format', '%d/%m/%Y', '--timestamp-format', '%Y-%m-%d %H:%M:%S.%f',
    ]);
    const records = rawCsvRecords(fs.readFileSync(output, 'utf8'));
    const header = records[0];
    const row1 = records[1];
    assert.equal(row1[header.indexOf('d')], '31/12/1969');
    assert.equal(row1[header.indexOf('ts')], '1969-12-31 23:59:59.500000');
    assert.equal(records[2][header.indexOf('d')], '01/01/1900');
    assert.equal(records[2][header.indexOf('ts')], '1900-01-01 00:00:00.000001');
    assert.equal(records[3][header.indexOf('d')], '', 'nulls stay empty');
  });

  test('default temporal text is ISO 8601', (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.csv');
    const records = rawCsvRecords(fs.readFileSync(output, 'utf8'));
    const header = records[0];
    assert.equal(records[1][header.indexOf('d')], '1969-12-31');
    assert.match(records[1][header.indexOf('ts')], /^1969-12-31T23:59:59\.50*$/);
    assert.match(records[1][header.indexOf('tz')], /^1969-12-31T23:59:59\.50*Z$/);
    assert.equal(records[2][header.indexOf('tz')], '2024-01-01T06:30:00Z');
    assert.equal(records[1][header.indexOf('i64')], '9223372036854775807');
    assert.equal(records[2][header.indexOf('i64')], '-9223372036854775808');
    assert.equal(records[1][header.indexOf('small_dec')], '1.10');
    assert.equal(records[2][header.indexOf('big_dec')], '-9999999999999999999999999999.9999999999');
    assert.equal(records[5][header.indexOf('f')], '0.30000000000000004');
  });

  test('non-finite doubles are NaN and Infinity', (t) => {
    const dir = tempDir(t);
    const source = path.join(dir, 'special.csv');
    fs.writeFileSync(source, 'id,f\n1,NaN\n2,Infinity\n3,-Infinity\n4,\n');
    const output = path.join(dir, 'out.csv');
    exportOk(['export', '--from', source, '--to', output, '--schema', 'id:int64,f:float64', '--quiet']);
    assert.equal(fs.readFileSync(output, 'utf8'), 'id,f\n1,NaN\n2,Infinity\n3,-Infinity\n4,\n');
  });

  test('formula guard prefixes risky text', (t) => {
    const dir = tempDir(t);
    const source = path.join(dir, 'formulas.csv');
    fs.writeFileSync(source, 's\n=1+2\n+3\n-4\n@SUM(A1)\nsafe\n');
    const output = path.join(dir, 'out.csv');
    exportOk(['export', '--from', source, '--to', output, '--schema', 's:string', '--formula-guard', '--quiet']);
    const records = rawCsvRecords(fs.readFileSync(output, 'utf8')).map((record) => record[0].replace(/^"|"$/g, ''));
    assert.deepEqual(records, ['s', "'=1+2", "'+3", "'-4", "'@SUM(A1)", 'safe']);
  });
});
