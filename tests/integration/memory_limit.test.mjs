// Exports under --memory-limit 64MB. Wide rows to Parquet, locally and to
// S3 (s3rver on 127.0.0.1), must either finish with a peak resident size
// under the limit plus FIXED_OVERHEAD, or fail with exit code 7 and the
// memory-limit message. Never a crash.
//
// Each export runs under `prlimit --as` a fixed amount above the limit, so
// an allocation the budget did not stop fails inside sluice (exit 1 or a
// signal, which these tests reject) instead of reaching the kernel's OOM
// killer. The address-space limit is far above the resident size because
// glibc reserves 64 MiB of address space per thread arena.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, hasCommand, query, sqlString } from './helpers.mjs';
import { cleanEnv, startS3, tempDirFor } from './cloud_servers.mjs';

const MiB = 1024 * 1024;
const LIMIT = 64 * MiB;
// Resident memory outside the budget: the process's code and libraries
// (about 17 MB for a tiny export), the CSV reader's type-inference sample,
// upload threads and transient encoding buffers. Also given in
// docs/configuration.md.
const FIXED_OVERHEAD = 64 * MiB;
const ADDRESS_SPACE = LIMIT + 448 * MiB;

const skip = SKIP_WITHOUT_BINARY ||
  (!hasCommand('prlimit') && 'prlimit is not installed') ||
  (!fs.existsSync('/usr/bin/time') && '/usr/bin/time is not installed');

// 200 text columns of 24 characters, about 29 MB in all.
function writeWideCsv(dir, rows = 6000, columns = 200) {
  const file = path.join(dir, 'wide.csv');
  const lines = [Array.from({ length: columns }, (_, c) => `c${c}`).join(',')];
  let state = 12345;
  for (let r = 0; r < rows; r++) {
    const fields = [];
    for (let c = 0; c < columns; c++) {
      let text = '';
      for (let i = 0; i < 24; i++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        text += String.fromCharCode(97 + (state >> 16) % 26);
      }
      fields.push(text);
    }
    lines.push(fields.join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

// Runs sluice under the address-space limit and GNU time; resolves to
// {code, signal, stderr, peakRss} with peakRss in bytes.
function runLimited(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('prlimit', [`--as=${ADDRESS_SPACE}`, '/usr/bin/time', '-f', 'peak-rss-kib %M', SLUICE_BIN, ...args],
      { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const err = [];
    child.stderr.on('data', (chunk) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      const match = stderr.match(/peak-rss-kib (\d+)/);
      const died = stderr.match(/Command terminated by signal (\d+)/);
      resolve({ code, signal: died ? Number(died[1]) : signal, stderr, peakRss: match ? Number(match[1]) * 1024 : NaN });
    });
  });
}

// Checks the outcome the limit allows: success within the bound, or exit 7
// with the message that names the limit and the setting to change.
function assertWithinLimitOrRefused(result) {
  assert.equal(result.signal, null, `sluice died by signal ${result.signal}: ${result.stderr}`);
  assert.ok([EXIT.ok, EXIT.memory].includes(result.code), `exit ${result.code}: ${result.stderr}`);
  if (result.code === EXIT.memory) {
    assert.match(result.stderr, /memory limit exceeded: .* --memory-limit .*raise --memory-limit/);
    return false;
  }
  assert.ok(result.peakRss < LIMIT + FIXED_OVERHEAD,
    `peak RSS ${(result.peakRss / MiB).toFixed(1)} MiB is not under ${(LIMIT + FIXED_OVERHEAD) / MiB} MiB`);
  assert.match(result.stderr, /peak memory [\d.]+MB resident, [\d.]+MB reserved/);
  return true;
}

test('wide rows to parquet stay within the limit', { skip }, async (t) => {
  const dir = tempDirFor(t, 'sluice-memory-');
  const csv = writeWideCsv(dir);
  const out = path.join(dir, 'wide.parquet');
  const result = await runLimited(
    ['export', '--from', csv, '--to', out, '--memory-limit', '64MB', '--memory-grace', '2s', '--progress', 'none'],
    cleanEnv());
  t.diagnostic(`exit ${result.code}, peak RSS ${(result.peakRss / MiB).toFixed(1)} MiB`);
  if (!assertWithinLimitOrRefused(result)) return;

  const [counted] = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(out)})`);
  assert.equal(counted.n, 6000);
  const [groups] = await query(
    `SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata(${sqlString(out)})`);
  assert.ok(groups.n > 1, `expected row groups smaller than the 64 MB default, got ${groups.n} group(s)`);
  const [last] = await query(`SELECT c199 FROM read_parquet(${sqlString(out)}) OFFSET 5999`);
  assert.equal(last.c199.length, 24);
});

test('wide rows to s3 stay within the limit', { skip }, async (t) => {
  const dir = tempDirFor(t, 'sluice-memory-');
  const csv = writeWideCsv(dir);
  const s3 = await startS3(t);
  const result = await runLimited(
    ['export', '--from', csv, '--to', 's3://bucket/wide.parquet', '--s3-endpoint', s3.url,
      '--memory-limit', '64MB', '--memory-grace', '20s', '--progress', 'none'],
    cleanEnv(s3.env));
  t.diagnostic(`exit ${result.code}, peak RSS ${(result.peakRss / MiB).toFixed(1)} MiB`);
  if (!assertWithinLimitOrRefused(result)) return;

  const object = s3.objectPath('wide.parquet');
  const [counted] = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(object)})`);
  assert.equal(counted.n, 6000);
});

test('buffer larger than the limit exits 7', { skip }, async (t) => {
  const dir = tempDirFor(t, 'sluice-memory-');
  // zstd level 19 needs about 90 MB of state, more than the whole limit.
  const result = await runLimited(
    ['export', '--from', 'gen:rows=1000', '--to', path.join(dir, 'out.csv.zst'), '--compression-level', '19',
      '--memory-limit', '64MB', '--progress', 'none'],
    cleanEnv());
  assert.equal(result.code, EXIT.memory, result.stderr);
  assert.match(result.stderr,
    /memory limit exceeded: compression and encryption buffers \(--compression-level\) needs [\d.]+MB but --memory-limit is 64MB; raise --memory-limit/);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('invalid memory grace is a usage error', { skip: SKIP_WITHOUT_BINARY }, async (t) => {
  const dir = tempDirFor(t, 'sluice-memory-');
  const result = await runLimited(
    ['export', '--from', 'gen:rows=10', '--to', path.join(dir, 'out.csv'), '--memory-grace', 'soon'], cleanEnv());
  assert.equal(result.code, EXIT.usage, result.stderr);
  assert.match(result.stderr, /invalid duration 'soon' for --memory-grace/);
});
