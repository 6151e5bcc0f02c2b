// Edge cases of the command line: destinations that are not regular files,
// a resume or decrypt with the wrong password, signals during decrypt,
// reused export ids and the input flags of `sluice inspect`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, listDir, runSluice, tempDir } from './helpers.mjs';

const SMALL_CSV = 'a,b\n1,x\n2,y\n';

// Returns the environment of a run whose job store lives in `dir`.
function stateEnv(dir) {
  return { SLUICE_STATE_DIR: path.join(dir, 'state') };
}

function writeSmallCsv(dir) {
  const file = path.join(dir, 'in.csv');
  fs.writeFileSync(file, SMALL_CSV);
  return file;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Starts sluice without waiting; resolves {code, signal, stderr} when it exits.
function startSluice(args, env) {
  const merged = { ...process.env, ...env };
  for (const name of Object.keys(merged)) {
    if (name.startsWith('SLUICE_') && !(name in env)) delete merged[name];
  }
  const child = spawn(SLUICE_BIN, args, { env: merged, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const done = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, done };
}

// Waits until a file of `dir` whose name contains `marker` has at least
// `bytes` bytes, or fails after `timeoutMs`.
async function waitForFile(dir, marker, bytes, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const name of fs.readdirSync(dir)) {
      if (name.includes(marker) && fs.statSync(path.join(dir, name)).size >= bytes) return name;
    }
    await sleep(20);
  }
  throw new Error(`no file containing '${marker}' reached ${bytes} bytes in ${dir}`);
}

test('export into a FIFO keeps the FIFO', { skip: SKIP_WITHOUT_BINARY }, async (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const fifo = path.join(dir, 'pipe');
  spawnSync('mkfifo', [fifo]);
  const reader = spawn('cat', [fifo]);
  let received = '';
  reader.stdout.on('data', (chunk) => { received += chunk; });
  const readerDone = new Promise((resolve) => reader.on('exit', resolve));

  const { done } = startSluice(['export', '--from', input, '--to', fifo, '--format', 'csv', '-q'], stateEnv(dir));
  const result = await done;
  await readerDone;

  assert.equal(result.code, EXIT.ok, result.stderr);
  assert.equal(received, SMALL_CSV);
  assert.ok(fs.lstatSync(fifo).isFIFO());
  assert.deepEqual(listDir(dir).filter((name) => name.includes('sluice-tmp')), []);
});

test('export into a device node keeps the node', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const node = path.join(dir, 'null');
  // A private copy of /dev/null (character device 1,3); creating it needs root.
  if (spawnSync('mknod', [node, 'c', '1', '3']).status !== 0) {
    t.skip('mknod needs root');
    return;
  }

  const result = runSluice(['export', '--from', input, '--to', node, '--format', 'csv', '--max-file-size', '1MB'],
                           { env: stateEnv(dir) });

  assert.equal(result.code, EXIT.ok, result.stderr);
  assert.ok(fs.lstatSync(node).isCharacterDevice());
  assert.deepEqual(listDir(dir), ['in.csv', 'null', 'state']);
});

test('export through a symlink replaces its target', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const targetDir = path.join(dir, 'target');
  fs.mkdirSync(targetDir);
  const target = path.join(targetDir, 'out.csv');
  fs.writeFileSync(target, 'old\n');
  const link = path.join(dir, 'link.csv');
  fs.symlinkSync(target, link);

  const result = runSluice(['export', '--from', input, '--to', link, '-q'], { env: stateEnv(dir) });

  assert.equal(result.code, EXIT.ok, result.stderr);
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readlinkSync(link), target);
  assert.equal(fs.readFileSync(target, 'utf8'), SMALL_CSV);
  assert.deepEqual(listDir(targetDir), ['out.csv']);
});

test('export to a dangling symlink is rejected', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const link = path.join(dir, 'link.csv');
  fs.symlinkSync(path.join(dir, 'missing.csv'), link);

  const result = runSluice(['export', '--from', input, '--to', link], { env: stateEnv(dir) });

  assert.equal(result.code, EXIT.usage, result.stderr);
  assert.match(result.stderr, /symbolic link whose target does not exist/);
  assert.ok(fs.lstatSync(link).isSymbolicLink());
});

test('export to a directory is rejected', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const target = path.join(dir, 'out.csv');
  fs.mkdirSync(target);

  const result = runSluice(['export', '--from', input, '--to', target], { env: stateEnv(dir) });

  assert.equal(result.code, EXIT.usage, result.stderr);
  assert.match(result.stderr, /it is a directory/);
  assert.deepEqual(listDir(dir).filter((name) => name.includes('part-')), []);
  assert.deepEqual(listDir(target), []);
});

test('export onto its own source is rejected', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const alias = path.join(dir, 'alias.csv');
  fs.symlinkSync(input, alias);

  for (const source of [input, alias]) {
    const result = runSluice(['export', '--from', source, '--to', input], { env: stateEnv(dir) });
    assert.equal(result.code, EXIT.usage, result.stderr);
    assert.match(result.stderr, /same file as the source/);
  }
  assert.equal(fs.readFileSync(input, 'utf8'), SMALL_CSV);
});

test('resume with wrong password is rejected', { skip: SKIP_WITHOUT_BINARY, timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const env = stateEnv(dir);
  fs.writeFileSync(path.join(dir, 'right'), 'right password\n');
  fs.writeFileSync(path.join(dir, 'wrong'), 'wrong password\n');
  const output = path.join(dir, 'out.csv.enc');

  const { child, done } = startSluice(
    ['export', '--from', 'gen:rows=5000000', '--to', output, '--format', 'csv', '--encrypt',
      '--password-file', path.join(dir, 'right'), '--checkpoint-interval', '1MB', '--export-id', 'enc', '-q'], env);
  os.setPriority(child.pid, 10);
  // Several 1 MB checkpoints lie behind a 4 MB temporary file.
  await waitForFile(dir, 'sluice-tmp', 4 << 20);
  child.kill('SIGKILL');
  await done;

  const wrong = runSluice(['resume', 'enc', '--password-file', path.join(dir, 'wrong'), '-q'], { env });
  assert.equal(wrong.code, EXIT.invalidData, wrong.stderr);
  assert.match(wrong.stderr, /wrong password for /);
  assert.equal(fs.existsSync(output), false);

  const right = runSluice(['resume', 'enc', '--password-file', path.join(dir, 'right'), '-q'], { env });
  assert.equal(right.code, EXIT.ok, right.stderr);
  const decrypted = runSluice(['decrypt', output, path.join(dir, 'out.csv'), '--password-file',
                               path.join(dir, 'right')], { env });
  assert.equal(decrypted.code, EXIT.ok, decrypted.stderr);
});

test('decrypt SIGTERM removes plaintext', { skip: SKIP_WITHOUT_BINARY, timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const env = stateEnv(dir);
  const password = path.join(dir, 'pw');
  fs.writeFileSync(password, 'secret\n');
  const encrypted = path.join(dir, 'big.csv.enc');
  const made = runSluice(['export', '--from', 'gen:rows=2000000', '--to', encrypted, '--format', 'csv',
                          '--encrypt', '--password-file', password, '-q'], { env });
  assert.equal(made.code, EXIT.ok, made.stderr);

  const plainDir = path.join(dir, 'plain');
  fs.mkdirSync(plainDir);
  const { child, done } = startSluice(['decrypt', encrypted, path.join(plainDir, 'out.csv'),
                                       '--password-file', password], env);
  os.setPriority(child.pid, 10);
  await waitForFile(plainDir, 'sluice-tmp', 1 << 20);
  child.kill('SIGTERM');
  const result = await done;

  assert.equal(result.code, EXIT.cancelled, result.stderr);
  assert.deepEqual(listDir(plainDir), []);
});

test('decrypt with wrong password writes nothing', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const env = stateEnv(dir);
  const input = writeSmallCsv(dir);
  fs.writeFileSync(path.join(dir, 'right'), 'right password\n');
  fs.writeFileSync(path.join(dir, 'wrong'), 'wrong password\n');
  const encrypted = path.join(dir, 'out.csv.enc');
  const made = runSluice(['export', '--from', input, '--to', encrypted, '--format', 'csv', '--encrypt',
                          '--password-file', path.join(dir, 'right'), '-q'], { env });
  assert.equal(made.code, EXIT.ok, made.stderr);

  const plainDir = path.join(dir, 'plain');
  fs.mkdirSync(plainDir);
  const result = runSluice(['decrypt', encrypted, path.join(plainDir, 'out.csv'), '--password-file',
                            path.join(dir, 'wrong')], { env });

  assert.equal(result.code, EXIT.invalidData, result.stderr);
  assert.match(result.stderr, /wrong password for /);
  assert.deepEqual(listDir(plainDir), []);
});

test('export id of a running export is rejected', { skip: SKIP_WITHOUT_BINARY, timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const env = stateEnv(dir);
  const input = writeSmallCsv(dir);
  const running = startSluice(['export', '--from', 'gen:rows=50000000', '--to', path.join(dir, 'long.csv'),
                               '--export-id', 'job', '-q'], env);
  await waitForFile(dir, 'sluice-tmp', 1);

  const second = runSluice(['export', '--from', input, '--to', path.join(dir, 'other.csv'), '--export-id', 'job'],
                           { env });
  running.child.kill('SIGTERM');
  await running.done;

  assert.equal(second.code, EXIT.usage, second.stderr);
  assert.match(second.stderr, new RegExp(`export ID job is running in process ${running.child.pid}`));
  assert.equal(fs.existsSync(path.join(dir, 'other.csv')), false);
});

test('export id of a completed export is rejected', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const env = stateEnv(dir);
  const input = writeSmallCsv(dir);
  const first = runSluice(['export', '--from', input, '--to', path.join(dir, 'a.csv'), '--export-id', 'job', '-q'],
                          { env });
  assert.equal(first.code, EXIT.ok, first.stderr);

  const second = runSluice(['export', '--from', input, '--to', path.join(dir, 'b.csv'), '--export-id', 'job'],
                           { env });

  assert.equal(second.code, EXIT.usage, second.stderr);
  assert.match(second.stderr, /already used by a completed export/);
  assert.match(second.stderr, /sluice exports/);
  assert.equal(fs.existsSync(path.join(dir, 'b.csv')), false);
});

test('inspect takes CSV input flags', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = path.join(dir, 'semi.csv');
  fs.writeFileSync(input, 'a;b\n1;x\n');
  const config = path.join(dir, 'sluice.conf');
  fs.writeFileSync(config, '[inspect]\ninput-delimiter = ;\n');
  const columnsOf = (result) => JSON.parse(result.stdout.toString('utf8')).columns.map((column) => column.name);

  const byFlag = runSluice(['inspect', input, '--json', '--input-delimiter', ';']);
  assert.equal(byFlag.code, EXIT.ok, byFlag.stderr);
  assert.deepEqual(columnsOf(byFlag), ['a', 'b']);

  const byEnvironment = runSluice(['inspect', input, '--json'], { env: { SLUICE_INPUT_DELIMITER: ';' } });
  assert.equal(byEnvironment.code, EXIT.ok, byEnvironment.stderr);
  assert.deepEqual(columnsOf(byEnvironment), ['a', 'b']);

  const byConfig = runSluice(['inspect', input, '--json', '--config', config]);
  assert.equal(byConfig.code, EXIT.ok, byConfig.stderr);
  assert.deepEqual(columnsOf(byConfig), ['a', 'b']);
});

test('progress bar fits the terminal width', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  if (spawnSync('script', ['--version']).status !== 0) {
    t.skip('script (util-linux) is needed for a pseudo-terminal');
    return;
  }
  const dir = tempDir(t);
  for (const columns of [30, 50, 120]) {
    // `script` runs the export on a pseudo-terminal whose width stty sets.
    const command = `stty cols ${columns}; '${SLUICE_BIN}' export --from gen:rows=300000 --to /dev/null ` +
                    `--format csv --progress bar --state-dir '${path.join(dir, 'state')}'`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    assert.equal(result.status, EXIT.ok, result.stderr);

    const updates = result.stdout.split('\r').map((update) => update.replace(/\x1b\[K/g, '').split('\n')[0])
      .filter((update) => update.includes('%'));
    assert.ok(updates.length > 0, `no progress updates at ${columns} columns`);
    for (const update of updates) {
      assert.ok(update.length < columns, `update of ${update.length} characters at ${columns} columns: ${update}`);
    }
  }
});

test('option errors name the variable', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const output = path.join(dir, 'out.csv');
  const cases = [
    { env: { SLUICE_BOM: 'maybe' }, args: [], mentions: /--bom \(set by SLUICE_BOM\)/ },
    { env: { SLUICE_CHUNK_SIZE: '0' }, args: [], mentions: /--chunk-size \(set by SLUICE_CHUNK_SIZE\)/ },
    { env: {}, args: ['--chunk-size', '0.5B'], mentions: /'0.5B': a byte count must be a whole number/ },
    { env: {}, args: ['--chunk-size', '99999999TB'], mentions: /the maximum is 8388607TB/ },
  ];
  for (const { env, args, mentions } of cases) {
    const result = runSluice(['export', '--from', input, '--to', output, ...args], { env: { ...stateEnv(dir), ...env } });
    assert.equal(result.code, EXIT.usage, result.stderr);
    assert.match(result.stderr, mentions);
  }
});

test('conflicting output options are rejected', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const env = stateEnv(dir);

  const compression = runSluice(['export', '--from', input, '--to', path.join(dir, 'x.csv.gz'), '--compression', 'zstd'],
                                { env });
  assert.equal(compression.code, EXIT.usage, compression.stderr);
  assert.match(compression.stderr, /--compression zstd but the destination .*x\.csv\.gz has the extension of gzip/);

  const format = runSluice(['export', '--from', input, '--to', path.join(dir, 'x.csv'), '--format', 'parquet'], { env });
  assert.equal(format.code, EXIT.usage, format.stderr);
  assert.match(format.stderr, /--format parquet but the destination .*x\.csv has the extension of csv/);
  assert.deepEqual(listDir(dir).filter((name) => name.startsWith('x.') || name.startsWith('.x.')), []);

  const level = runSluice(['export', '--from', input, '--to', path.join(dir, 'y.csv'), '--compression-level', '5'],
                          { env });
  assert.equal(level.code, EXIT.ok, level.stderr);
  assert.match(level.stderr, /--compression-level 5 has no effect without compression/);
});

test('tsv destination is written with tabs', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const input = writeSmallCsv(dir);
  const env = stateEnv(dir);

  const tabs = runSluice(['export', '--from', input, '--to', path.join(dir, 'out.tsv'), '-q'], { env });
  assert.equal(tabs.code, EXIT.ok, tabs.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'out.tsv'), 'utf8'), SMALL_CSV.replaceAll(',', '\t'));

  const chosen = runSluice(['export', '--from', input, '--to', path.join(dir, 'semi.tsv'), '--delimiter', ';', '-q'],
                           { env });
  assert.equal(chosen.code, EXIT.ok, chosen.stderr);
  assert.equal(fs.readFileSync(path.join(dir, 'semi.tsv'), 'utf8'), SMALL_CSV.replaceAll(',', ';'));
});

test('exports shows rows before first checkpoint', { skip: SKIP_WITHOUT_BINARY, timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const env = stateEnv(dir);
  const running = startSluice(['export', '--from', 'gen:rows=50000000', '--to', path.join(dir, 'long.csv'),
                               '--export-id', 'job', '--checkpoint-interval', '0', '-q'], env);
  await waitForFile(dir, 'sluice-tmp', 1);
  let records = 0;
  const deadline = Date.now() + 30_000;
  while (records === 0 && Date.now() < deadline) {
    await sleep(500);
    const listed = runSluice(['exports', '--json'], { env });
    const job = JSON.parse(listed.stdout.toString('utf8')).find((record) => record.id === 'job');
    records = job?.recordsExported ?? 0;
  }
  running.child.kill('SIGTERM');
  await running.done;

  assert.ok(records > 0, 'sluice exports showed no rows for a running export without checkpoints');
});

test('write error names the destination', { skip: SKIP_WITHOUT_BINARY }, (t) => {
  const dir = tempDir(t);
  const output = path.join(dir, 'big.csv');
  // A file size limit makes writes past 512 KB fail with EFBIG, as a full
  // disk fails with ENOSPC. SIGXFSZ is ignored so the write returns the error.
  const command = `trap '' XFSZ; ulimit -f 1024; exec '${SLUICE_BIN}' export --from gen:rows=100000 ` +
                  `--to '${output}' --state-dir '${path.join(dir, 'state')}'`;
  const result = spawnSync('sh', ['-c', command], { encoding: 'utf8' });

  assert.equal(result.status, EXIT.io, result.stderr);
  assert.match(result.stderr, new RegExp(`cannot write ${output}: File too large`));
  assert.doesNotMatch(result.stderr, /part-00001/);
});
