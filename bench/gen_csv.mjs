// Writes a deterministic benchmark CSV: the same row count and seed always
// give the same bytes.
//
// Usage: node bench/gen_csv.mjs ROWS OUTPUT.csv [SEED]
//
// Columns, in order:
//   id        int64, 1-based, never null
//   reading   double, shortest round-trip text ("-123.456789")
//   amount    decimal text with two fraction digits ("-98765.43")
//   label     string; about one row in ten needs CSV quoting (quotes, commas)
//   event_at  timestamp "YYYY-MM-DD HH:MM:SS.ffffff", 1950..2049
//   active    boolean, true or false
//   parent_id int64, empty (null) in about one row in eight
import fs from 'node:fs';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett'];
const AWKWARD = ['"Smith, John"', '"Say ""hello"""', '"a,b,c"', '"quoted ""word"", then more"', '","'];

const FIRST_SECOND = Date.UTC(1950, 0, 1) / 1000;
const SPAN_SECONDS = Date.UTC(2050, 0, 1) / 1000 - FIRST_SECOND;

// mulberry32: a small 32-bit generator, fast in JavaScript and plenty for
// synthetic data.
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function pad2(value) {
  return value < 10 ? `0${value}` : `${value}`;
}

function timestampText(seconds, micros) {
  const date = new Date(seconds * 1000);
  return (
    `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}.` +
    String(micros).padStart(6, '0')
  );
}

function row(id, next) {
  const reading = ((next() % 2000000001) - 1000000000) / 1000000 + (next() % 1000) / 1e9;

  const cents = (next() % 2000000001) - 1000000000;
  const magnitude = Math.abs(cents);
  const amount = `${cents < 0 ? '-' : ''}${Math.floor(magnitude / 100)}.${pad2(magnitude % 100)}`;

  const labelDraw = next();
  const label = labelDraw % 10 === 0
    ? AWKWARD[(labelDraw >>> 8) % AWKWARD.length]
    : `${WORDS[(labelDraw >>> 8) % WORDS.length]}-${labelDraw >>> 12}`;

  const eventAt = timestampText(FIRST_SECOND + (next() % SPAN_SECONDS), next() % 1000000);
  const active = (next() & 1) === 1 ? 'true' : 'false';

  const parentDraw = next();
  // Up to 2^53 in magnitude, both signs, so values need more than 32 bits.
  const parent = parentDraw % 8 === 0
    ? ''
    : String((parentDraw % 2 === 0 ? 1 : -1) * (next() * 2097152 + (next() % 2097152)));

  return `${id},${reading},${amount},${label},${eventAt},${active},${parent}\n`;
}

function main() {
  const [rowsText, output, seedText = '42'] = process.argv.slice(2);
  const rows = Number(rowsText);
  if (!Number.isSafeInteger(rows) || rows < 0 || !output) {
    console.error('usage: node bench/gen_csv.mjs ROWS OUTPUT.csv [SEED]');
    process.exit(2);
  }

  const next = makeRandom(Number(seedText));
  const fd = fs.openSync(output, 'w');
  let buffer = 'id,reading,amount,label,event_at,active,parent_id\n';
  for (let id = 1; id <= rows; id++) {
    buffer += row(id, next);
    if (buffer.length >= 1 << 20) {
      fs.writeSync(fd, buffer);
      buffer = '';
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
}

main();
