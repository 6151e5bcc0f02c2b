// Resume after SIGKILL: an export killed at seeded random points and then
// continued with `sluice resume ID` must produce the same bytes (SHA-256) as
// the same export run without interruption. The matrix covers CSV, JSON,
// NDJSON, Parquet and Avro output, each plain, gzip, zstd, encrypted and
// encrypted with zstd. It also covers XLSX, which restarts its part by
// design, CSV and Parquet input, and a split output. The other tests check
// that a changed source is rejected, that a cancelled export leaves no
// partial output, and that an export that fills its disk resumes once space
// is freed.
//
// Each run is small: 10000 generated rows, 8KB chunks and a checkpoint every
// 32KB give about 50 checkpoints in 1.6 MB of CSV. The uninterrupted
// reference output is made once per combination. A kill point is a seeded
// random byte count: the export gets SIGKILL once the files in its output
// folder contain that many bytes. XLSX output stays empty until the workbook
// is assembled at the end, so an XLSX kill point counts the bytes the process
// has written anywhere (`wchar` in /proc/PID/io), its spooled sheets included.
//
// SLUICE_RESUME_KILL_POINTS sets the kill points per combination (default
// 20), SLUICE_RESUME_KILL_SEED picks them (default 1), SLUICE_RESUME_ROWS the
// generated rows (default 10000) and SLUICE_RESUME_CONCURRENCY the
// combinations run at once (default 2).
//
// NOTE: with the defaults, the file took 374 s on a shared 2-core virtual
// machine at a load average of 11 to 14 from other jobs, and used 146 s of
// CPU time (user and system, children included). The run time on an idle
// 2-core machine was not measured. Estimated from the CPU time, it is 2 to 3
// minutes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, VEGA_DIR, exportOk, folderBytes, listDir, mountSmallDisk, query, runSluice,
  sqlString, tempDir,
  seededRandom,
} from './helpers.mjs';

const KILL_POINTS = Number(process.env.SLUICE_RESUME_KILL_POINTS || 20);
const SEED = Number(process.env.SLUICE_RESUME_KILL_SEED || 1);
const ROWS = Number(process.env.SLUICE_RESUME_ROWS || 10000);
const CONCURRENCY = Number(process.env.SLUICE_RESUME_CONCURRENCY || 2);
const PASSWORD = 'resume-test-password';
const FLIGHTS = path.join(VEGA_DIR, 'flights-3m.parquet');

// The export id of every run in the matrix. Each run has its own job store,
// so the ids do not collide, and outputs that embed the id (the split
// manifest, the Avro sync marker) are equal across runs.
const EXPORT_ID = 'kill-matrix';

// The nice value of the exports that are killed: low enough for the watcher
// to run first, high enough that they still progress beside a busy build.
const KILLED_EXPORT_NICE = 10;

// Small chunks and a small checkpoint interval give many checkpoints.
const CHECKPOINT_FLAGS = ['--chunk-size', '8KB', '--checkpoint-interval', '32KB'];

// A seed for one combination, so adding a combination does not move the
// kill points of the others.
function combinationSeed(name) {
  return SEED ^ crypto.createHash('sha256').update(name).digest().readUInt32LE(0);
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function environment(stateDir) {
  return { SLUICE_STATE_DIR: stateDir, SLUICE_PASSWORD: PASSWORD };
}

// Environment of a spawned process: the caller's, without SLUICE_* settings
// that would change defaults, plus `extra`.
function childEnvironment(extra) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('SLUICE_') && name !== 'SLUICE_BIN') delete env[name];
  }
  return { ...env, ...extra };
}

// Runs `sluice ARGS` without blocking the event loop, so concurrent tests
// keep watching their own exports. Resolves with {code, signal, stdout, stderr}.
function runAsync(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => { stdout += data.toString('utf8'); });
    child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function runOk(args, env) {
  const result = await runAsync(args, env);
  assert.equal(result.code, 0, `sluice ${args.join(' ')} exited ${result.code} (signal ${result.signal}): ${result.stderr}`);
  return result;
}

// Bytes process `pid` has passed to write() and similar calls so far, or
// undefined once it has exited.
function processWrites(pid) {
  try {
    return Number(/^wchar: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ESRCH') return undefined;
    throw error;
  }
}

// Runs the export `args` to the end at the priority of the killed exports and
// returns the largest write count seen, which is close to its total.
function measureWrites(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env: childEnvironment(env), stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid !== undefined) os.setPriority(child.pid, KILLED_EXPORT_NICE);
    let stderr = '';
    let writes = 0;
    const timer = setInterval(() => { writes = Math.max(writes, processWrites(child.pid) ?? 0); }, 2);
    child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) {
        resolve(writes);
      } else {
        reject(new Error(`sluice ${args.join(' ')} exited ${code}: ${stderr}`));
      }
    });
  });
}

// Starts `sluice ARGS` and sends SIGKILL once the files in `outputDir`
// contain `kill.bytes` bytes, or once the process has written
// `kill.processWrites` bytes anywhere. Resolves with {killed, code, stderr}:
// killed is false when the export finished first.
function exportUntilKilled(args, env, outputDir, kill) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env: childEnvironment(env), stdio: ['ignore', 'ignore', 'pipe'] });
    // On a busy machine the export could finish before this process detects
    // the size it waits for. A lower priority lets the watcher run first there,
    // and changes nothing on an idle machine.
    if (child.pid !== undefined) os.setPriority(child.pid, KILLED_EXPORT_NICE);
    let stderr = '';
    let sent = false;
    const reached = () => (kill.bytes !== undefined ? folderBytes(outputDir) >= kill.bytes
                                                    : (processWrites(child.pid) ?? 0) >= kill.processWrites);
    const check = () => {
      if (sent || !reached()) return;
      sent = true;
      child.kill('SIGKILL');
    };
    // The watch reacts to each write to the folder at once. The interval
    // checks every 2 ms as well, in case a watch event is missed, and is the
    // only check for a count of process writes.
    const watcher = kill.bytes !== undefined ? fs.watch(outputDir, check) : null;
    const timer = setInterval(check, 2);
    child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      watcher?.close();
      clearInterval(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr });
    });
  });
}

// Name -> SHA-256 of every file in `dir`.
function folderHashes(dir) {
  return Object.fromEntries(listDir(dir).map((name) => [name, sha256(path.join(dir, name))]));
}

// Runs the reference export once, then for each kill point an export of the
// same options in a fresh folder and job store that is killed and resumed,
// and compares every output file (parts and manifest included) by SHA-256.
async function checkKillAndResume(t, { name, from, to, flags, restartsPart = false }) {
  const dir = tempDir(t, 'sluice-resume-');
  const referenceDir = path.join(dir, 'reference');
  fs.mkdirSync(referenceDir);
  const exportArgs = (outputDir) => ['export', '--from', from, '--to', path.join(outputDir, to), '--export-id',
                                     EXPORT_ID, ...CHECKPOINT_FLAGS, ...flags, '-q'];
  const byProcessWrites = to.endsWith('.xlsx');
  const referenceEnv = environment(path.join(dir, 'reference-state'));
  let referenceWrites = 0;
  if (byProcessWrites) {
    referenceWrites = await measureWrites(exportArgs(referenceDir), referenceEnv);
  } else {
    await runOk(exportArgs(referenceDir), referenceEnv);
  }
  const expected = folderHashes(referenceDir);
  const referenceBytes = folderBytes(referenceDir);

  const random = seededRandom(combinationSeed(name));
  let landed = 0;
  let continued = 0;
  for (let point = 0; point < KILL_POINTS; point++) {
    const kill = byProcessWrites ? { processWrites: 1 + Math.floor(random() * (referenceWrites - 1)) }
                                 : { bytes: 1 + Math.floor(random() * (referenceBytes - 1)) };
    const where = byProcessWrites ? `at ${kill.processWrites} of ${referenceWrites} bytes written by the process`
                                  : `at ${kill.bytes} of ${referenceBytes} bytes`;
    const outputDir = path.join(dir, `point-${point}`);
    fs.mkdirSync(outputDir);
    const env = environment(path.join(dir, `state-${point}`));

    const run = await exportUntilKilled(exportArgs(outputDir), env, outputDir, kill);
    if (!run.killed) {
      assert.equal(run.code, 0, `export failed before the kill ${where}: ${run.stderr}`);
      t.diagnostic(`the export finished before the kill ${where}`);
    } else {
      // The resume's exit code and message show where the kill landed:
      // mid-export, after the export completed, or before the job store
      // recorded it.
      const resumed = await runAsync(['resume', EXPORT_ID], env);
      if (resumed.code === EXIT.usage && /no export with id/.test(resumed.stderr)) {
        t.diagnostic(`the kill ${where} came before the export was recorded`);
        fs.rmSync(outputDir, { recursive: true });
        continue;
      }
      if (resumed.code === EXIT.usage && /already completed/.test(resumed.stderr)) {
        t.diagnostic(`the export had completed before the kill ${where}`);
      } else {
        assert.equal(resumed.code, 0, `resume after the kill ${where}: ${resumed.stderr}`);
        landed++;
        // A kill before the first durable checkpoint restarts the part:
        // before the first sealed 64 KiB segment of encrypted output, for
        // example. Every XLSX kill does. A kill after the single part was
        // renamed to the destination starts the export again.
        const resumePoint = /resumed (from chunk \d+|from the start of part \d+|after its last part|from the beginning)/
          .exec(resumed.stderr);
        assert.ok(resumePoint, `resume after the kill ${where} printed no resume point: ${resumed.stderr}`);
        if (resumePoint[1].startsWith('from chunk')) {
          continued++;
        } else {
          t.diagnostic(`after the kill ${where}: ${resumed.stderr.split('\n')[0]}`);
        }
      }
    }
    assert.deepEqual(folderHashes(outputDir), expected, `output after the kill ${where} and resume`);
    fs.rmSync(outputDir, { recursive: true });
  }
  t.diagnostic(`${landed} of ${KILL_POINTS} kill points interrupted the export, ${continued} resumed mid-part`);
  assert.ok(landed * 2 >= KILL_POINTS, `only ${landed} of ${KILL_POINTS} kill points landed mid-export`);
  if (restartsPart) {
    assert.equal(continued, 0, 'resumed mid-part, which this output cannot do');
  } else if (landed >= 5) {
    // With fewer kills, all of them may come before the first checkpoint.
    assert.ok(continued > 0, `none of the ${landed} resumes continued from a checkpoint`);
  }
}

const TRANSFORMS = {
  plain: [],
  gzip: ['--compression', 'gzip'],
  zstd: ['--compression', 'zstd'],
  encrypted: ['--encrypt', '--encryption-test-seed', '7'],
  'encrypted-zstd': ['--encrypt', '--encryption-test-seed', '7', '--compression', 'zstd'],
};

// Input files shared by the combinations that read them, made once.
let inputDir;
const inputs = {};

describe('resume after SIGKILL', { skip: SKIP_WITHOUT_BINARY, concurrency: CONCURRENCY }, () => {
  before(async () => {
    inputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-resume-input-'));
    const env = { SLUICE_STATE_DIR: path.join(inputDir, 'state') };
    inputs.csv = path.join(inputDir, 'input.csv');
    exportOk(['export', '--from', `gen:rows=${ROWS}&seed=5`, '--to', inputs.csv, '-q'], { env });
    // Row groups of 3000 rows, so kill points fall both inside a group and
    // between groups.
    inputs.parquet = path.join(inputDir, 'input.parquet');
    exportOk(['export', '--from', `gen:rows=${ROWS}&seed=5`, '--to', inputs.parquet, '--row-group-rows', '3000',
              '-q'], { env });
    // A file from another writer: the first 20000 flights, written by DuckDB
    // in row groups of 4096 rows.
    if (fs.existsSync(FLIGHTS)) {
      inputs.flights = path.join(inputDir, 'flights.parquet');
      await query(`COPY (SELECT * FROM read_parquet(${sqlString(FLIGHTS)}) LIMIT 20000) TO ${sqlString(inputs.flights)}
                   (FORMAT parquet, ROW_GROUP_SIZE 4096)`);
    }
  });
  after(() => {
    if (inputDir) fs.rmSync(inputDir, { recursive: true, force: true });
  });

  for (const format of ['csv', 'json', 'ndjson', 'parquet', 'avro']) {
    for (const [transform, flags] of Object.entries(TRANSFORMS)) {
      const name = `generator to ${format}, ${transform}`;
      test(name, async (t) => {
        await checkKillAndResume(t, { name, from: `gen:rows=${ROWS}&seed=3`, to: `out.${format}`, flags });
      });
    }
  }

  test('generator to xlsx restarts its part', async (t) => {
    await checkKillAndResume(t, {
      name: 'generator to xlsx', from: `gen:rows=${ROWS}&seed=3`, to: 'out.xlsx', flags: [], restartsPart: true,
    });
  });

  for (const [format, transform] of [['csv', 'plain'], ['ndjson', 'zstd'], ['json', 'encrypted']]) {
    const name = `CSV file to ${format}, ${transform}`;
    test(name, async (t) => {
      await checkKillAndResume(t, { name, from: inputs.csv, to: `out.${format}`, flags: TRANSFORMS[transform] });
    });
  }

  for (const [format, transform] of [['csv', 'plain'], ['parquet', 'zstd'], ['avro', 'encrypted']]) {
    const name = `Parquet file to ${format}, ${transform}`;
    test(name, async (t) => {
      await checkKillAndResume(t, { name, from: inputs.parquet, to: `out.${format}`, flags: TRANSFORMS[transform] });
    });
  }

  test('flights-3m slice to ndjson, gzip', { skip: !fs.existsSync(FLIGHTS) && 'vega-datasets missing' }, async (t) => {
    await checkKillAndResume(t, {
      name: 'flights-3m slice', from: inputs.flights, to: 'out.ndjson', flags: TRANSFORMS.gzip,
    });
  });

  test('split output with manifest', async (t) => {
    // About 6 parts; a kill can land in any part, during a rename, or
    // between the last part and the manifest.
    await checkKillAndResume(t, {
      name: 'split output', from: `gen:rows=${ROWS}&seed=3`, to: 'out.csv', flags: ['--max-file-size', '256KB'],
    });
  });
});

// Starts an export of `rows` generated rows into `dir`/out/out.csv and kills
// it once its output contains `bytes` bytes. Returns the run, or skips the test
// when the export finished first.
async function killedExport(t, dir, env, id, rows, bytes) {
  const outputDir = path.join(dir, 'out');
  fs.mkdirSync(outputDir);
  const run = await exportUntilKilled(
    ['export', '--from', `gen:rows=${rows}`, '--to', path.join(outputDir, 'out.csv'), '--export-id', id,
     ...CHECKPOINT_FLAGS, '-q'], env, outputDir, { bytes });
  if (!run.killed) t.skip('the export finished before the kill point');
  return { ...run, outputDir };
}

describe('resume refusals and cancellation', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('changed source is rejected', async (t) => {
    const dir = tempDir(t, 'sluice-resume-changed-');
    const env = environment(path.join(dir, 'state'));
    const input = path.join(dir, 'input.csv');
    exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', input, '-q'], { env });
    const outputDir = path.join(dir, 'out');
    fs.mkdirSync(outputDir);
    const run = await exportUntilKilled(
      ['export', '--from', input, '--to', path.join(outputDir, 'out.csv'), '--export-id', 'changed',
       ...CHECKPOINT_FLAGS], env, outputDir, { bytes: 512 * 1024 });
    if (!run.killed) {
      t.skip('the export finished before the kill point');
      return;
    }
    fs.appendFileSync(input, '1,true,1.5,1.00,1.0000000000,x,,2020-01-01,2020-01-01T00:00:00,2020-01-01T00:00:00Z\n');
    const resumed = runSluice(['resume', 'changed'], { env });
    assert.equal(resumed.code, EXIT.invalidData);
    assert.match(resumed.stderr, /changed since the export started \(size changed from \d+ to \d+ bytes/);

    const allowed = runSluice(['resume', 'changed', '--allow-changed-source', '-q'], { env });
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  test('cancel stops a running export and removes its output', async (t) => {
    const dir = tempDir(t, 'sluice-resume-cancel-');
    const env = environment(path.join(dir, 'state'));
    const outputDir = path.join(dir, 'out');
    fs.mkdirSync(outputDir);
    const child = spawn(SLUICE_BIN, ['export', '--from', `gen:rows=${ROWS * 50}`, '--to',
                                     path.join(outputDir, 'out.csv'), '--export-id', 'stop', '--max-file-size',
                                     '1MB', ...CHECKPOINT_FLAGS, '-q'],
                        { env: childEnvironment(env), stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    // Cancel once a part has been committed and the next one started.
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        if (folderBytes(outputDir) >= 2 * 1024 * 1024) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    // Asynchronous, so this process reaps the exiting export. `sluice cancel`
    // waits until the export's process is gone, and an unreaped child stays
    // a zombie that still counts as alive.
    const cancelled = await runAsync(['cancel', 'stop'], env);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(await exited, EXIT.cancelled);
    assert.deepEqual(listDir(outputDir), []);

    const listed = JSON.parse(runSluice(['exports', '--json'], { env }).stdout.toString('utf8'));
    assert.equal(listed.find((entry) => entry.id === 'stop').state, 'cancelled');
    assert.equal(runSluice(['resume', 'stop'], { env }).code, EXIT.usage);
  });

  test('cancel removes the output of an interrupted export', async (t) => {
    const dir = tempDir(t, 'sluice-resume-cancel-killed-');
    const env = environment(path.join(dir, 'state'));
    const run = await killedExport(t, dir, env, 'gone', ROWS, 512 * 1024);
    if (!run.killed) return;
    assert.notDeepEqual(listDir(run.outputDir).filter((name) => name.includes('.sluice-tmp-')), []);
    assert.equal(runSluice(['cancel', 'gone'], { env }).code, 0);
    assert.deepEqual(listDir(run.outputDir), []);
  });

  test('exports lists state and progress', (t) => {
    const dir = tempDir(t, 'sluice-resume-list-');
    const env = environment(path.join(dir, 'state'));
    const started = exportOk(['export', '--from', 'gen:rows=1000', '--to', path.join(dir, 'a.csv')], { env });
    const id = /export ([0-9a-f]{16}) started/.exec(started.stderr)[1];
    const listed = JSON.parse(runSluice(['exports', '--json'], { env }).stdout.toString('utf8'));
    const entry = listed.find((item) => item.id === id);
    assert.equal(entry.state, 'completed');
    assert.equal(entry.recordsExported, 1000);
    assert.equal(entry.percentComplete, 100);
  });

  test('no password reaches the job store', (t) => {
    const dir = tempDir(t, 'sluice-resume-secret-');
    const stateDir = path.join(dir, 'state');
    exportOk(['export', '--from', 'gen:rows=20000', '--to', path.join(dir, 'a.csv'), '--encrypt', '-q',
              ...CHECKPOINT_FLAGS], { env: environment(stateDir) });
    for (const name of fs.readdirSync(stateDir)) {
      const bytes = fs.readFileSync(path.join(stateDir, name));
      assert.equal(bytes.indexOf(PASSWORD), -1, `${name} contains the password`);
    }
  });
});

// Mounting needs root and a kernel that allows it in this environment.
function tmpfsSkipReason() {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  if (spawnSync('sh', ['-c', 'command -v mount']).status !== 0) return 'mount is not installed';
  return false;
}

describe('full disk', { skip: SKIP_WITHOUT_BINARY || tmpfsSkipReason() }, () => {
  test('fails, is freed, and resumes', (t) => {
    const mount = mountSmallDisk(t, 'sluice-resume-disk-', '2m');
    if (mount === null) return;
    const { dir, disk } = mount;
    const env = environment(path.join(dir, 'state'));
    const args = ['--from', 'gen:rows=30000', ...CHECKPOINT_FLAGS, '-q'];

    const full = runSluice(['export', ...args, '--to', path.join(disk, 'out.csv'), '--export-id', 'disk'], { env });
    assert.equal(full.code, EXIT.io, full.stderr);
    assert.match(full.stderr, /No space left on device/);
    assert.equal(spawnSync('mount', ['-o', 'remount,size=16m', disk]).status, 0);

    const resumed = runSluice(['resume', 'disk'], { env });
    assert.equal(resumed.code, 0, resumed.stderr);
    exportOk(['export', ...args, '--to', path.join(dir, 'reference.csv')], { env });
    assert.equal(sha256(path.join(disk, 'out.csv')), sha256(path.join(dir, 'reference.csv')));
  });
});
