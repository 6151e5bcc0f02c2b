// Split outputs (--max-file-size). Every part is a complete file that an
// independent reader opens (DuckDB for Parquet and text, openpyxl for XLSX).
// No part passes the limit, the manifest lists every part, and the parts
// together contain exactly the rows of an unsplit export.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { cleanEnv, runSluiceAsync, startS3 } from './cloud_servers.mjs';
import { SKIP_WITHOUT_BINARY, exportOk, query, sqlString, tempDir } from './helpers.mjs';

const KIB = 1024;

// Reads DEST.manifest.json and checks it against the files beside it.
function readManifest(destination) {
  const manifest = JSON.parse(fs.readFileSync(`${destination}.manifest.json`, 'utf8'));
  const dir = path.dirname(destination);
  const parts = manifest.parts.map((part) => ({ ...part, file: path.join(dir, part.path) }));
  for (const part of parts) assert.equal(fs.statSync(part.file).size, part.bytes, part.file);
  return { manifest, parts };
}

function assertWithinLimit(parts, limit) {
  for (const part of parts) assert.ok(part.bytes <= limit, `${part.file} has ${part.bytes} bytes, over ${limit}`);
}

function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

async function countDifferences(left, right) {
  const [{ count }] = await query(
    `SELECT count(*) AS count FROM ((FROM ${left} EXCEPT ALL FROM ${right}) UNION ALL (FROM ${right} EXCEPT ALL FROM ${left}))`,
  );
  return Number(count);
}

function sqlList(files) {
  return `[${files.map(sqlString).join(', ')}]`;
}

describe('split output', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('parquet parts are complete files under the limit', async (t) => {
    const dir = tempDir(t, 'sluice-split-');
    const whole = path.join(dir, 'whole.parquet');
    const destination = path.join(dir, 'split.parquet');
    const limit = 1024 * KIB;
    exportOk(['export', '--from', 'gen:rows=60000&seed=4', '--to', whole, '--quiet']);
    exportOk(['export', '--from', 'gen:rows=60000&seed=4', '--to', destination, '--max-file-size', '1MB', '--quiet']);

    const { manifest, parts } = readManifest(destination);
    assert.ok(parts.length >= 3, `expected several parts, got ${parts.length}`);
    assertWithinLimit(parts, limit);
    assert.equal(sum(parts.map((part) => part.rows)), 60000);
    assert.equal(manifest.totalRows, 60000);
    for (const part of parts) {
      const [{ rows }] = await query(`SELECT count(*)::INTEGER AS rows FROM read_parquet(${sqlString(part.file)})`);
      assert.equal(rows, part.rows, part.file);
    }
    const files = parts.map((part) => part.file);
    assert.equal(await countDifferences(`read_parquet(${sqlList(files)})`, `read_parquet(${sqlString(whole)})`), 0);
  });

  test('parquet with large row groups still splits under the limit', async (t) => {
    const dir = tempDir(t, 'sluice-split-');
    const destination = path.join(dir, 'groups.parquet');
    exportOk(['export', '--from', 'gen:rows=40000', '--to', destination, '--max-file-size', '512KB', '--chunk-size', '64KB',
      '--parquet-codec', 'zstd', '--quiet']);
    const { parts } = readManifest(destination);
    assert.ok(parts.length >= 2);
    assertWithinLimit(parts, 512 * KIB);
    const [{ rows }] = await query(`SELECT count(*)::INTEGER AS rows FROM read_parquet(${sqlList(parts.map((p) => p.file))})`);
    assert.equal(rows, 40000);
  });

  test('xlsx parts open in openpyxl with every row', (t) => {
    const dir = tempDir(t, 'sluice-split-');
    const destination = path.join(dir, 'split.xlsx');
    const limit = 512 * KIB;
    exportOk(['export', '--from', 'gen:rows=15000', '--to', destination, '--max-file-size', '512KB', '--chunk-size', '64KB', '--quiet']);
    const { parts } = readManifest(destination);
    assert.ok(parts.length >= 2, `expected several parts, got ${parts.length}`);
    assertWithinLimit(parts, limit);

    // openpyxl reads each part; the first column is the generator's id, so
    // the ids across parts must be 1..15000 in order.
    const script = [
      'import json, sys, openpyxl',
      'result = []',
      'for path in sys.argv[1:]:',
      '    book = openpyxl.load_workbook(path, read_only=True)',
      '    ids = [row[0] for sheet in book.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)]',
      '    result.append(ids)',
      'print(json.dumps(result))',
    ].join('\n');
    const run = spawnSync('/usr/bin/python3', ['-c', script, ...parts.map((part) => part.file)], { maxBuffer: 1 << 28 });
    assert.equal(run.status, 0, run.stderr.toString());
    const idsPerPart = JSON.parse(run.stdout.toString());
    idsPerPart.forEach((ids, index) => assert.equal(ids.length, parts[index].rows, parts[index].file));
    const ids = idsPerPart.flat();
    assert.equal(ids.length, 15000);
    ids.forEach((id, index) => assert.equal(id, index + 1));
  });

  for (const extension of ['csv', 'ndjson', 'json', 'csv.gz']) {
    test(`${extension} parts stay under the limit from the first part`, async (t) => {
      const dir = tempDir(t, 'sluice-split-');
      const whole = path.join(dir, `whole.${extension}`);
      const destination = path.join(dir, `split.${extension}`);
      exportOk(['export', '--from', 'gen:rows=20000', '--to', whole, '--quiet']);
      exportOk(['export', '--from', 'gen:rows=20000', '--to', destination, '--max-file-size', '256KB', '--chunk-size', '64KB', '--quiet']);
      const { parts } = readManifest(destination);
      assert.ok(parts.length >= 3, `expected several parts, got ${parts.length}`);
      assertWithinLimit(parts, 256 * KIB);
      assert.equal(sum(parts.map((part) => part.rows)), 20000);

      const reader = extension.startsWith('csv') ? 'read_csv' : 'read_json';
      const options = extension.startsWith('csv') ? ", header = true, all_varchar = true" : '';
      const files = sqlList(parts.map((part) => part.file));
      assert.equal(
        await countDifferences(`${reader}(${files}${options})`, `${reader}(${sqlString(whole)}${options})`),
        0,
      );
    });
  }

  test('cloud export under the limit is one object', async (t) => {
    const s3 = await startS3(t);
    const upload = await runSluiceAsync(
      ['export', '--from', 'gen:rows=2000', '--to', 's3://bucket/small.csv', '--s3-endpoint', s3.url,
        '--max-file-size', '1MB', '--progress', 'none'],
      cleanEnv(s3.env));
    assert.equal(upload.code, 0, upload.stderr);
    assert.ok(fs.existsSync(s3.objectPath('small.csv')));
  });
});
