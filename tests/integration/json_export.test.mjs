// JSON array output read back by DuckDB (decimals by an exact parser): every
// value of the typed fixtures survives, --pretty changes only layout, and
// non-finite doubles become the strings "NaN", "Infinity" and "-Infinity".
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  DATA_DIR, SKIP_WITHOUT_BINARY, exportOk, firstDifference, loadTypesExpected, parseJsonExact,
  readDecompressed, readOutput, tempDir,
} from './helpers.mjs';

const { schema, rows: expected } = loadTypesExpected();

function exportFixture(dir, source, name, extra = []) {
  const output = path.join(dir, name);
  exportOk(['export', '--from', path.join(DATA_DIR, source), '--to', output, '--schema', schema, '--quiet', ...extra]);
  return output;
}

describe('json export', { skip: SKIP_WITHOUT_BINARY }, () => {
  for (const source of ['types.csv', 'types_crlf.csv', 'types.ndjson', 'types.json']) {
    test(`every value from ${source} round-trips`, async (t) => {
      const dir = tempDir(t);
      const output = exportFixture(dir, source, 'out.json');
      const parsed = JSON.parse(fs.readFileSync(output, 'utf8'));
      assert.ok(Array.isArray(parsed), 'output is one JSON array');
      assert.equal(parsed.length, expected.length);
      const rows = await readOutput(output, 'json', schema);
      assert.equal(firstDifference(rows, expected), null);
    });
  }

  test('int64 extremes are exact JSON numbers or strings', (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.json');
    const rows = parseJsonExact(fs.readFileSync(output, 'utf8'));
    const text = (value) => (typeof value === 'string' ? value : value.text);
    assert.equal(text(rows[0].i64), '9223372036854775807');
    assert.equal(text(rows[1].i64), '-9223372036854775808');
  });

  test('null and empty string stay distinct', (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.json');
    const rows = JSON.parse(fs.readFileSync(output, 'utf8'));
    assert.equal(rows[1].s, '');
    assert.equal(rows[2].s, null);
    assert.ok('s' in rows[2], 'a null is written, not left out');
  });

  test('pretty output has the same values', async (t) => {
    const dir = tempDir(t);
    const compact = exportFixture(dir, 'types.csv', 'compact.json');
    const pretty = exportFixture(dir, 'types.csv', 'pretty.json', ['--pretty']);
    const prettyText = fs.readFileSync(pretty, 'utf8');
    assert.ok(prettyText.split('\n').length > expected.length, 'pretty output spans many lines');
    assert.deepEqual(JSON.parse(prettyText), JSON.parse(fs.readFileSync(compact, 'utf8')));
    assert.equal(firstDifference(await readOutput(pretty, 'json', schema), expected), null);
  });

  for (const extension of ['gz', 'zst']) {
    test(`compressed .json.${extension}`, async (t) => {
      const dir = tempDir(t);
      const plain = exportFixture(dir, 'types.ndjson', 'plain.json');
      const compressed = exportFixture(dir, 'types.ndjson', `out.json.${extension}`);
      assert.deepEqual(readDecompressed(compressed), fs.readFileSync(plain));
      assert.equal(firstDifference(await readOutput(compressed, 'json', schema), expected), null);
    });
  }

  test('non-finite doubles become strings', (t) => {
    const dir = tempDir(t);
    const source = path.join(dir, 'special.csv');
    fs.writeFileSync(source, 'id,f\n1,NaN\n2,Infinity\n3,-Infinity\n4,\n5,-0.5\n');
    const output = path.join(dir, 'out.json');
    exportOk(['export', '--from', source, '--to', output, '--schema', 'id:int64,f:float64', '--quiet']);
    const rows = JSON.parse(fs.readFileSync(output, 'utf8'));
    assert.deepEqual(rows.map((row) => row.f), ['NaN', 'Infinity', '-Infinity', null, -0.5]);
  });

  test('empty source gives an empty array', (t) => {
    const dir = tempDir(t);
    const source = path.join(dir, 'empty.csv');
    fs.writeFileSync(source, 'id,s\n');
    const output = path.join(dir, 'out.json');
    exportOk(['export', '--from', source, '--to', output, '--schema', 'id:int64,s:string', '--quiet']);
    assert.deepEqual(JSON.parse(fs.readFileSync(output, 'utf8')), []);
  });

  test('format option overrides the extension', (t) => {
    const dir = tempDir(t);
    const output = exportFixture(dir, 'types.csv', 'out.txt', ['--format', 'json']);
    assert.equal(JSON.parse(fs.readFileSync(output, 'utf8')).length, expected.length);
  });

  test('standard output receives a JSON array', (t) => {
    const result = exportOk([
      'export', '--from', path.join(DATA_DIR, 'types.csv'), '--to', '-', '--format', 'json', '--schema', schema, '--quiet',
    ]);
    const rows = JSON.parse(result.stdout.toString('utf8'));
    assert.equal(rows.length, expected.length);
    assert.equal(rows[8].s, 'emoji 😀🚀');
  });
});
