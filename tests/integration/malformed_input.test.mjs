// Malformed input and invalid options: the exit code, a one-line message that
// names the line and column of bad data, and no output or temporary file left
// in the destination directory. --skip-bad-rows drops bad rows and counts them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { EXIT, SKIP_WITHOUT_BINARY, listDir, readCsv, runSluice, tempDir } from './helpers.mjs';

// Enough good rows to pass several 8 KiB chunks, so output has been written
// before the bad row is reached.
const GOOD_ROWS = 20000;

function goodCsvRows() {
  let text = 'a,b\n';
  for (let i = 1; i <= GOOD_ROWS; i++) text += `${i},value-${i}\n`;
  return text;
}

function goodNdjsonRows() {
  let text = '';
  for (let i = 1; i <= GOOD_ROWS; i++) text += `{"a":${i},"b":"value-${i}"}\n`;
  return text;
}

// Each case: the source name and bytes, and the line the error must name.
// CSV lines count the header as line 1.
const DATA_ERRORS = [
  { name: 'unterminated quote', file: 'in.csv', bytes: () => goodCsvRows() + '1,"never closed\n2,x\n', line: GOOD_ROWS + 2 },
  { name: 'too many fields', file: 'in.csv', bytes: () => goodCsvRows() + '1,2,3\n4,5\n', line: GOOD_ROWS + 2 },
  { name: 'too few fields', file: 'in.csv', bytes: () => goodCsvRows() + '1\n4,5\n', line: GOOD_ROWS + 2 },
  {
    name: 'invalid UTF-8',
    file: 'in.csv',
    bytes: () => Buffer.concat([Buffer.from(goodCsvRows() + '1,ab'), Buffer.from([0xff, 0xfe]), Buffer.from('\n4,5\n')]),
    line: GOOD_ROWS + 2,
  },
  {
    name: 'NUL byte',
    file: 'in.csv',
    bytes: () => Buffer.concat([Buffer.from(goodCsvRows() + '1,ab'), Buffer.from([0x00]), Buffer.from('cd\n4,5\n')]),
    line: GOOD_ROWS + 2,
  },
  { name: 'malformed JSON line', file: 'in.ndjson', bytes: () => goodNdjsonRows() + '{"a":5,"b":\n{"a":6,"b":"x"}\n', line: GOOD_ROWS + 1 },
  { name: 'JSON value of the wrong type', file: 'in.ndjson', bytes: () => goodNdjsonRows() + '{"a":"five","b":"x"}\n', line: GOOD_ROWS + 1 },
];

const SCHEMA = 'a:int64,b:string';

// Writes the case's source into `dir/source/` and returns [source, destination directory].
function prepare(t, name, bytes) {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'source'));
  fs.mkdirSync(path.join(dir, 'out'));
  const source = path.join(dir, 'source', name);
  fs.writeFileSync(source, bytes);
  return [source, path.join(dir, 'out')];
}

// Checks that standard error is one line and returns it. The "sluice: error: "
// prefix is checked separately, after the content, so a wrong prefix does
// not hide other failures.
function oneLineError(stderr) {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on standard error, got: ${stderr}`);
  return lines[0];
}

function assertErrorPrefix(message) {
  assert.match(message, /^sluice: error: \S/, 'the message starts with "sluice: error: "');
}

describe('malformed input', { skip: SKIP_WITHOUT_BINARY }, () => {
  for (const { name, file, bytes, line } of DATA_ERRORS) {
    for (const destination of ['out.csv', 'out.json.gz']) {
      test(`${name} to ${destination}`, (t) => {
        const [source, outDir] = prepare(t, file, bytes());
        const result = runSluice([
          'export', '--from', source, '--to', path.join(outDir, destination), '--schema', SCHEMA, '--chunk-size', '8KB', '--quiet',
        ]);
        assert.equal(result.code, EXIT.invalidData, result.stderr);
        const message = oneLineError(result.stderr);
        const lineMatch = /\bline (\d+)/i.exec(message);
        assert.ok(lineMatch, `message names the line: ${message}`);
        assert.equal(Number(lineMatch[1]), line, message);
        assert.match(message, /\bcolumn (\d+|'[^']+')/i, 'message names the column by number or name');
        assert.deepEqual(listDir(outDir), [], 'no output or temporary file is left');
        assertErrorPrefix(message);
      });
    }
  }

  test('skip bad rows counts them in the summary', async (t) => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,x\n2,y,extra\n3\n4,z\n5,'),
      Buffer.from([0xff]),
      Buffer.from('\n6,"quoted, fine"\n'),
    ]);
    const [source, outDir] = prepare(t, 'in.csv', bytes);
    const output = path.join(outDir, 'out.csv');
    const result = runSluice(['export', '--from', source, '--to', output, '--schema', SCHEMA, '--skip-bad-rows', '--progress', 'none']);
    assert.equal(result.code, EXIT.ok, result.stderr);
    const summary = result.stdout.toString('utf8') + result.stderr;
    assert.match(summary, /(skipped|bad|malformed|rejected)\D{0,40}\b3\b|\b3\b\D{0,40}(skipped|bad|malformed|rejected)/i, summary);
    const rows = await readCsv(output, SCHEMA);
    assert.deepEqual(rows, [
      { a: '1', b: 'x' },
      { a: '4', b: 'z' },
      { a: '6', b: 'quoted, fine' },
    ]);
  });

  test('skip bad rows in NDJSON', async (t) => {
    const [source, outDir] = prepare(t, 'in.ndjson', '{"a":1,"b":"x"}\n{"a":2,\n{"a":3,"b":"z"}\n');
    const output = path.join(outDir, 'out.csv');
    const result = runSluice(['export', '--from', source, '--to', output, '--schema', SCHEMA, '--skip-bad-rows', '--progress', 'none']);
    assert.equal(result.code, EXIT.ok, result.stderr);
    assert.match(result.stdout.toString('utf8') + result.stderr, /\b1\b/);
    assert.deepEqual(await readCsv(output, SCHEMA), [{ a: '1', b: 'x' }, { a: '3', b: 'z' }]);
  });

  test('missing source file is an I/O error', (t) => {
    const [, outDir] = prepare(t, 'unused.csv', 'a\n1\n');
    const missing = path.join(outDir, '..', 'source', 'missing.csv');
    const result = runSluice(['export', '--from', missing, '--to', path.join(outDir, 'out.csv'), '--quiet']);
    assert.equal(result.code, EXIT.io, result.stderr);
    const message = oneLineError(result.stderr);
    assert.ok(message.includes('missing.csv'), `message names the file: ${message}`);
    assert.deepEqual(listDir(outDir), []);
    assertErrorPrefix(message);
  });
});

// Each case: extra arguments and a text the message must contain.
const OPTION_ERRORS = [
  { name: 'unknown size unit', args: ['--chunk-size', '64XB'], mentions: '64XB' },
  { name: 'negative size', args: ['--chunk-size', '-1MB'], mentions: '-1MB' },
  { name: 'chunk size below 8KB', args: ['--chunk-size', '1KB'], mentions: '1KB' },
  { name: 'chunk size above 4MB', args: ['--chunk-size', '5MB'], mentions: '5MB' },
  { name: 'negative max file size', args: ['--max-file-size', '-64KB'], mentions: '-64KB' },
  { name: 'unknown format', args: ['--format', 'yaml'], mentions: 'yaml' },
  { name: 'unknown compression', args: ['--compression', 'lz4'], mentions: 'lz4' },
  { name: 'unknown quoting mode', args: ['--quoting', 'sometimes'], mentions: 'sometimes' },
  { name: 'unknown option', args: ['--no-such-option'], mentions: '--no-such-option' },
];

describe('invalid options', { skip: SKIP_WITHOUT_BINARY }, () => {
  for (const { name, args, mentions } of OPTION_ERRORS) {
    test(name, (t) => {
      const [source, outDir] = prepare(t, 'in.csv', 'a,b\n1,x\n');
      const result = runSluice(['export', '--from', source, '--to', path.join(outDir, 'out.csv'), '--quiet', ...args]);
      assert.equal(result.code, EXIT.usage, result.stderr);
      const message = oneLineError(result.stderr);
      assert.ok(message.includes(mentions), `message names ${mentions}: ${message}`);
      assert.deepEqual(listDir(outDir), []);
      assertErrorPrefix(message);
    });
  }

  test('unknown output extension without format', (t) => {
    const [source, outDir] = prepare(t, 'in.csv', 'a,b\n1,x\n');
    const result = runSluice(['export', '--from', source, '--to', path.join(outDir, 'out.unknown'), '--quiet']);
    assert.equal(result.code, EXIT.usage, result.stderr);
    assert.deepEqual(listDir(outDir), []);
  });

  test('missing destination', (t) => {
    const [source] = prepare(t, 'in.csv', 'a,b\n1,x\n');
    const result = runSluice(['export', '--from', source, '--quiet']);
    assert.equal(result.code, EXIT.usage, result.stderr);
  });
});
