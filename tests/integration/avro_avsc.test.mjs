// Avro export read back by avsc (an independent JavaScript implementation)
// for the null and deflate codecs, compared value by value with the NDJSON
// export of the same generated rows.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import avro from 'avsc';

import { exportOk, parseJsonExact, RawNumber, SKIP_WITHOUT_BINARY, tempDir } from './helpers.mjs';

const ROWS = 2000;

function readAvro(file) {
  return new Promise((resolve, reject) => {
    const rows = [];
    let metadata = null;
    avro.createFileDecoder(file)
      .on('metadata', (type, codec) => { metadata = { type, codec }; })
      .on('data', (row) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve({ ...metadata, rows }));
  });
}

// Formats a decimal from its big-endian two's-complement bytes.
function decimalText(bytes, scale) {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  if (bytes.length > 0 && bytes[0] & 0x80) value -= 1n << BigInt(8 * bytes.length);
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (negative ? '-' : '') + digits;
}

// Microseconds since 1970-01-01T00:00:00 of "YYYY-MM-DDTHH:MM:SS[.f][Z]".
function micros(text) {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z?$/.exec(text);
  assert.ok(match, `unexpected timestamp text ${text}`);
  const seconds = BigInt(Date.parse(`${match[1]}Z`)) / 1000n;
  return Number(seconds * 1000000n + BigInt((match[2] || '').padEnd(6, '0')));
}

function days(text) {
  return Date.parse(`${text}T00:00:00Z`) / 86400000;
}

// Unwraps avsc's union values ({long: 5}) and nulls.
function unwrap(value) {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const keys = Object.keys(value);
  return keys.length === 1 ? value[keys[0]] : value;
}

function checkRow(actual, expected) {
  const row = expected.id.text;
  const get = (name) => unwrap(actual[name]);
  assert.equal(String(get('id')), expected.id.text, `id of row ${row}`);
  assert.equal(get('flag'), expected.flag, `flag of row ${row}`);
  assert.equal(get('amount'), expected.amount === null ? null : Number(expected.amount.text), `amount of row ${row}`);
  assert.equal(get('price') === null ? null : decimalText(get('price'), 2),
               expected.price === null ? null : expected.price.text, `price of row ${row}`);
  assert.equal(get('big') === null ? null : decimalText(get('big'), 10),
               expected.big === null ? null : expected.big.text, `big of row ${row}`);
  assert.equal(get('name'), expected.name, `name of row ${row}`);
  assert.equal(get('payload') === null ? null : get('payload').toString('base64'), expected.payload, `payload of row ${row}`);
  assert.equal(get('day'), expected.day === null ? null : days(expected.day), `day of row ${row}`);
  assert.equal(get('local_time'), expected.local_time === null ? null : micros(expected.local_time), `local_time of row ${row}`);
  assert.equal(get('instant'), expected.instant === null ? null : micros(expected.instant), `instant of row ${row}`);
}

for (const codec of ['null', 'deflate']) {
  test(`avsc reads ${codec} codec`, { skip: SKIP_WITHOUT_BINARY }, async (t) => {
    const dir = tempDir(t);
    const reference = path.join(dir, 'reference.ndjson');
    const output = path.join(dir, `${codec}.avro`);
    exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', reference, '--quiet']);
    exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', output, '--avro-codec', codec,
              '--avro-block-size', '8KB', '--quiet']);

    const expected = fs.readFileSync(reference, 'utf8').trim().split('\n').map(parseJsonExact);
    const { codec: storedCodec, rows } = await readAvro(output);
    assert.equal(storedCodec, codec);
    assert.equal(rows.length, ROWS);
    rows.forEach((row, i) => checkRow(row, expected[i]));
    assert.ok(expected[0].id instanceof RawNumber);
  });
}
