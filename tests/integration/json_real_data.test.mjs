// Real JSON from the vega-datasets package: flights-200k.json, one array of
// 200,000 objects, exported to CSV, NDJSON and JSON and compared with DuckDB's
// reading of the source.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { SKIP_WITHOUT_BINARY, VEGA_DIR, exportOk, query, sqlString, tempDir } from './helpers.mjs';

const FLIGHTS = path.join(VEGA_DIR, 'flights-200k.json');
const ROWS = 200000;

// The three columns as numbers, so 0.0 and 0 compare equal whichever way the
// writer prints them.
function flightsSelect(relation) {
  return `SELECT delay::BIGINT AS delay, distance::BIGINT AS distance, time::DOUBLE AS time FROM ${relation}`;
}

async function countDifferences(left, right) {
  const [{ count }] = await query(
    `SELECT count(*) AS count FROM ((${left} EXCEPT ALL ${right}) UNION ALL (${right} EXCEPT ALL ${left}))`,
  );
  return Number(count);
}

const skipReason = SKIP_WITHOUT_BINARY || (!fs.existsSync(FLIGHTS) && 'vega-datasets is not installed (run npm ci)');

describe('real json data', { skip: skipReason }, () => {
  const source = flightsSelect(`read_json(${sqlString(FLIGHTS)}, format = 'array')`);

  const readers = {
    csv: (file) => `read_csv(${sqlString(file)}, header = true)`,
    ndjson: (file) => `read_json(${sqlString(file)}, format = 'newline_delimited')`,
    json: (file) => `read_json(${sqlString(file)}, format = 'array')`,
  };

  for (const format of Object.keys(readers)) {
    test(`flights-200k to ${format}`, async (t) => {
      const dir = tempDir(t);
      const output = path.join(dir, `flights.${format}`);
      exportOk(['export', '--from', FLIGHTS, '--to', output, '--quiet']);

      const [{ count }] = await query(`SELECT count(*) AS count FROM ${readers[format](output)}`);
      assert.equal(Number(count), ROWS);

      const columns = await query(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${readers[format](output)})`);
      assert.deepEqual(columns.map((row) => row.column_name), ['delay', 'distance', 'time']);

      const exported = flightsSelect(readers[format](output));
      assert.equal(await countDifferences(exported, source), 0);

      // Row order is kept, so the first rows are those of the source.
      const head = await query(`${exported} LIMIT 3`);
      assert.deepEqual(head, [
        { delay: '0', distance: '1452', time: 0 },
        { delay: '171', distance: '2227', time: 0 },
        { delay: '177', distance: '491', time: 0 },
      ]);
    });
  }

  test('flights-200k gzip to ndjson', async (t) => {
    const dir = tempDir(t);
    const output = path.join(dir, 'flights.ndjson.gz');
    exportOk(['export', '--from', FLIGHTS, '--to', output, '--quiet']);
    const exported = flightsSelect(`read_json(${sqlString(output)}, format = 'newline_delimited')`);
    assert.equal(await countDifferences(exported, source), 0);
  });
});
