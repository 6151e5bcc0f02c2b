// Shared helpers for the integration tests: run the sluice binary, make
// temporary directories, read its output back with DuckDB (the independent
// reader) and compare values exactly.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import { DuckDBInstance } from '@duckdb/node-api';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = path.join(REPO_DIR, 'tests/data/integration');
export const VEGA_DIR = path.join(REPO_DIR, 'node_modules/vega-datasets/data');
export const SLUICE_BIN = process.env.SLUICE_BIN || path.join(REPO_DIR, 'build/release/sluice');

// Exit codes of the sluice command line.
export const EXIT = Object.freeze({
  ok: 0, internal: 1, usage: 2, invalidData: 3, io: 4, sourceDb: 5, cancelled: 6, memory: 7,
});

// Runs sluice with `args`; returns {code, signal, stdout (Buffer), stderr (string)}.
// `options.input` is written to standard input; `options.env` adds variables.
export function runSluice(args, options = {}) {
  const env = { ...process.env, ...(options.env || {}) };
  // SLUICE_* variables from the caller's shell would change option defaults.
  for (const name of Object.keys(env)) {
    if (name.startsWith('SLUICE_') && name !== 'SLUICE_BIN' && !(options.env && name in options.env)) {
      delete env[name];
    }
  }
  const result = spawnSync(SLUICE_BIN, args, {
    input: options.input,
    env,
    cwd: options.cwd,
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.error) throw result.error;
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr.toString('utf8'),
  };
}

// Runs sluice and fails the test with its standard error unless it exits 0.
export function exportOk(args, options = {}) {
  const result = runSluice(args, options);
  if (result.code !== 0) {
    throw new Error(`sluice ${args.join(' ')} exited ${result.code} (signal ${result.signal}): ${result.stderr}`);
  }
  return result;
}

// Returns true when the binary exists, so a suite can skip with a clear reason.
export function sluiceAvailable() {
  return fs.existsSync(SLUICE_BIN);
}

export const SKIP_WITHOUT_BINARY = sluiceAvailable() ? false : `sluice binary not found at ${SLUICE_BIN}`;

// Creates a temporary directory that is removed after test `t` ends.
export function tempDir(t, prefix = 'sluice-integ-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Lists a directory's entries, sorted, including hidden (temporary) files.
export function listDir(dir) {
  return fs.readdirSync(dir).sort();
}

// Returns the total size of the regular files in `dir`, hidden temporary files included.
export function folderBytes(dir) {
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    try {
      const stat = fs.statSync(path.join(dir, name));
      if (stat.isFile()) total += stat.size;
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;  // renamed or removed between the listing and the stat
    }
  }
  return total;
}

let sharedConnection = null;

// Returns one DuckDB connection per test file, with the session time zone
// set to UTC so TIMESTAMPTZ values print with "+00".
export async function duckdb() {
  if (!sharedConnection) {
    const instance = await DuckDBInstance.create(':memory:');
    sharedConnection = await instance.connect();
    await sharedConnection.run("SET TimeZone = 'UTC'");
  }
  return sharedConnection;
}

// Runs `sql` and returns rows as plain objects. BIGINT, HUGEINT and DECIMAL
// come back as strings, so they compare exactly.
export async function query(sql) {
  const connection = await duckdb();
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}

// Returns the column names and DuckDB type names of a query's result.
export async function describe(sql) {
  const connection = await duckdb();
  const reader = await connection.runAndReadAll(sql);
  return { names: reader.columnNames(), types: reader.columnTypes().map(String) };
}

// Quotes text as a SQL string literal.
export function sqlString(text) {
  return `'${String(text).replaceAll("'", "''")}'`;
}

function sqlList(paths) {
  return Array.isArray(paths) ? `[${paths.map(sqlString).join(', ')}]` : sqlString(paths);
}

// Parses a Sluice schema ("name:type,...") into [{name, type}].
export function parseSchema(schema) {
  const columns = [];
  // Decimal types contain a comma, so split on commas outside parentheses.
  for (const part of schema.match(/[^,(]+(\([^)]*\))?[^,]*/g)) {
    const colon = part.lastIndexOf(':');
    columns.push({ name: part.slice(0, colon).trim(), type: part.slice(colon + 1).trim() });
  }
  return columns;
}

// Maps a Sluice type name to the DuckDB type used to read its text.
// Binary is read as VARCHAR because text formats carry it as base64.
export function duckType(sluiceType) {
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(sluiceType);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const map = {
    boolean: 'BOOLEAN', int64: 'BIGINT', float64: 'DOUBLE', string: 'VARCHAR', binary: 'VARCHAR',
    date: 'DATE', timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPTZ',
  };
  if (!(sluiceType in map)) throw new Error(`no DuckDB type for sluice type ${sluiceType}`);
  return map[sluiceType];
}

// Returns the DuckDB `columns={...}` struct literal for a Sluice schema.
export function duckColumns(schema) {
  const entries = parseSchema(schema).map((c) => `${sqlString(c.name)}: ${sqlString(duckType(c.type))}`);
  return `{${entries.join(', ')}}`;
}

// Reads CSV file(s) with explicit column types. `options` may set delim,
// quote, nullstr and header. Quoted fields are never null, so "" stays an
// empty string and only the unquoted null string is null.
export async function readCsv(paths, schema, options = {}) {
  const settings = [
    `columns = ${duckColumns(schema)}`,
    `header = ${options.header ?? true}`,
    `delim = ${sqlString(options.delim ?? ',')}`,
    `quote = ${sqlString(options.quote ?? '"')}`,
    `escape = ${sqlString(options.escape ?? options.quote ?? '"')}`,
    `nullstr = ${sqlString(options.nullstr ?? '')}`,
    'allow_quoted_nulls = false',
    'auto_detect = false',
    'strict_mode = true',
  ];
  return query(`SELECT * FROM read_csv(${sqlList(paths)}, ${settings.join(', ')})`);
}

// Reads a JSON array or NDJSON file with explicit column types.
export async function readJson(paths, schema, format) {
  const duckFormat = format === 'json' ? 'array' : 'newline_delimited';
  return query(
    `SELECT * FROM read_json(${sqlList(paths)}, format = ${sqlString(duckFormat)}, ` +
      `columns = ${duckColumns(schema)})`,
  );
}

// Returns the decompressed bytes of a file, by its extension.
export function readDecompressed(file) {
  const bytes = fs.readFileSync(file);
  if (file.endsWith('.gz')) return zlib.gunzipSync(bytes);
  if (file.endsWith('.zst')) {
    const result = spawnSync('zstd', ['-d', '-c', '-q', file], { maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`zstd -d ${file} failed: ${result.stderr}`);
    return result.stdout;
  }
  return bytes;
}

// A JSON number kept as its source text, so decimals and int64 survive
// parsing exactly (JSON.parse turns them into doubles).
export class RawNumber {
  constructor(text) { this.text = text; }
}

// Parses JSON text like JSON.parse, but returns numbers as RawNumber.
export function parseJsonExact(text) {
  let i = 0;
  const fail = (problem) => { throw new SyntaxError(`${problem} at offset ${i}`); };
  const skipSpace = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
  // parseValue is declared below; the container parsers call it recursively.
  let parseValue;

  const parseObject = () => {
    i++;
    const object = {};
    skipSpace();
    if (text[i] === '}') { i++; return object; }
    for (;;) {
      skipSpace();
      const key = parseValue();
      if (typeof key !== 'string') fail('object key is not a string');
      skipSpace();
      if (text[i++] !== ':') fail("expected ':'");
      object[key] = parseValue();
      skipSpace();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return object; }
      fail("expected ',' or '}'");
    }
  };

  const parseArray = () => {
    i++;
    const array = [];
    skipSpace();
    if (text[i] === ']') { i++; return array; }
    for (;;) {
      array.push(parseValue());
      skipSpace();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return array; }
      fail("expected ',' or ']'");
    }
  };

  const parseString = () => {
    const start = i++;
    while (text[i] !== '"') {
      if (i >= text.length) fail('unterminated string');
      i += text[i] === '\\' ? 2 : 1;
    }
    i++;
    return JSON.parse(text.slice(start, i));
  };

  const parseLiteral = () => {
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail('invalid JSON value');
    i += literal[0].length;
    if (literal[0] === 'true') return true;
    if (literal[0] === 'false') return false;
    if (literal[0] === 'null') return null;
    return new RawNumber(literal[0]);
  };

  parseValue = () => {
    skipSpace();
    if (text[i] === '{') return parseObject();
    if (text[i] === '[') return parseArray();
    if (text[i] === '"') return parseString();
    return parseLiteral();
  };

  const value = parseValue();
  skipSpace();
  if (i !== text.length) fail('trailing text');
  return value;
}

// Parses an NDJSON document into an array of exact values, one per line.
export function parseNdjsonExact(text) {
  return text.split('\n').filter((line) => line.trim() !== '').map(parseJsonExact);
}

// Converts decimal text ("1.1", "-0.05", "1E+2", "12") to the text DuckDB
// prints for DECIMAL(p, scale): exactly `scale` fraction digits. Throws when
// the value has more fraction digits than the scale, since that would lose
// digits silently.
export function decimalText(text, scale) {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal number: ${text}`);
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  let digits = (whole || '0') + fraction;
  let pointPosition = (whole || '0').length + Number(exponentText);
  if (pointPosition < 1) {
    digits = '0'.repeat(1 - pointPosition) + digits;
    pointPosition = 1;
  }
  digits = digits.padEnd(pointPosition, '0');
  let integerPart = digits.slice(0, pointPosition).replace(/^0+(?=\d)/, '');
  let fractionPart = digits.slice(pointPosition);
  if (fractionPart.replace(/0+$/, '').length > scale) {
    throw new Error(`decimal ${text} has more than ${scale} fraction digits`);
  }
  fractionPart = fractionPart.slice(0, scale).padEnd(scale, '0');
  const isZero = /^0*$/.test(integerPart + fractionPart);
  integerPart = integerPart || '0';
  const body = scale > 0 ? `${integerPart}.${fractionPart}` : integerPart;
  return sign === '-' && !isZero ? `-${body}` : body;
}

// Reads a Sluice output file in `format` (csv, json, ndjson; compressed by
// extension) into rows shaped like DuckDB's getRowObjectsJson. Decimal
// columns of JSON output are taken from the exact text of the file, because
// DuckDB's JSON reader parses numbers as doubles first.
export async function readOutput(file, format, schema, csvOptions = {}) {
  if (format === 'csv') return readCsv(file, schema, csvOptions);

  const columns = parseSchema(schema);
  const decimals = columns
    .map((c) => ({ name: c.name, scale: /^decimal\(\d+,\s*(\d+)\)$/.exec(c.type)?.[1] }))
    .filter((c) => c.scale !== undefined);
  // DuckDB rejects or rounds decimals past double precision, so it reads them
  // as text here and the exact parser below supplies their values.
  const readSchema = columns
    .map((c) => `${c.name}:${/^decimal/.test(c.type) ? 'string' : c.type}`)
    .join(',');
  const rows = await readJson(file, readSchema, format);
  if (decimals.length === 0) return rows;

  const text = readDecompressed(file).toString('utf8');
  const exact = format === 'json' ? parseJsonExact(text) : parseNdjsonExact(text);
  if (exact.length !== rows.length) {
    throw new Error(`${file}: DuckDB read ${rows.length} rows but the exact parser read ${exact.length}`);
  }
  exact.forEach((object, index) => {
    for (const { name, scale } of decimals) {
      const value = object[name];
      if (value === null || value === undefined) continue;
      const source = value instanceof RawNumber ? value.text : String(value);
      rows[index][name] = decimalText(source, Number(scale));
    }
  });
  return rows;
}

// Loads the expected rows of the typed fixtures (types.csv, types.ndjson,
// types.json), in DuckDB's getRowObjectsJson form, and their Sluice schema.
export function loadTypesExpected() {
  return JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'types.expected.json'), 'utf8'));
}

// Returns the first row whose values differ, with the column, for readable
// assertion messages; null when all rows are equal.
export function firstDifference(actualRows, expectedRows) {
  const count = Math.max(actualRows.length, expectedRows.length);
  for (let i = 0; i < count; i++) {
    const actual = actualRows[i];
    const expected = expectedRows[i];
    if (!actual || !expected) return { row: i, actual, expected };
    for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
      if (!Object.is(actual[key], expected[key])) {
        return { row: i, column: key, actual: actual[key], expected: expected[key] };
      }
    }
  }
  return null;
}

// Parses the standard error of `--progress=json`: every line that is a JSON
// object; other lines (the summary) are ignored.
export function progressEvents(stderr) {
  const events = [];
  for (const line of stderr.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    events.push(JSON.parse(trimmed));
  }
  return events;
}

// Returns true when `command` is on the PATH.
export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

// mulberry32: a small seeded generator, so seeded choices such as kill
// points repeat across runs.
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Mounts a tmpfs of `size` (as mount(8) reads it, such as "2m") in a new
// directory named from `prefix`. One cleanup hook unmounts it and then
// removes the directory after `t`. Returns { dir, disk }, or null after
// skipping `t` when the mount fails (it needs root).
export function mountSmallDisk(t, prefix, size) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const disk = path.join(dir, 'disk');
  fs.mkdirSync(disk);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk]);
  t.after(() => {
    if (mounted.status === 0) spawnSync('umount', [disk]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  if (mounted.status !== 0) {
    t.skip(`cannot mount a tmpfs: ${mounted.stderr.toString().trim()}`);
    return null;
  }
  return { dir, disk };
}
