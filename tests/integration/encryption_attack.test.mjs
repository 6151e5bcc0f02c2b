// Attacks on encrypted exports and on the file writes below them.
//
// - Every output format, plain and compressed, from empty to medium size and
//   at the 64 KiB segment boundaries: `sluice decrypt` must return the bytes
//   of the plain export, and a reader written from docs/encryption.md with
//   Python's `cryptography` package must agree. age output must open with
//   the `age` binary.
// - Destinations that are not regular files (/dev/null, a FIFO, standard
//   output) must receive the same bytes as a file.
// - Exports killed with SIGKILL while the key is derived, right after a
//   write to the job store, between checkpoints and during a resume
//   must resume to the bytes of an uninterrupted export with the same
//   --encryption-test-seed. A wrong password on resume must fail with exit
//   code 3 and change neither the partial files nor the job store.
// - A full file system (a 20 MB tmpfs, root only) must fail with exit code 4
//   and a plain message, keep only the hidden temporary file, and resume to
//   the same bytes once space is freed.
//
// Tests marked `todo` show known bugs: they fail today and are reported
// without failing the suite.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, exportOk, folderBytes, hasCommand, listDir, mountSmallDisk, runSluice,
  tempDir,
} from './helpers.mjs';

const PASSWORD = 'attack-test-password';
const SEGMENT_BYTES = 65536;
const HEADER_BYTES = 80;
const TAG_BYTES = 16;
const FORMATS = ['csv', 'json', 'ndjson', 'parquet', 'avro', 'xlsx'];
const SEEDED = ['--encrypt', '--encryption-test-seed', '7'];

// Small chunks and checkpoints, so a medium export has many of them.
const CHECKPOINT_FLAGS = ['--chunk-size', '8KB', '--checkpoint-interval', '32KB'];

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function fileSha256(file) {
  return sha256(fs.readFileSync(file));
}

function environment(stateDir, password = PASSWORD) {
  return { SLUICE_STATE_DIR: stateDir, SLUICE_PASSWORD: password };
}

// Size of a Sluice container holding `plainBytes` bytes: the header, the
// plaintext and one tag per segment, with one (empty) segment for no bytes.
function containerBytes(plainBytes) {
  const segments = Math.max(1, Math.ceil(plainBytes / SEGMENT_BYTES));
  return HEADER_BYTES + plainBytes + segments * TAG_BYTES;
}

// A reader of the Sluice container written from docs/encryption.md, not
// from the C++ code. It reads pairs of (container, expected plaintext) paths
// as JSON on standard input and prints one line per pair: "ok" or the error.
const PYTHON_READER = String.raw`
import hashlib, hmac, json, struct, sys
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def open_container(blob, password):
    if blob[:8] != b'SLUICENC' or blob[8:11] != b'\x01\x01\x01':
        raise ValueError('not a version 1 container')
    r, p, segment = struct.unpack('>III', blob[12:24])
    if segment != 65536:
        raise ValueError('segment size %d' % segment)
    key = Scrypt(salt=blob[24:40], length=64, n=1 << blob[11], r=r, p=p).derive(password.encode())
    if hmac.new(key[32:], blob[:48], hashlib.sha256).digest() != blob[48:80]:
        raise ValueError('header MAC mismatch')
    aead = AESGCM(key[:32])
    offset, counter, plain = 80, 0, []
    while True:
        length = min(len(blob) - offset, 65552)
        last = length < 65552 or offset + length == len(blob)
        nonce = blob[40:47] + struct.pack('>I', counter) + (b'\x01' if last else b'\x00')
        plain.append(aead.decrypt(nonce, blob[offset:offset + length], blob[:80]))
        offset, counter = offset + length, counter + 1
        if last:
            return b''.join(plain)

request = json.load(sys.stdin)
for container, expected in request['pairs']:
    try:
        plain = open_container(open(container, 'rb').read(), request['password'])
        print('ok' if plain == open(expected, 'rb').read() else 'plaintext differs')
    except Exception as error:
        print('%s: %r' % (type(error).__name__, error))
`;

const PYTHON = '/usr/bin/python3';
const PYTHON_SKIP = spawnSync(PYTHON, ['-c', 'import cryptography']).status === 0
  ? false : `${PYTHON} with the cryptography package is not installed`;

// Checks every (container, expected plaintext) pair with the Python reader.
function checkWithPython(pairs) {
  const result = spawnSync(PYTHON, ['-c', PYTHON_READER], {
    input: JSON.stringify({ password: PASSWORD, pairs }),
    timeout: 60_000,
  });
  assert.equal(result.status, 0, `python reader failed: ${result.stderr}`);
  const lines = result.stdout.toString('utf8').trim().split('\n');
  assert.equal(lines.length, pairs.length, `python reader output: ${result.stdout}`);
  pairs.forEach(([container], index) => {
    assert.equal(lines[index], 'ok', `python reader on ${path.basename(container)}`);
  });
}

// Exports `from` plain and encrypted, decrypts the container with `sluice
// decrypt` and compares it with the plain export. Returns the pair of paths
// (container, plain export) for the Python reader.
function roundTrip(dir, name, from, format, flags) {
  const stateDir = path.join(dir, `state-${name}`);
  const env = environment(stateDir);
  // A fixed id and sync seed make Avro output the same in both exports.
  const common = ['--from', from, '--format', format, '--export-id', 'same', '--avro-sync-seed', '3', '-q', ...flags];
  const plain = path.join(dir, `${name}.plain`);
  const sealed = path.join(dir, `${name}.enc`);
  const opened = path.join(dir, `${name}.opened`);
  exportOk(['export', ...common, '--to', plain], { env: environment(`${stateDir}-plain`) });
  exportOk(['export', ...common, '--to', sealed, ...SEEDED], { env });
  exportOk(['decrypt', sealed, opened], { env });

  const plainBytes = fs.readFileSync(plain);
  assert.equal(fs.statSync(sealed).size, containerBytes(plainBytes.length), `container size of ${name}`);
  assert.ok(plainBytes.equals(fs.readFileSync(opened)), `${name}: sluice decrypt differs from the plain export`);
  return [sealed, plain];
}

// Writes a one-column CSV file whose CSV export is exactly `bytes` bytes
// (bytes >= 7): the header "s\n", then rows of letters of at most 100 bytes.
function writeCsvOfSize(file, bytes) {
  let text = 's\n';
  while (text.length < bytes) {
    const left = bytes - text.length;
    // A row is at least "xx\n", so never leave 1 or 2 bytes for the last one.
    let row = Math.min(100, left);
    if (left - row > 0 && left - row < 3) row -= 3;
    text += 'x'.repeat(row - 1) + '\n';
  }
  fs.writeFileSync(file, text);
}

describe('encrypted round trip', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('decrypt matches plain export', (t) => {
    const dir = tempDir(t, 'sluice-attack-roundtrip-');
    const pairs = [];
    // Each format empty and medium with zstd; the rest spread over formats,
    // because every case derives the key three times (about 0.15 s each).
    const cases = FORMATS.flatMap((format) => [
      [format, 'empty', 'gen:rows=0', []],
      [format, 'medium-zstd', 'gen:rows=1500&seed=2', ['--compression', 'zstd']],
    ]);
    cases.push(['csv', 'one-row-gzip', 'gen:rows=1&seed=2', ['--compression', 'gzip']],
               ['parquet', 'one-row', 'gen:rows=1&seed=2', []],
               ['ndjson', 'medium', 'gen:rows=1500&seed=2', []],
               ['avro', 'medium-gzip', 'gen:rows=1500&seed=2', ['--compression', 'gzip']]);
    for (const [format, label, from, flags] of cases) {
      pairs.push(roundTrip(dir, `${format}-${label}`, from, format, flags));
    }
    if (!PYTHON_SKIP) checkWithPython(pairs);
  });

  test('segment boundaries', (t) => {
    const dir = tempDir(t, 'sluice-attack-boundary-');
    const pairs = [];
    for (const bytes of [SEGMENT_BYTES - 1, SEGMENT_BYTES, SEGMENT_BYTES + 1, 2 * SEGMENT_BYTES,
                         2 * SEGMENT_BYTES + 1]) {
      const input = path.join(dir, `in-${bytes}.csv`);
      writeCsvOfSize(input, bytes);
      const pair = roundTrip(dir, `csv-${bytes}`, input, 'csv', ['--schema', 's:string']);
      assert.equal(fs.statSync(pair[1]).size, bytes, 'the plain export has the size the input was made for');
      pairs.push(pair);
    }
    if (!PYTHON_SKIP) checkWithPython(pairs);
  });

  test('parquet under a memory limit', (t) => {
    // Under a 72MB limit the Parquet writer cuts row groups by the free
    // budget. The container gives back scrypt's 32 MiB before the first rows
    // are encoded, so the decrypted file has the plain file's row groups.
    const dir = tempDir(t, 'sluice-attack-parquet-memory-');
    roundTrip(dir, 'parquet-limited', 'gen:rows=60000&seed=1', 'parquet', ['--memory-limit', '72MB']);
  });

  test('age output opens with age', { skip: !hasCommand('age') && 'the age binary is not installed' }, (t) => {
    const dir = tempDir(t, 'sluice-attack-age-');
    const identity = path.join(dir, 'key.txt');
    assert.equal(spawnSync('age-keygen', ['-o', identity]).status, 0);
    const recipient = /age1[0-9a-z]+/.exec(fs.readFileSync(identity, 'utf8'))[0];
    for (const [format, flags] of [['csv', ['--compression', 'zstd']], ['parquet', []], ['json', []]]) {
      const common = ['--from', 'gen:rows=1500&seed=2', '--format', format, '-q', ...flags];
      const plain = path.join(dir, `${format}.plain`);
      const sealed = path.join(dir, `${format}.age`);
      exportOk(['export', ...common, '--to', plain], { env: environment(path.join(dir, `state-${format}-p`)) });
      exportOk(['export', ...common, '--to', sealed, '--recipient', recipient],
               { env: environment(path.join(dir, `state-${format}-e`)) });
      const opened = spawnSync('age', ['-d', '-i', identity, sealed], { maxBuffer: 1 << 28 });
      assert.equal(opened.status, 0, `age -d: ${opened.stderr}`);
      assert.ok(opened.stdout.equals(fs.readFileSync(plain)), `${format}: age -d differs from the plain export`);
    }
  });
});

// Runs `sluice ARGS` without blocking the event loop. Resolves with {code,
// signal, stdout (Buffer), stderr}.
function runAsync(args, env, { stdout = 'pipe' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', stdout, 'pipe'] });
    const chunks = [];
    let stderr = '';
    child.stdout?.on('data', (data) => chunks.push(data));
    child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(chunks), stderr }));
  });
}

describe('destinations that are not regular files', { skip: SKIP_WITHOUT_BINARY }, () => {
  const from = 'gen:rows=20000&seed=1';
  const variants = { plain: [], encrypted: SEEDED, 'encrypted zstd': [...SEEDED, '--compression', 'zstd'] };

  // The SHA-256 of the same export written to a regular file.
  function fileExportSha(dir, name, flags) {
    const file = path.join(dir, `${name}.file`);
    exportOk(['export', '--from', from, '--format', 'csv', '--to', file, '-q', ...flags],
             { env: environment(path.join(dir, `state-${name}-file`)) });
    return fileSha256(file);
  }

  for (const [name, flags] of Object.entries(variants)) {
    test(`standard output, ${name}`, async (t) => {
      const dir = tempDir(t, 'sluice-attack-stdout-');
      const result = await runAsync(['export', '--from', from, '--format', 'csv', '--to', '-', '-q', ...flags],
                                    environment(path.join(dir, 'state')));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(sha256(result.stdout), fileExportSha(dir, 'stdout', flags));
    });

    test(`FIFO with a reader, ${name}`, async (t) => {
      const dir = tempDir(t, 'sluice-attack-fifo-');
      const fifo = path.join(dir, 'pipe');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      // The reader reads in small pieces, so the writer meets a full pipe.
      const reader = spawn('sh', ['-c', `dd if="${fifo}" bs=4096 2>/dev/null | sha256sum`], { stdio: ['ignore', 'pipe', 'inherit'] });
      let digest = '';
      reader.stdout.on('data', (data) => { digest += data.toString('utf8'); });
      const readerDone = new Promise((resolve) => reader.on('close', resolve));
      const result = await runAsync(['export', '--from', from, '--format', 'csv', '--to', fifo, '-q', ...flags],
                                    environment(path.join(dir, 'state')));
      await readerDone;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(digest.split(' ')[0], fileExportSha(dir, 'fifo', flags));
      assert.deepEqual(listDir(dir).filter((entry) => entry.includes('sluice-tmp')), [], 'no temporary file beside the FIFO');
    });
  }

  test('/dev/null', (t) => {
    const dir = tempDir(t, 'sluice-attack-null-');
    for (const [name, flags] of Object.entries(variants)) {
      const result = runSluice(['export', '--from', from, '--format', 'csv', '--to', '/dev/null', '-q', ...flags],
                               { env: environment(path.join(dir, `state-${name}`)) });
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
    }
    assert.ok(fs.statSync('/dev/null').isCharacterDevice(), '/dev/null is still a device');
  });

  test('SIGTERM while waiting for a FIFO reader', async (t) => {
    const dir = tempDir(t, 'sluice-attack-fifo-term-');
    const fifo = path.join(dir, 'pipe');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const child = spawn(SLUICE_BIN, ['export', '--from', from, '--format', 'csv', '--to', fifo, '-q'],
                        { env: { ...process.env, ...environment(path.join(dir, 'state')) }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const outcome = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), 2000))]);
    if (outcome === null) {
      // Let the blocked export open the FIFO and see the cancellation.
      fs.closeSync(fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
      child.kill('SIGKILL');
      await exited;
    }
    assert.notEqual(outcome, null, 'the export was still running 2 s after SIGTERM');
    assert.equal(outcome.code, EXIT.cancelled);
  });
});

function temporaryFiles(dir) {
  return listDir(dir).filter((name) => name.includes('.sluice-tmp-'));
}

// Starts `sluice ARGS` and sends SIGKILL once `reached()` returns true,
// checked every 2 ms and on every change in `watchDirs`. Resolves with
// {killed, code, stderr}; killed is false when the process ended first.
function runUntilKilled(args, env, reached, watchDirs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    // A lower priority lets this process see the point before the export passes it.
    if (child.pid !== undefined) os.setPriority(child.pid, 10);
    let stderr = '';
    let sent = false;
    const check = (event, name) => {
      if (sent || !reached(event, name)) return;
      sent = true;
      child.kill('SIGKILL');
    };
    const watchers = watchDirs.map((dir) => fs.watch(dir, check));
    const timer = setInterval(check, 2);
    child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const watcher of watchers) watcher.close();
      clearInterval(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr });
    });
  });
}

describe('kill and resume of encrypted exports', { skip: SKIP_WITHOUT_BINARY }, () => {
  const from = 'gen:rows=10000&seed=3';
  const id = 'attack';

  // Runs the uninterrupted reference export. Returns its SHA-256 and size,
  // and exportArgs(folder), the arguments of the same export into `folder`.
  function reference(dir, name, flags) {
    const exportArgs = (outputDir) => ['export', '--from', from, '--to', path.join(outputDir, name),
                                       '--export-id', id, ...CHECKPOINT_FLAGS, ...SEEDED, ...flags, '-q'];
    const referenceDir = path.join(dir, 'reference');
    fs.mkdirSync(referenceDir);
    exportOk(exportArgs(referenceDir), { env: environment(path.join(dir, 'reference-state')) });
    return { exportArgs, expected: fileSha256(path.join(referenceDir, name)),
             bytes: fs.statSync(path.join(referenceDir, name)).size };
  }

  // Resumes until the export completes, killing each resume whose turn
  // `resumeKills` gives, and compares the output with the reference.
  async function resumeAndCompare(t, outputDir, stateDir, name, ref, where, resumeKills = []) {
    const env = environment(stateDir);
    for (const kill of resumeKills) {
      const run = await runUntilKilled(['resume', id], env, () => folderBytes(outputDir) >= kill, [outputDir]);
      if (!run.killed) assert.equal(run.code, 0, `resume killed at ${kill} bytes, after ${where}: ${run.stderr}`);
      if (!run.killed) break;
    }
    const resumed = await runAsync(['resume', id], env);
    if (resumed.code === EXIT.usage && /no export with id/.test(resumed.stderr)) {
      t.diagnostic(`${where}: killed before the export was recorded`);
      return null;
    }
    let resumePoint = 'completed before the kill';
    if (!/already completed/.test(resumed.stderr)) {
      assert.equal(resumed.code, 0, `resume after ${where}: ${resumed.stderr}`);
      resumePoint = /resumed (.*)/.exec(resumed.stderr)?.[1] ?? resumed.stderr;
    }
    t.diagnostic(`${where}: ${resumePoint}`);
    assert.deepEqual(temporaryFiles(outputDir), [], `no temporary file left after ${where}`);
    assert.equal(fileSha256(path.join(outputDir, name)), ref.expected, `output after ${where} and resume`);
    return resumePoint;
  }

  test('kill during key derivation', async (t) => {
    // The container header is written with the first sealed segment, once
    // the key is derived, so an empty temporary file means scrypt is running
    // or the first segment is not sealed yet.
    const dir = tempDir(t, 'sluice-attack-kill-scrypt-');
    const ref = reference(dir, 'out.csv', []);
    let landed = 0;
    for (let run = 0; run < 3; run++) {
      const outputDir = path.join(dir, `run-${run}`);
      const stateDir = path.join(dir, `state-${run}`);
      fs.mkdirSync(outputDir);
      const killed = await runUntilKilled(ref.exportArgs(outputDir), environment(stateDir), () => {
        const temps = temporaryFiles(outputDir);
        return temps.length > 0 && fs.statSync(path.join(outputDir, temps[0]), { throwIfNoEntry: false })?.size === 0;
      }, [outputDir]);
      assert.ok(killed.killed, `the export ended before its temporary file was created: ${killed.stderr}`);
      const resumePoint = await resumeAndCompare(t, outputDir, stateDir, 'out.csv', ref, `kill ${run} during key derivation`);
      if (resumePoint !== null) {
        landed++;
        assert.match(resumePoint, /from the start of part 1|from the beginning/, 'no sealed segment to continue from');
      }
    }
    assert.ok(landed > 0, 'no kill landed after the export was recorded');
  });

  test('kill right after a checkpoint', async (t) => {
    // The job store's WAL changes when a checkpoint is recorded, after the
    // fsync, and also when progress is. Kill at change n of jobs.db-wal once
    // output exists, for several n.
    const dir = tempDir(t, 'sluice-attack-kill-checkpoint-');
    const ref = reference(dir, 'out.ndjson.zst', []);
    let continued = 0;
    for (const nth of [1, 7, 15, 40]) {
      const outputDir = path.join(dir, `run-${nth}`);
      const stateDir = path.join(dir, `state-${nth}`);
      fs.mkdirSync(outputDir);
      fs.mkdirSync(stateDir);
      let changes = 0;
      const killed = await runUntilKilled(ref.exportArgs(outputDir), environment(stateDir), (event, name) => {
        if (name === 'jobs.db-wal' && folderBytes(outputDir) > 0) changes++;
        return changes >= nth;
      }, [stateDir]);
      if (!killed.killed) {
        assert.equal(killed.code, 0, killed.stderr);
        t.diagnostic(`the export finished before job store change ${nth}`);
      }
      const resumePoint = await resumeAndCompare(t, outputDir, stateDir, 'out.ndjson.zst', ref,
                                                 `job store change ${nth}`);
      if (/^from chunk/.test(resumePoint)) continued++;
    }
    assert.ok(continued > 0, 'no resume continued from a checkpoint');
  });

  for (const [name, flags] of [['out.parquet', []], ['out.avro', ['--compression', 'zstd']],
                               ['out.json', ['--compression', 'gzip']]]) {
    test(`kill between checkpoints and during resume, ${[name, ...flags].join(' ')}`, async (t) => {
      const dir = tempDir(t, 'sluice-attack-kill-bytes-');
      const ref = reference(dir, name, flags);
      // Fixed fractions of the reference size, early and late, each followed
      // by a resume that is itself killed further on.
      for (const [first, second] of [[0.1, 0.4], [0.6, 0.9]]) {
        const outputDir = path.join(dir, `run-${first}`);
        const stateDir = path.join(dir, `state-${first}`);
        fs.mkdirSync(outputDir);
        const killAt = Math.floor(first * ref.bytes);
        const killed = await runUntilKilled(ref.exportArgs(outputDir), environment(stateDir),
                                            () => folderBytes(outputDir) >= killAt, [outputDir]);
        if (!killed.killed) assert.equal(killed.code, 0, killed.stderr);
        await resumeAndCompare(t, outputDir, stateDir, name, ref, `a kill at ${killAt} of ${ref.bytes} bytes`,
                               [Math.floor(second * ref.bytes)]);
      }
    });
  }

  test('wrong password on resume changes nothing', async (t) => {
    const dir = tempDir(t, 'sluice-attack-wrong-password-');
    const ref = reference(dir, 'out.csv', []);
    const outputDir = path.join(dir, 'run');
    const stateDir = path.join(dir, 'state');
    fs.mkdirSync(outputDir);
    const killAt = Math.floor(ref.bytes / 2);
    const killed = await runUntilKilled(ref.exportArgs(outputDir), environment(stateDir),
                                        () => folderBytes(outputDir) >= killAt, [outputDir]);
    assert.ok(killed.killed, `the export finished before the kill: ${killed.stderr}`);

    const snapshot = () => ({
      files: Object.fromEntries(listDir(outputDir).map((entry) => [entry, fileSha256(path.join(outputDir, entry))])),
      store: JSON.parse(runSluice(['exports', '--json'], { env: environment(stateDir) }).stdout.toString('utf8')),
    });
    const before = snapshot();
    const wrong = runSluice(['resume', id], { env: environment(stateDir, 'not-the-password') });
    assert.equal(wrong.code, EXIT.invalidData, wrong.stderr);
    assert.match(wrong.stderr, /^sluice: error: wrong password for /);
    assert.equal(wrong.stderr.trim().split('\n').length, 1, `one line of error: ${wrong.stderr}`);
    assert.deepEqual(snapshot(), before, 'the wrong password changed the partial file or the job store');

    await resumeAndCompare(t, outputDir, stateDir, 'out.csv', ref, 'a wrong password');
  });

  test('wrong password on resume of a split age export', async (t) => {
    const dir = tempDir(t, 'sluice-attack-age-split-');
    const outputDir = path.join(dir, 'out');
    const stateDir = path.join(dir, 'state');
    fs.mkdirSync(outputDir);
    const args = ['export', '--from', 'gen:rows=20000&seed=3', '--to', path.join(outputDir, 'out.csv'),
                  '--encrypt', 'age', '--max-file-size', '1MB', '--export-id', id, ...CHECKPOINT_FLAGS, '-q'];
    // Kill once two parts are committed and the third has started.
    const killed = await runUntilKilled(args, environment(stateDir),
                                        () => listDir(outputDir).filter((e) => /^out\.part-/.test(e)).length >= 2,
                                        [outputDir]);
    assert.ok(killed.killed, `the export finished before the kill: ${killed.stderr}`);
    const before = listDir(outputDir);

    const wrong = runSluice(['resume', id], { env: environment(stateDir, 'not-the-password') });
    const after = listDir(outputDir);
    if (wrong.code === 0) {
      // Show the damage: the last part opens only with the wrong password.
      const last = after.filter((e) => /^out\.part-/.test(e)).at(-1);
      const opened = runSluice(['decrypt', path.join(outputDir, last), path.join(dir, 'last.csv')],
                               { env: environment(stateDir) });
      t.diagnostic(`${last} with the export's password: exit ${opened.code}, ${opened.stderr.trim()}`);
    }
    assert.equal(wrong.code, EXIT.invalidData, `resume with a wrong password: exit ${wrong.code}, ${wrong.stderr}`);
    assert.deepEqual(after, before);
  });
});

// Mounting needs root and a kernel that allows it in this environment.
function tmpfsSkipReason() {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  if (!hasCommand('mount')) return 'mount is not installed';
  return false;
}

describe('full file system', { skip: SKIP_WITHOUT_BINARY || tmpfsSkipReason() }, () => {
  // About 31 MB of CSV, which cannot fit in 20 MB, plain or encrypted.
  const from = 'gen:rows=200000&seed=1';
  // zstd compresses the generated rows to about half, so it gets more rows.
  const variants = {
    plain: [from],
    encrypted: [from, ...SEEDED],
    'encrypted zstd': ['gen:rows=450000&seed=1', ...SEEDED, '--compression', 'zstd', '--compression-level', '1'],
  };

  // Mounts a 20 MB tmpfs in a new directory, unmounted and removed after `t`.
  function smallDisk(t) {
    return mountSmallDisk(t, 'sluice-attack-disk-', '20m');
  }

  for (const [name, [source, ...flags]] of Object.entries(variants)) {
    test(`export fails, keeps its temporary file and resumes, ${name}`, (t) => {
      const mount = smallDisk(t);
      if (mount === null) return;
      const { dir, disk } = mount;
      const env = environment(path.join(dir, 'state'));
      const args = ['--from', source, '--format', 'csv', '--export-id', 'full', '--checkpoint-interval', '4MB', ...flags];
      const destination = path.join(disk, 'out.csv');

      const full = runSluice(['export', ...args, '--to', destination], { env });
      assert.equal(full.code, EXIT.io, full.stderr);
      assert.match(full.stderr, /^sluice: error: cannot write .*out\.csv: No space left on device; free space or choose another destination$/m);
      assert.match(full.stderr, /continue it with: sluice resume full/);
      assert.ok(!fs.existsSync(destination), 'nothing under the final name');
      const kept = listDir(disk);
      assert.equal(kept.length, 1, `only the temporary file is kept: ${kept.join(', ')}`);
      assert.match(kept[0], /^\.out\.part-00001\.csv\.sluice-tmp-[0-9a-f]{16}$/);

      assert.equal(spawnSync('mount', ['-o', 'remount,size=64m', disk]).status, 0);
      const resumed = runSluice(['resume', 'full'], { env });
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stderr, /resumed from chunk \d+/);
      const reference = path.join(dir, 'reference.csv');
      exportOk(['export', ...args, '--to', reference], { env: environment(path.join(dir, 'reference-state')) });
      assert.equal(fileSha256(destination), fileSha256(reference));
      assert.deepEqual(listDir(disk), ['out.csv']);
    });
  }

  test('decrypt into a full file system leaves nothing', (t) => {
    const mount = smallDisk(t);
    if (mount === null) return;
    const { dir, disk } = mount;
    const env = environment(path.join(dir, 'state'));
    const sealed = path.join(dir, 'big.csv.enc');
    exportOk(['export', '--from', from, '--format', 'csv', '--to', sealed, '--encrypt', '-q'], { env });
    const opened = runSluice(['decrypt', sealed, path.join(disk, 'out.csv')], { env });
    assert.equal(opened.code, EXIT.io, opened.stderr);
    assert.match(opened.stderr, /No space left on device/);
    assert.deepEqual(listDir(disk), []);
  });
});

describe('file size limit', { skip: SKIP_WITHOUT_BINARY }, () => {
  test('ulimit -f fails with a message', (t) => {
    const dir = tempDir(t, 'sluice-attack-fsize-');
    const destination = path.join(dir, 'out.csv');
    // A limit of 2000 blocks of 1024 bytes (bash and dash count `ulimit -f` in KiB).
    const exportArgs = ['export', '--from', 'gen:rows=200000&seed=1', '--to', destination, ...SEEDED, '-q'];
    const result = spawnSync('sh', ['-c', 'ulimit -f 2000 && exec "$@"', 'sh', SLUICE_BIN, ...exportArgs],
                             { env: { ...process.env, ...environment(path.join(dir, 'state')) } });
    assert.equal(result.signal, null, `the export was killed by ${result.signal}`);
    assert.equal(result.status, EXIT.io, result.stderr.toString());
    assert.match(result.stderr.toString(), /File too large/);
    assert.ok(!fs.existsSync(destination), 'nothing under the final name');
  });
});
