// Real CSV files from the vega-datasets package exported with inferred types
// and checked with DuckDB: column names with spaces and '$' survive, and zip
// codes with leading zeros stay strings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { SKIP_WITHOUT_BINARY, VEGA_DIR, describe as describeQuery, exportOk, query, sqlString, tempDir } from './helpers.mjs';

const BIRDSTRIKES = path.join(VEGA_DIR, 'birdstrikes.csv');
const ZIPCODES = path.join(VEGA_DIR, 'zipcodes.csv');

// Reads a CSV with every column as VARCHAR, so comparisons use the exact field text.
function csvAsText(file) {
  return `read_csv(${sqlString(file)}, all_varchar = true, header = true)`;
}

function jsonTable(file, format) {
  return `read_json(${sqlString(file)}, format = ${sqlString(format === 'json' ? 'array' : 'newline_delimited')})`;
}

// Counts rows that differ between two relations with the same columns; zero
// means the same multiset of rows.
async function countDifferences(left, right) {
  const [{ count }] = await query(
    `SELECT count(*) AS count FROM ((SELECT * FROM ${left} EXCEPT ALL SELECT * FROM ${right}) ` +
      `UNION ALL (SELECT * FROM ${right} EXCEPT ALL SELECT * FROM ${left}))`,
  );
  return Number(count);
}

const skipReason = SKIP_WITHOUT_BINARY || (!fs.existsSync(BIRDSTRIKES) && 'vega-datasets is not installed (run npm ci)');

describe('real csv data', { skip: skipReason }, () => {
  test('birdstrikes column names and values to csv', async (t) => {
    const dir = tempDir(t);
    const output = path.join(dir, 'birdstrikes.csv');
    exportOk(['export', '--from', BIRDSTRIKES, '--to', output, '--quiet']);

    const source = await describeQuery(`SELECT * FROM ${csvAsText(BIRDSTRIKES)}`);
    const exported = await describeQuery(`SELECT * FROM ${csvAsText(output)}`);
    assert.deepEqual(exported.names, source.names);
    assert.ok(exported.names.includes('Cost Total $'));
    assert.ok(exported.names.includes('Speed IAS in knots'));

    const [{ count }] = await query(`SELECT count(*) AS count FROM ${csvAsText(output)}`);
    assert.equal(Number(count), 10000);
    assert.equal(await countDifferences(csvAsText(output), csvAsText(BIRDSTRIKES)), 0);
  });

  test('birdstrikes to ndjson keeps names and values', async (t) => {
    const dir = tempDir(t);
    const output = path.join(dir, 'birdstrikes.ndjson');
    exportOk(['export', '--from', BIRDSTRIKES, '--to', output, '--quiet']);

    const first = JSON.parse(fs.readFileSync(output, 'utf8').split('\n')[0]);
    assert.equal(first['Airport Name'], 'BARKSDALE AIR FORCE BASE ARPT');
    assert.equal(first['Aircraft Make Model'], 'T-38A');
    assert.equal(first['Flight Date'], '1990-01-08');
    assert.equal(Number(first['Speed IAS in knots']), 300);
    assert.equal(Number(first['Cost Total $']), 0);

    const sourceRows = await query(
      `SELECT "Airport Name" AS airport, "Wildlife Species" AS species, "Cost Total $"::DOUBLE AS cost ` +
        `FROM read_csv(${sqlString(BIRDSTRIKES)}, header = true)`,
    );
    const exportedRows = await query(
      `SELECT "Airport Name" AS airport, "Wildlife Species" AS species, "Cost Total $"::DOUBLE AS cost ` +
        `FROM ${jsonTable(output, 'ndjson')}`,
    );
    assert.equal(exportedRows.length, 10000);
    assert.deepEqual(exportedRows, sourceRows);
  });

  for (const format of ['csv', 'ndjson', 'json']) {
    test(`zipcodes keep leading zeros in ${format}`, async (t) => {
      const dir = tempDir(t);
      const output = path.join(dir, `zipcodes.${format}`);
      exportOk(['export', '--from', ZIPCODES, '--to', output, '--quiet']);

      const relation = format === 'csv' ? csvAsText(output) : jsonTable(output, format);
      const zips = await query(`SELECT zip_code::VARCHAR AS zip FROM ${relation}`);
      const sourceZips = await query(`SELECT zip_code AS zip FROM ${csvAsText(ZIPCODES)}`);
      assert.equal(zips.length, 42049);
      assert.deepEqual(zips, sourceZips);
      assert.equal(zips[0].zip, '00501');

      if (format !== 'csv') {
        const text = fs.readFileSync(output, 'utf8');
        assert.ok(text.includes('"zip_code":"00501"'), 'the zip code is a JSON string');
      }

      const [sample] = await query(
        `SELECT city, state, county, latitude::DOUBLE AS latitude, longitude::DOUBLE AS longitude FROM ${relation} ` +
          "WHERE zip_code::VARCHAR = '00501'",
      );
      assert.deepEqual(sample, {
        city: 'Holtsville', state: 'NY', county: 'Suffolk', latitude: 40.922326, longitude: -72.637078,
      });
    });
  }
});
