// Resume after SIGKILL: an export killed at seeded random points and then
// continued with `sluice resume ID` must produce the same bytes (SHA-256) as
// the same export run without interruption. Also: a changed source is
// rejected, a cancelled export leaves no partial output, and an export that
// fills its disk resumes once space is freed.
//
// SLUICE_RESUME_KILL_POINTS sets the kill points per combination. The
// default, 3, keeps the suite at a few minutes. Raise it, for example to 20,
// for a thorough run. SLUICE_RESUME_KILL_SEED picks the points (default 1),
// and SLUICE_RESUME_ROWS the generated rows (default 300000, enough for
// dozens of checkpoints with 64KB chunks).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import { EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, exportOk, listDir, runSluice, tempDir } from './helpers.mjs';

const KILL_POINTS = Number(process.env.SLUICE_RESUME_KILL_POINTS || 3);
const SEED = Number(process.env.SLUICE_RESUME_KILL_SEED || 1);
const ROWS = Number(process.env.SLUICE_RESUME_ROWS || 300000);
const PASSWORD = 'resume-test-password';

// Small chunks and a small checkpoint interval give many checkpoints.
const CHECKPOINT_FLAGS = ['--chunk-size', '64KB', '--checkpoint-interval', '256KB'];

// mulberry32: a small seeded generator, so kill points repeat across runs.
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

// Starts `sluice export ARGS --progress json` and sends SIGKILL on the
// `killAt`-th progress update (1-based). Resolves with {killed, code,
// stderr}: killed is false when the export finished first.
function exportUntilKilled(args, env, killAt) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, [...args, '--progress', 'json'], {
      env: childEnvironment(env),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let killed = false;
    let updates = 0;
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (data) => {
      pending += data.toString('utf8');
      stderr += data.toString('utf8');
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (killed || !line.startsWith('{')) continue;
        const event = JSON.parse(line);
        if (++updates >= killAt && event.percentComplete < 100) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ killed: killed && signal === 'SIGKILL', code, stderr }));
  });
}

// Progress updates before completion in `stderr` of a --progress json run.
function updatesBeforeEnd(stderr) {
  return stderr.split('\n').filter((line) => line.startsWith('{') && JSON.parse(line).percentComplete < 100).length;
}

// Runs the reference export, then for each kill point an export of the same
// options that is killed and resumed, and compares the bytes.
async function checkKillAndResume(t, { from, to, flags }) {
  const dir = tempDir(t, 'sluice-resume-');
  const stateDir = path.join(dir, 'state');
  const env = environment(stateDir);
  const reference = path.join(dir, `reference-${to}`);
  const referenceRun = exportOk(['export', '--from', from, '--to', reference, ...CHECKPOINT_FLAGS, ...flags,
                                  '--progress', 'json'], { env });
  const expected = sha256(reference);
  // Kill points are drawn among the progress updates the reference run made.
  const updates = Math.max(1, updatesBeforeEnd(referenceRun.stderr));

  const random = seededRandom(SEED + from.length * 31 + to.length * 7 + flags.length);
  let resumedCount = 0;
  for (let point = 0; point < KILL_POINTS; point++) {
    const killAt = 1 + Math.floor(random() * updates);
    const id = `kill-${point}`;
    const output = path.join(dir, `${point}-${to}`);
    const args = ['export', '--from', from, '--to', output, '--export-id', id, ...CHECKPOINT_FLAGS, ...flags];
    const run = await exportUntilKilled(args, env, killAt);
    if (!run.killed) {
      assert.equal(run.code, 0, `export ${id} failed before it could be killed: ${run.stderr}`);
      t.diagnostic(`kill point at update ${killAt} of ${updates} came after the export finished`);
    } else {
      const resumed = runSluice(['resume', id], { env });
      assert.equal(resumed.code, 0, `resume ${id} (killed at update ${killAt} of ${updates}): ${resumed.stderr}`);
      assert.match(resumed.stderr, /resumed (from chunk|from the start of part)/);
      resumedCount++;
    }
    assert.equal(sha256(output), expected, `export killed at update ${killAt} of ${updates} and resumed`);
    assert.deepEqual(listDir(dir).filter((name) => name.includes('.sluice-tmp-')), [],
                     'no temporary file is left');
  }
  t.diagnostic(`${resumedCount} of ${KILL_POINTS} kill points interrupted the export`);
}

const TRANSFORMS = {
  plain: [],
  gzip: ['--compression', 'gzip'],
  zstd: ['--compression', 'zstd'],
  encrypted: ['--encrypt', '--encryption-test-seed', '7'],
  'encrypted-zstd': ['--encrypt', '--encryption-test-seed', '7', '--compression', 'zstd'],
};

describe('resume after SIGKILL', { skip: SKIP_WITHOUT_BINARY }, () => {
  for (const format of ['csv', 'ndjson', 'json']) {
    for (const [name, flags] of Object.entries(TRANSFORMS)) {
      test(`generator to ${format}, ${name}`, async (t) => {
        await checkKillAndResume(t, { from: `gen:rows=${ROWS}&seed=3`, to: `out.${format}`, flags });
      });
    }
  }

  for (const [format, transform] of [['csv', 'plain'], ['ndjson', 'zstd'], ['json', 'encrypted']]) {
    test(`CSV file to ${format}, ${transform}`, async (t) => {
      const dir = tempDir(t, 'sluice-resume-input-');
      const input = path.join(dir, 'input.csv');
      exportOk(['export', '--from', `gen:rows=${ROWS}&seed=5`, '--to', input, '-q'],
               { env: { SLUICE_STATE_DIR: path.join(dir, 'state') } });
      await checkKillAndResume(t, { from: input, to: `out.${format}`, flags: TRANSFORMS[transform] });
    });
  }

  test('split output, parts written once', async (t) => {
    const dir = tempDir(t, 'sluice-resume-split-');
    const stateDir = path.join(dir, 'state');
    const env = environment(stateDir);
    const flags = ['--max-file-size', '4MB', ...CHECKPOINT_FLAGS];
    const from = `gen:rows=${ROWS}`;
    exportOk(['export', '--from', from, '--to', path.join(dir, 'reference.csv'), ...flags, '-q'], { env });
    const run = await exportUntilKilled(
      ['export', '--from', from, '--to', path.join(dir, 'out.csv'), '--export-id', 'split', ...flags], env, 3);
    if (run.killed) {
      const resumed = runSluice(['resume', 'split'], { env });
      assert.equal(resumed.code, 0, resumed.stderr);
    }
    const parts = (name) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.csv.manifest.json`), 'utf8')).parts;
    const expected = parts('reference');
    const actual = parts('out');
    assert.equal(actual.length, expected.length);
    for (let i = 0; i < actual.length; i++) {
      assert.equal(actual[i].sha256, expected[i].sha256, `part ${i + 1}`);
      assert.equal(sha256(path.join(dir, actual[i].path)), expected[i].sha256, `part ${i + 1} on disk`);
    }
  });
});

describe('resume refusals and cancellation', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('changed source is rejected', async (t) => {
    const dir = tempDir(t, 'sluice-resume-changed-');
    const env = environment(path.join(dir, 'state'));
    const input = path.join(dir, 'input.csv');
    exportOk(['export', '--from', `gen:rows=${ROWS}`, '--to', input, '-q'], { env });
    const run = await exportUntilKilled(
      ['export', '--from', input, '--to', path.join(dir, 'out.csv'), '--export-id', 'changed', ...CHECKPOINT_FLAGS],
      env, 2);
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
    const child = spawn(SLUICE_BIN, ['export', '--from', `gen:rows=${ROWS * 10}`, '--to', path.join(dir, 'out.csv'),
                                     '--export-id', 'stop', '--max-file-size', '8MB', ...CHECKPOINT_FLAGS,
                                     '--progress', 'json'],
                        { env: childEnvironment(env), stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => {
      let updates = 0;
      child.stderr.on('data', (data) => {
        updates += (data.toString('utf8').match(/^\{/gm) || []).length;
        if (updates >= 3) resolve();
      });
    });
    const cancelled = runSluice(['cancel', 'stop'], { env });
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(await exited, EXIT.cancelled);
    assert.deepEqual(listDir(dir).filter((name) => name !== 'state'), []);

    const listed = JSON.parse(runSluice(['exports', '--json'], { env }).stdout.toString('utf8'));
    assert.equal(listed.find((entry) => entry.id === 'stop').state, 'cancelled');
    assert.equal(runSluice(['resume', 'stop'], { env }).code, EXIT.usage);
  });

  test('cancel removes the output of an interrupted export', async (t) => {
    const dir = tempDir(t, 'sluice-resume-cancel-killed-');
    const env = environment(path.join(dir, 'state'));
    const run = await exportUntilKilled(
      ['export', '--from', `gen:rows=${ROWS}`, '--to', path.join(dir, 'out.csv'), '--export-id', 'gone',
       ...CHECKPOINT_FLAGS], env, 2);
    if (!run.killed) {
      t.skip('the export finished before the kill point');
      return;
    }
    assert.notDeepEqual(listDir(dir).filter((name) => name.includes('.sluice-tmp-')), []);
    assert.equal(runSluice(['cancel', 'gone'], { env }).code, 0);
    assert.deepEqual(listDir(dir).filter((name) => name !== 'state'), []);
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
    // One cleanup hook, so the tmpfs is unmounted before its directory is removed.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-resume-disk-'));
    const disk = path.join(dir, 'disk');
    fs.mkdirSync(disk);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk]);
    t.after(() => {
      if (mounted.status === 0) spawnSync('umount', [disk]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    if (mounted.status !== 0) {
      t.skip(`cannot mount a tmpfs: ${mounted.stderr.toString().trim()}`);
      return;
    }
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
