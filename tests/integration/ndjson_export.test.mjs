// NDJSON output read back by DuckDB (decimals by an exact parser): one JSON
// object per line, every value of the typed fixtures survives.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  DATA_DIR, SKIP_WITHOUT_BINARY, exportOk, firstDifference, loadTypesExpected, readDecompressed,
  readOutput, tempDir,
} from './helpers.mjs';

const { schema, rows: expected } = loadTypesExpected();

function exportFixture(dir, source, name, extra = []) {
  const output = path.join(dir, name);
  exportOk(['export', '--from', path.join(DATA_DIR, source), '--to', output, '--schema', schema, '--quiet', ...extra]);
  return output;
}

describe('ndjson export', { skip: SKIP_WITHOUT_BINARY }, () => {
  for (const source of ['types.csv', 'types_crlf.csv', 'types.ndjson', 'types.json']) {
    test(`every value from ${source} round-trips`, async (t) => {
      const dir = tempDir(t);
      const output = exportFixture(dir, source, 'out.ndjson');
      const rows = await readOutput(output, 'ndjson', schema);
      assert.equal(rows.length, expected.length);
      assert.equal(firstDifference(rows, expected), null);
    });
  }

  test('one object per line with escaped newlines', (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.ndjson');
    const text = fs.readFileSync(output, 'utf8');
    assert.ok(text.endsWith('\n'), 'the last record ends with a newline');
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines.length, expected.length, 'newlines inside strings are escaped');
    assert.ok(!text.includes('\r'), 'carriage returns inside strings are escaped');
    const objects = lines.map((line) => JSON.parse(line));
    assert.equal(objects[4].s, 'line1\nline2');
    assert.equal(objects[5].s, 'crlf1\r\ncrlf2');
    assert.equal(objects[6].s, 'café é');
    assert.equal(objects[7].s, '中文');
    assert.deepEqual(Object.keys(objects[0]), ['id', 'i64', 'small_dec', 'big_dec', 'f', 'b', 's', 'd', 'ts', 'tz']);
  });

  test('.jsonl extension selects NDJSON', async (t) => {
    const dir = tempDir(t);
    const ndjson = exportFixture(dir, 'types.csv', 'out.ndjson');
    const jsonl = exportFixture(dir, 'types.csv', 'out.jsonl', ['--format', 'ndjson']);
    assert.deepEqual(fs.readFileSync(jsonl), fs.readFileSync(ndjson));
  });

  for (const extension of ['gz', 'zst']) {
    test(`compressed .ndjson.${extension}`, async (t) => {
      const dir = tempDir(t);
      const plain = exportFixture(dir, 'types.json', 'plain.ndjson');
      const compressed = exportFixture(dir, 'types.json', `out.ndjson.${extension}`);
      assert.deepEqual(readDecompressed(compressed), fs.readFileSync(plain));
      assert.equal(firstDifference(await readOutput(compressed, 'ndjson', schema), expected), null);
    });
  }

  test('explicit zstd level still decompresses', async (t) => {
    const dir = tempDir(t);
    const plain = exportFixture(dir, 'types.csv', 'plain.ndjson');
    const compressed = exportFixture(dir, 'types.csv', 'out.ndjson.zst', ['--compression', 'zstd', '--compression-level', '19']);
    assert.deepEqual(readDecompressed(compressed), fs.readFileSync(plain));
  });

  test('standard output receives the same bytes as a file', (t) => {
    const dir = tempDir(t);
    const file = exportFixture(dir, 'types.ndjson', 'out.ndjson');
    const result = exportOk([
      'export', '--from', path.join(DATA_DIR, 'types.ndjson'), '--to', '-', '--format', 'ndjson', '--schema', schema, '--quiet',
    ]);
    assert.deepEqual(result.stdout, fs.readFileSync(file));
  });

  test('input format option overrides the extension', async (t) => {
    const dir = tempDir(t);
    const source = path.join(dir, 'rows.txt');
    fs.copyFileSync(path.join(DATA_DIR, 'types.ndjson'), source);
    const output = path.join(dir, 'out.ndjson');
    exportOk(['export', '--from', source, '--input-format', 'ndjson', '--to', output, '--schema', schema, '--quiet']);
    assert.equal(firstDifference(await readOutput(output, 'ndjson', schema), expected), null);
  });
});
