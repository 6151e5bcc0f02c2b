// The peers of bench/avro_xlsx.sh: reads the benchmark's NDJSON input and
// writes it with avsc (Avro) or with exceljs's streaming workbook writer
// (XLSX), converting each value to the type Sluice writes.
//
// Usage: node bench/avro_xlsx_peers.mjs avsc INPUT.ndjson OUTPUT.avro null|deflate
//        node bench/avro_xlsx_peers.mjs exceljs INPUT.ndjson OUTPUT.xlsx
//
// The input has the columns of Sluice's generator (gen:rows=N). JSON.parse
// reads decimals as doubles, so the peers encode decimals from a double's
// digits: that is less work than exact decimals, never more.
import fs from 'node:fs';
import readline from 'node:readline';

import avro from 'avsc';
import ExcelJS from 'exceljs';

const [tool, input, output, codec] = process.argv.slice(2);

function micros(text) {
  const match = /^(.{19})(?:\.(\d{1,6}))?Z?$/.exec(text);
  return Date.parse(`${match[1]}Z`) * 1000 + Number((match[2] || '').padEnd(6, '0'));
}

function decimalBytes(number, scale) {
  let unscaled = BigInt(Math.round(number * 10 ** scale));
  const bytes = [];
  do {
    bytes.unshift(Number(unscaled & 0xffn));
    unscaled >>= 8n;
  } while (unscaled !== 0n && unscaled !== -1n);
  const negative = number < 0;
  if (((bytes[0] & 0x80) !== 0) !== negative) bytes.unshift(negative ? 0xff : 0);
  return Buffer.from(bytes);
}

const decimal = (precision, scale) => ({ type: 'bytes', logicalType: 'decimal', precision, scale });
const nullable = (type) => ['null', type];

const avroType = avro.Type.forSchema({
  type: 'record',
  name: 'Row',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'flag', type: nullable('boolean'), default: null },
    { name: 'amount', type: nullable('double'), default: null },
    { name: 'price', type: nullable(decimal(18, 2)), default: null },
    { name: 'big', type: nullable(decimal(38, 10)), default: null },
    { name: 'name', type: nullable('string'), default: null },
    { name: 'payload', type: nullable('bytes'), default: null },
    { name: 'day', type: nullable({ type: 'int', logicalType: 'date' }), default: null },
    { name: 'local_time', type: nullable({ type: 'long', logicalType: 'local-timestamp-micros' }), default: null },
    { name: 'instant', type: nullable({ type: 'long', logicalType: 'timestamp-micros' }), default: null },
  ],
});

function avroRecord(row) {
  const map = (value, convert) => (value === null ? null : convert(value));
  return {
    id: row.id,
    flag: row.flag,
    amount: row.amount,
    price: map(row.price, (v) => decimalBytes(v, 2)),
    big: map(row.big, (v) => decimalBytes(v, 10)),
    name: row.name,
    payload: map(row.payload, (v) => Buffer.from(v, 'base64')),
    day: map(row.day, (v) => Date.parse(`${v}T00:00:00Z`) / 86400000),
    local_time: map(row.local_time, micros),
    instant: map(row.instant, micros),
  };
}

async function* rows() {
  const lines = readline.createInterface({ input: fs.createReadStream(input), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line) yield JSON.parse(line);
  }
}

async function writeAvro() {
  const encoder = avro.createFileEncoder(output, avroType, { codec });
  for await (const row of rows()) {
    if (!encoder.write(avroRecord(row))) await new Promise((resolve) => encoder.once('drain', resolve));
  }
  await new Promise((resolve, reject) => {
    encoder.on('error', reject);
    encoder.on('finish', resolve);
    encoder.end();
  });
}

async function writeXlsx() {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  const names = ['id', 'flag', 'amount', 'price', 'big', 'name', 'payload', 'day', 'local_time', 'instant'];
  sheet.columns = names.map((name) => ({ header: name, key: name }));
  sheet.getRow(1).font = { bold: true };
  for (const column of ['day']) sheet.getColumn(column).numFmt = 'yyyy-mm-dd';
  for (const column of ['local_time', 'instant']) sheet.getColumn(column).numFmt = 'yyyy-mm-dd hh:mm:ss';
  const toDate = (text) => (text === null ? null : new Date(micros(text) / 1000));
  for await (const row of rows()) {
    sheet.addRow({
      ...row,
      big: row.big === null ? null : String(row.big),
      day: row.day === null ? null : new Date(`${row.day}T00:00:00Z`),
      local_time: toDate(row.local_time),
      instant: toDate(row.instant),
    }).commit();
  }
  sheet.commit();
  await workbook.commit();
}

if (tool === 'avsc' && ['null', 'deflate'].includes(codec)) await writeAvro();
else if (tool === 'exceljs') await writeXlsx();
else {
  console.error('usage: node bench/avro_xlsx_peers.mjs avsc INPUT OUTPUT null|deflate | exceljs INPUT OUTPUT');
  process.exit(2);
}
