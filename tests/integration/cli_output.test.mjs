// Command-line behaviour around the output: splitting by --max-file-size with
// a manifest, --progress=json updates, --version and inspect.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  DATA_DIR, SKIP_WITHOUT_BINARY, exportOk, firstDifference, listDir, progressEvents, readCsv, readJson,
  runSluice, tempDir,
} from './helpers.mjs';

const GEN_SCHEMA =
  'id:int64,flag:boolean,amount:float64,price:decimal(18,2),big:decimal(38,10),name:string,' +
  'payload:binary,day:date,local_time:timestamp,instant:timestamptz';

const PART_LIMIT = 64 * 1024;

// Returns the manifest's part entries, whether the file is an array or an
// object with a "parts" array.
function manifestParts(manifestPath) {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const parts = Array.isArray(manifest) ? manifest : manifest.parts;
  assert.ok(Array.isArray(parts), `manifest lists parts: ${JSON.stringify(manifest).slice(0, 200)}`);
  return parts;
}

// Counts the records in CSV text, allowing for newlines inside quoted fields.
function countCsvRecords(text) {
  let records = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') inQuotes = !inQuotes;
    else if (text[i] === '\n' && !inQuotes) records++;
  }
  return records;
}

describe('split output', { skip: SKIP_WITHOUT_BINARY }, () => {
  for (const format of ['csv', 'ndjson']) {
    test(`parts and manifest for ${format}`, async (t) => {
      const dir = tempDir(t);
      const rowCount = 5000;
      const output = path.join(dir, `out.${format}`);
      exportOk([
        'export', '--from', `gen:rows=${rowCount}&seed=11`, '--to', output,
        '--max-file-size', '64KB', '--chunk-size', '8KB', '--quiet',
      ]);

      const files = listDir(dir);
      const partFiles = files.filter((name) => /^out\.part-\d{5}\./.test(name));
      assert.ok(partFiles.length >= 2, `several parts: ${files.join(', ')}`);
      assert.equal(partFiles[0], `out.part-00001.${format}`);
      assert.ok(!files.includes(`out.${format}`), 'the unsplit name is not written');
      assert.ok(files.includes(`out.${format}.manifest.json`), `manifest present: ${files.join(', ')}`);
      assert.deepEqual(files.sort(), [...partFiles, `out.${format}.manifest.json`].sort(), 'no other files are left');

      const parts = manifestParts(path.join(dir, `out.${format}.manifest.json`));
      assert.equal(parts.length, partFiles.length);
      let manifestRows = 0;
      parts.forEach((part, index) => {
        const partPath = path.resolve(dir, part.path);
        assert.equal(path.basename(partPath), `out.part-${String(index + 1).padStart(5, '0')}.${format}`);
        const bytes = fs.readFileSync(partPath);
        assert.equal(part.bytes, bytes.length, `bytes of ${part.path}`);
        assert.ok(bytes.length <= PART_LIMIT, `${part.path} is ${bytes.length} bytes, above the 64 KiB limit`);
        assert.equal(part.sha256, crypto.createHash('sha256').update(bytes).digest('hex'), `sha256 of ${part.path}`);
        const text = bytes.toString('utf8');
        const records = format === 'csv' ? countCsvRecords(text) - 1 : text.split('\n').filter(Boolean).length;
        assert.equal(part.rows, records, `rows of ${part.path}`);
        manifestRows += part.rows;
      });
      assert.equal(manifestRows, rowCount);

      const partPaths = partFiles.map((name) => path.join(dir, name));
      const rows = format === 'csv' ? await readCsv(partPaths, GEN_SCHEMA) : await readJson(partPaths, GEN_SCHEMA, 'ndjson');
      assert.equal(rows.length, rowCount);
      assert.deepEqual(rows.map((row) => Number(row.id)), Array.from({ length: rowCount }, (_, i) => i + 1));
    });
  }

  test('split parts equal the unsplit file', async (t) => {
    const dir = tempDir(t);
    const whole = path.join(dir, 'whole.ndjson');
    const split = path.join(dir, 'split', 'out.ndjson');
    fs.mkdirSync(path.dirname(split));
    exportOk(['export', '--from', 'gen:rows=4000&seed=5', '--to', whole, '--chunk-size', '8KB', '--quiet']);
    exportOk([
      'export', '--from', 'gen:rows=4000&seed=5', '--to', split, '--max-file-size', '64KB', '--chunk-size', '8KB', '--quiet',
    ]);
    const parts = manifestParts(`${split}.manifest.json`);
    const joined = Buffer.concat(parts.map((part) => fs.readFileSync(path.resolve(path.dirname(split), part.path))));
    assert.deepEqual(joined, fs.readFileSync(whole));
  });

  test('output below the limit is not split', (t) => {
    const dir = tempDir(t);
    const output = path.join(dir, 'out.csv');
    exportOk(['export', '--from', 'gen:rows=10', '--to', output, '--max-file-size', '64KB', '--chunk-size', '8KB', '--quiet']);
    assert.ok(listDir(dir).includes('out.csv'), listDir(dir).join(', '));
    assert.ok(!listDir(dir).some((name) => name.includes('.part-')));
  });
});

describe('progress', { skip: SKIP_WITHOUT_BINARY }, () => {
  const KEYS = [
    'exportId', 'percentComplete', 'recordsExported', 'totalRecords', 'estimatedTimeRemaining',
    'currentChunk', 'totalChunks', 'bytesWritten',
  ];

  test('json progress lines end at 100 percent', (t) => {
    const dir = tempDir(t);
    const output = path.join(dir, 'out.csv');
    const rowCount = 200000;
    const result = exportOk(['export', '--from', `gen:rows=${rowCount}`, '--to', output, '--chunk-size', '8KB', '--progress=json']);
    const events = progressEvents(result.stderr);
    assert.ok(events.length >= 1, `progress lines on standard error: ${result.stderr.slice(0, 500)}`);
    for (const event of events) {
      for (const key of KEYS) assert.ok(key in event, `key ${key} in ${JSON.stringify(event)}`);
    }
    const exportIds = new Set(events.map((event) => event.exportId));
    assert.equal(exportIds.size, 1, 'one export id');

    let previous = -1;
    for (const event of events) {
      assert.ok(event.percentComplete >= previous, 'percent never goes back');
      assert.ok(event.percentComplete >= 0 && event.percentComplete <= 100);
      assert.ok(event.estimatedTimeRemaining === null || event.estimatedTimeRemaining >= 0);
      previous = event.percentComplete;
    }
    const last = events.at(-1);
    assert.equal(last.percentComplete, 100);
    assert.equal(last.recordsExported, rowCount);
    assert.equal(last.totalRecords, rowCount);
    assert.equal(last.bytesWritten, fs.statSync(output).size);
    assert.equal(result.stdout.length, 0, 'nothing on standard output');
  });

  test('progress none prints no progress', (t) => {
    const dir = tempDir(t);
    const result = exportOk(['export', '--from', 'gen:rows=1000', '--to', path.join(dir, 'out.csv'), '--progress', 'none']);
    assert.equal(progressEvents(result.stderr).length, 0);
  });

  test('json progress with standard output destination', (t) => {
    const result = exportOk(['export', '--from', 'gen:rows=5000', '--to', '-', '--format', 'ndjson', '--progress=json']);
    const lines = result.stdout.toString('utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 5000, 'standard output holds only the data');
    assert.equal(progressEvents(result.stderr).at(-1).percentComplete, 100);
  });
});

describe('other commands', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('version prints one line', () => {
    const result = runSluice(['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout.toString('utf8'), /\d+\.\d+\.\d+/);
  });

  test('inspect names the columns', () => {
    const result = runSluice(['inspect', path.join(DATA_DIR, 'types.csv'), '--json']);
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout.toString('utf8');
    JSON.parse(text);
    for (const name of ['id', 'i64', 'small_dec', 'big_dec', 'f', 'b', 's', 'd', 'ts', 'tz']) {
      assert.ok(text.includes(`"${name}"`), `inspect lists ${name}`);
    }
  });

  test('exit code 2 without a command', () => {
    const result = runSluice([]);
    assert.equal(result.code, 2, result.stderr);
  });

  test('environment variable sets an option', (t) => {
    const dir = tempDir(t);
    const output = path.join(dir, 'out.csv');
    exportOk(['export', '--from', path.join(DATA_DIR, 'types.csv'), '--to', output, '--quiet'], {
      env: { SLUICE_DELIMITER: ';' },
    });
    assert.ok(fs.readFileSync(output, 'utf8').startsWith('id;i64;'));
  });

  test('inferred csv types match the explicit schema', async (t) => {
    // Decimal inference keeps "1.10" exact rather than turning it into a double.
    const dir = tempDir(t);
    const output = path.join(dir, 'out.csv');
    exportOk(['export', '--from', path.join(DATA_DIR, 'types.csv'), '--to', output, '--quiet']);
    const schema = 'id:int64,i64:int64,small_dec:decimal(10,2),big_dec:decimal(38,10),f:float64,b:boolean,s:string,d:date,ts:timestamp,tz:timestamptz';
    const expected = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'types.expected.json'), 'utf8')).rows;
    assert.equal(firstDifference(await readCsv(output, schema), expected), null);
  });
});
