// Resume and cancel of cloud uploads against s3rver, Azurite and the GCS
// test server. An export killed with SIGKILL at seeded random points and
// continued with `sluice resume ID` must leave an object byte-identical
// (SHA-256) to a local export with the same options. An export that the
// fault proxy refuses past the retry budget fails with exit code 4, keeps
// its upload, and resumes to the same object once requests pass again.
// An export killed at its completing request, which the fault proxy stalls,
// resumes without sending a part again. `sluice cancel` aborts the
// unfinished upload, or warns when the provider rejects the abort (s3rver
// 3.7 always does), and leaves in place an object that the provider had
// already assembled when the export was killed.
//
// Parts are the smallest each provider allows (S3 5 MiB, GCS 256 KiB, Azure
// 1 MB blocks here), so an export spans many parts. A kill point is a seeded
// random delay between 5% and 95% of the uninterrupted upload's duration,
// counted from the export's start message. The measured duration also
// includes the process start-up before that message, so the kill lands
// mid-export.
//
// SLUICE_RESUME_KILL_POINTS sets the kill points per provider (default 3)
// and SLUICE_RESUME_KILL_SEED picks them (default 1).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, seededRandom } from './helpers.mjs';
import { startFaultProxy } from './fault_proxy.mjs';
import {
  cleanEnv, localExport, runSluiceAsync, sha256, startAzurite, startGcs, startS3, tempDirFor,
} from './cloud_servers.mjs';

const skip = SKIP_WITHOUT_BINARY;
const KILL_POINTS = Number(process.env.SLUICE_RESUME_KILL_POINTS || 3);
const SEED = Number(process.env.SLUICE_RESUME_KILL_SEED || 1);
const PASSWORD = 'cloud-resume-password';

// Small chunks and checkpoints give many resume points per part. The local
// reference export takes them too, because every checkpoint ends a
// compression frame.
const CHECKPOINT_FLAGS = ['--chunk-size', '64KB', '--checkpoint-interval', '512KB'];

// Starts a proxy to the S3 server at `target` that responds with HTTP 503 to
// every upload of part `part` until its acceptAll() is called.
async function startPartRejectingProxy(t, target, part) {
  let rejecting = true;
  const pattern = new RegExp(`partNumber=${part}&`);
  const proxy = await startFaultProxy({
    target,
    rules: [{ action: 'status', status: 503, times: 1000,
      match: (request) => rejecting && request.method === 'PUT' && pattern.test(request.query) }],
  });
  t.after(() => proxy.close());
  proxy.acceptAll = () => { rejecting = false; };
  return proxy;
}

function killDelays(name, durationMs) {
  const random = seededRandom(SEED ^ crypto.createHash('sha256').update(name).digest().readUInt32LE(0));
  return Array.from({ length: KILL_POINTS }, () => Math.round(durationMs * (0.05 + 0.9 * random())));
}

// Starts `sluice ARGS` and sends SIGKILL `delayMs` after it reports
// "export ID started", which it logs just before the job store records the
// export, so the kill does not land before that record. Resolves with {killed, code, stderr}; killed is false when the export
// finished first.
function exportUntilKilled(args, env, delayMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    let timer = null;
    child.stderr.on('data', (data) => {
      stderr += data.toString('utf8');
      if (timer === null && /started/.test(stderr)) timer = setTimeout(() => { killed = child.kill('SIGKILL'); }, delayMs);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ killed: killed && code === null, code, stderr });
    });
  });
}

// Upload ids that s3rver still keeps parts for. An upload that a kill during
// CreateMultipartUpload left behind has no parts and is not listed, because
// no job store records it (docs/cloud.md describes the lifecycle rule for it).
function pendingS3Uploads(s3) {
  const uploads = path.join(s3.directory, 'bucket', '._S3rver_uploads');
  if (!fs.existsSync(uploads)) return [];
  return fs.readdirSync(uploads)
    .filter((id) => fs.readdirSync(path.join(uploads, id)).some((name) => /^\d+$/.test(name)));
}

// One provider's setup: where an export goes, its environment and flags,
// and how to read the finished object.
async function s3Target(t) {
  const s3 = await startS3(t);
  return {
    name: 's3', partFlags: ['--cloud-part-size', '5MB', '--cloud-concurrency', '3', '--s3-endpoint', s3.url],
    url: (key) => `s3://bucket/${key}`, env: s3.env, read: async (key) => fs.readFileSync(s3.objectPath(key)), s3,
  };
}

async function azureTarget(t) {
  const azure = await startAzurite(t);
  return {
    name: 'azure', partFlags: ['--cloud-part-size', '1MB', '--cloud-concurrency', '3'],
    url: (key) => `azure://${'devstoreaccount1'}/container/${key}`, env: azure.env, read: (key) => azure.download(key),
  };
}

async function gcsTarget(t) {
  const gcs = await startGcs(t);
  return {
    name: 'gcs', partFlags: ['--cloud-part-size', '256KB'],
    url: (key) => `gs://bucket/${key}`, env: { STORAGE_EMULATOR_HOST: gcs.url, GOOGLE_OAUTH_ACCESS_TOKEN: 'test-token' },
    read: async (key) => gcs.objects.get(`bucket/${key}`), gcs,
  };
}

// Kills an upload at seeded points, resumes each, and compares the objects
// with a local export.
async function checkKillAndResume(t, target, { source, name, flags = [] }) {
  const local = await localExport(t, source, name, [...CHECKPOINT_FLAGS, ...flags]);
  const env = (stateDir) => cleanEnv({ ...target.env, SLUICE_STATE_DIR: stateDir, SLUICE_PASSWORD: PASSWORD });
  const args = (key, id) => ['export', '--from', source, '--to', target.url(key), '--export-id', id,
    ...target.partFlags, ...CHECKPOINT_FLAGS, '--progress', 'none', ...flags];

  const started = Date.now();
  const reference = await runSluiceAsync(args(`reference-${name}`, 'reference'), env(tempDirFor(t, 'sluice-state-')));
  const durationMs = Date.now() - started;
  assert.equal(reference.code, 0, reference.stderr);
  assert.equal(sha256(await target.read(`reference-${name}`)), local.sha256, 'uninterrupted upload');

  const delays = killDelays(`${target.name}/${name}`, durationMs);
  let killed = 0;
  for (const [index, delayMs] of delays.entries()) {
    const key = `kill-${index}-${name}`;
    const id = `kill-${index}`;
    const stateDir = tempDirFor(t, 'sluice-state-');
    const run = await exportUntilKilled(args(key, id), env(stateDir), delayMs);
    if (run.killed) {
      killed += 1;
      const resumed = await runSluiceAsync(['resume', id], env(stateDir));
      // A kill that lands after the export recorded its completion leaves
      // nothing to resume; the object is checked below all the same.
      const finishedFirst = /already completed; there is nothing to resume/.test(resumed.stderr);
      assert.ok(resumed.code === 0 || finishedFirst, `resume after a kill at ${delayMs} ms: ${resumed.stderr}`);
      t.diagnostic(`killed at ${delayMs} ms: ${resumed.stderr.split('\n').find((line) => /resumed/.test(line))}`);
    } else {
      assert.equal(run.code, 0, run.stderr);
    }
    const object = await target.read(key);
    assert.ok(object, `no object ${key} after a kill at ${delayMs} ms`);
    assert.equal(sha256(object), local.sha256, `object after a kill at ${delayMs} ms`);
  }
  // Kill delays are fractions of a measured run, so on a loaded machine an
  // export can finish first; one in three must land mid-export.
  assert.ok(killed >= Math.ceil(delays.length / 3), `only ${killed} of ${delays.length} kills landed mid-export`);
}

test('s3 upload resumes after kill', { skip }, async (t) => {
  const target = await s3Target(t);
  await checkKillAndResume(t, target, { source: 'gen:rows=250000&seed=21', name: 'out.csv' });
  // Each resume completed the upload it continued, so s3rver keeps none.
  // (s3rver 3.7 stores a part sent to a completed upload under a new upload
  // directory, which a resume that sent parts again would leave behind.)
  assert.deepEqual(pendingS3Uploads(target.s3), []);
});

test('azure upload resumes after kill', { skip }, async (t) => {
  const target = await azureTarget(t);
  await checkKillAndResume(t, target, { source: 'gen:rows=60000&seed=22', name: 'out.ndjson' });
});

test('gcs upload resumes after kill', { skip }, async (t) => {
  const target = await gcsTarget(t);
  await checkKillAndResume(t, target, { source: 'gen:rows=60000&seed=23', name: 'out.csv' });
});

test('gcs encrypted zstd upload resumes after kill', { skip }, async (t) => {
  const target = await gcsTarget(t);
  const passwordFile = path.join(tempDirFor(t, 'sluice-password-'), 'password');
  fs.writeFileSync(passwordFile, PASSWORD);
  await checkKillAndResume(t, target, {
    source: 'gen:rows=60000&seed=24', name: 'out.csv.zst',
    flags: ['--encrypt', '--password-file', passwordFile, '--encryption-test-seed', '7', '--compression', 'zstd'],
  });
});

test('s3 refused upload resumes', { skip }, async (t) => {
  const s3 = await startS3(t);
  const proxy = await startPartRejectingProxy(t, s3.url, 3);
  const source = 'gen:rows=250000&seed=25';
  const local = await localExport(t, source, 'out.csv');
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = cleanEnv({ ...s3.env, SLUICE_STATE_DIR: stateDir });
  const failed = await runSluiceAsync(
    ['export', '--from', source, '--to', 's3://bucket/refused.csv', '--export-id', 'refused', '--s3-endpoint',
      proxy.url, '--cloud-part-size', '5MB', '--cloud-retries', '2', ...CHECKPOINT_FLAGS, '--progress', 'none',
      // One part at a time, so parts 1 and 2 are acknowledged before part 3
      // is refused. With more, a slow server may still be storing them when
      // the export stops, and the resume then rightly sends them again.
      '--cloud-concurrency', '1'], env);
  assert.equal(failed.code, EXIT.io, failed.stderr);
  assert.match(failed.stderr, /UploadPart 3 of s3:\/\/bucket\/refused\.csv failed: HTTP 503/);
  assert.equal(proxy.log.filter((entry) => entry.method === 'DELETE').length, 0, 'the upload was aborted');
  assert.equal(fs.existsSync(s3.objectPath('refused.csv')), false);

  proxy.acceptAll();
  const requestsBeforeResume = proxy.log.length;
  const resumed = await runSluiceAsync(['resume', 'refused', '-q'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sha256(fs.readFileSync(s3.objectPath('refused.csv'))), local.sha256);
  // The failed export recorded the parts acknowledged before it stopped, so
  // the resume continued the same upload after them.
  const resumeRequests = proxy.log.slice(requestsBeforeResume);
  const partPuts = resumeRequests.filter((entry) => entry.method === 'PUT' && /partNumber=/.test(entry.query));
  t.diagnostic(`parts sent by the resume: ${partPuts.map((entry) => entry.query.match(/partNumber=(\d+)/)[1]).join(' ')}`);
  assert.equal(partPuts.filter((entry) => /partNumber=1&/.test(entry.query)).length, 0, 'part 1 was sent again');
  assert.equal(proxy.log.filter((entry) => entry.method === 'POST' && entry.query === '?uploads=').length, 1);
});

test('gcs cancel deletes the session', { skip }, async (t) => {
  const target = await gcsTarget(t);
  let rejecting = true;
  const proxy = await startFaultProxy({
    target: target.env.STORAGE_EMULATOR_HOST,
    rules: [{ action: 'status', status: 503, times: 1000,
      match: (request) => rejecting && request.method === 'PUT' && /bytes 2097152-/.test(request.headers['content-range'] || '') }],
  });
  t.after(() => proxy.close());
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = cleanEnv({ ...target.env, STORAGE_EMULATOR_HOST: proxy.url, SLUICE_STATE_DIR: stateDir });
  const failed = await runSluiceAsync(
    ['export', '--from', 'gen:rows=60000&seed=26', '--to', 'gs://bucket/cancelled.csv', '--export-id', 'gone',
      '--cloud-part-size', '256KB', '--cloud-retries', '2', ...CHECKPOINT_FLAGS, '--progress', 'none'], env);
  assert.equal(failed.code, EXIT.io, failed.stderr);
  const sessions = [...target.gcs.sessions.values()];
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].cancelled, false, 'a refused upload keeps its session');

  rejecting = false;
  const cancelled = await runSluiceAsync(['cancel', 'gone'], env);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stderr, /removed the unfinished upload of gs:\/\/bucket\/cancelled\.csv/);
  assert.equal(sessions[0].cancelled, true);
  assert.equal(target.gcs.objects.has('bucket/cancelled.csv'), false);
  const again = await runSluiceAsync(['resume', 'gone'], env);
  assert.equal(again.code, EXIT.usage, again.stderr);
});

// The session URI grants write access by itself, so the warning after a
// rejected session cancel names the object only.
test('gcs cancel warns when session kept', { skip }, async (t) => {
  const target = await gcsTarget(t);
  let rejectingChunks = true;
  const proxy = await startFaultProxy({
    target: target.env.STORAGE_EMULATOR_HOST,
    rules: [
      { action: 'status', status: 503, times: 1000,
        match: (request) => rejectingChunks && request.method === 'PUT' && /bytes 2097152-/.test(request.headers['content-range'] || '') },
      { action: 'status', status: 403, times: 1000, match: (request) => request.method === 'DELETE' },
    ],
  });
  t.after(() => proxy.close());
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = cleanEnv({ ...target.env, STORAGE_EMULATOR_HOST: proxy.url, SLUICE_STATE_DIR: stateDir });
  const failed = await runSluiceAsync(
    ['export', '--from', 'gen:rows=60000&seed=26', '--to', 'gs://bucket/kept.csv', '--export-id', 'kept',
      '--cloud-part-size', '256KB', '--cloud-retries', '2', ...CHECKPOINT_FLAGS, '--progress', 'none'], env);
  assert.equal(failed.code, EXIT.io, failed.stderr);

  rejectingChunks = false;
  const cancelled = await runSluiceAsync(['cancel', 'kept'], env);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.equal(proxy.log.filter((entry) => entry.method === 'DELETE').length, 1);
  const sessions = [...target.gcs.sessions.keys()];
  assert.equal(sessions.length, 1);
  assert.equal(target.gcs.sessions.get(sessions[0]).cancelled, false);

  assert.doesNotMatch(cancelled.stderr, /removed the unfinished upload/);
  assert.match(cancelled.stderr,
    /the unfinished upload of gs:\/\/bucket\/kept\.csv was not removed: GCS resumable upload cancel of gs:\/\/bucket\/kept\.csv failed: HTTP 403/);
  assert.match(cancelled.stderr, /discards it, a week after the session started/);
  assert.ok(!cancelled.stderr.includes(sessions[0]), `the session id is in the output: ${cancelled.stderr}`);
  assert.doesNotMatch(cancelled.stderr, /upload_id=/);
});

// s3rver 3.7 has no route for AbortMultipartUpload and returns 405, so the
// cancel succeeds but must warn that the parts stay, naming the upload.
test('s3 cancel warns when abort rejected', { skip }, async (t) => {
  const s3 = await startS3(t);
  const proxy = await startPartRejectingProxy(t, s3.url, 3);
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = cleanEnv({ ...s3.env, SLUICE_STATE_DIR: stateDir });
  const failed = await runSluiceAsync(
    ['export', '--from', 'gen:rows=250000&seed=27', '--to', 's3://bucket/cancelled.csv', '--export-id', 'gone',
      '--s3-endpoint', proxy.url, '--cloud-part-size', '5MB', '--cloud-retries', '2', ...CHECKPOINT_FLAGS, '--progress', 'none'], env);
  assert.equal(failed.code, EXIT.io, failed.stderr);
  const created = proxy.log.find((entry) => entry.method === 'POST' && entry.query === '?uploads=');
  assert.ok(created, 'no CreateMultipartUpload request');

  proxy.acceptAll();
  const cancelled = await runSluiceAsync(['cancel', 'gone'], env);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  const aborts = proxy.log.filter((entry) => entry.method === 'DELETE' && /^\?uploadId=/.test(entry.query));
  assert.ok(aborts.length >= 1, 'no AbortMultipartUpload request');
  const uploads = path.join(s3.directory, 'bucket', '._S3rver_uploads');
  const pending = fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
  assert.equal(pending.length, 1, `pending uploads: ${pending}`);
  const uploadId = pending[0];
  assert.ok(aborts[0].query.includes(encodeURIComponent(uploadId)), `abort sent for ${aborts[0].query}`);

  assert.doesNotMatch(cancelled.stderr, /removed the unfinished upload/);
  const warning = cancelled.stderr.split('\n').find((line) => line.includes('was not removed'));
  assert.ok(warning, cancelled.stderr);
  assert.ok(warning.includes(`the unfinished upload of s3://bucket/cancelled.csv (upload ID ${uploadId}) was not removed`),
    warning);
  assert.match(warning, /AbortMultipartUpload of s3:\/\/bucket\/cancelled\.csv failed: HTTP 405/);
  assert.match(warning, /S3 charges for them/);
  assert.ok(warning.includes(`aws s3api abort-multipart-upload\` with bucket bucket, key cancelled.csv and upload ID ${uploadId}`),
    warning);
  assert.match(warning, /AbortIncompleteMultipartUpload/);
  assert.doesNotMatch(cancelled.stderr, new RegExp(s3.env.AWS_SECRET_ACCESS_KEY));
  assert.match(cancelled.stderr, /export gone cancelled/);

  const again = await runSluiceAsync(['resume', 'gone'], env);
  assert.equal(again.code, EXIT.usage, again.stderr);
});

// A provider behind the fault proxy, for killing an export at its completing
// request: S3 CompleteMultipartUpload, Azure Put Block List or the final GCS
// chunk.
async function proxiedTarget(t, provider, rules) {
  if (provider === 's3') {
    const s3 = await startS3(t);
    const proxy = await startFaultProxy({ target: s3.url, rules });
    t.after(() => proxy.close());
    return {
      proxy, s3, env: s3.env, source: 'gen:rows=250000&seed=28', url: 's3://bucket/completing.csv',
      flags: ['--s3-endpoint', proxy.url, '--cloud-part-size', '5MB'],
      read: () => fs.readFileSync(s3.objectPath('completing.csv')),
      isPart: (entry) => entry.method === 'PUT' && /partNumber=/.test(entry.query),
    };
  }
  if (provider === 'gcs') {
    const gcs = await startGcs(t);
    const proxy = await startFaultProxy({ target: gcs.url, rules });
    t.after(() => proxy.close());
    return {
      proxy, env: { STORAGE_EMULATOR_HOST: proxy.url, GOOGLE_OAUTH_ACCESS_TOKEN: 'test-token' },
      source: 'gen:rows=60000&seed=31', url: 'gs://bucket/completing.csv', flags: ['--cloud-part-size', '256KB'],
      read: async () => gcs.objects.get('bucket/completing.csv'),
      isPart: (request) => request.method === 'PUT' && /^bytes \d+-\d+\/\*$/.test(request.headers['content-range'] || ''),
      // GCS keeps no completing record: the session's status query reports the finished upload.
      resumedFrom: /resumed from chunk \d+ \(row \d+\), (regenerating|sending nothing)/,
    };
  }
  const azure = await startAzurite(t);
  const proxy = await startFaultProxy({ target: `http://127.0.0.1:${azure.port}`, rules });
  t.after(() => proxy.close());
  const connectionString = azure.connectionString.replace(`127.0.0.1:${azure.port}`, `127.0.0.1:${proxy.port}`);
  return {
    proxy, env: { AZURE_STORAGE_CONNECTION_STRING: connectionString }, source: 'gen:rows=60000&seed=29',
    url: 'azure://devstoreaccount1/container/completing.ndjson', flags: ['--cloud-part-size', '1MB'],
    read: () => azure.download('completing.ndjson'),
    isPart: (entry) => entry.method === 'PUT' && /comp=block&/.test(entry.query),
  };
}

const COMPLETING = {
  s3: (request) => request.method === 'POST' && /^\?uploadId=/.test(request.query),
  azure: (request) => request.method === 'PUT' && /comp=blocklist/.test(request.query),
  // The final chunk, or after it a status query that names the total size.
  gcs: (request) => request.method === 'PUT' && /^bytes (\d+-\d+|\*)\/\d+$/.test(request.headers['content-range'] || ''),
};

// Kills an export with SIGKILL when its completing request reaches the fault
// proxy, which stalls that request. With `applied`, the proxy first forwards
// one completing request and drops the server's response, so the object is
// already assembled when the retried request arrives and the kill lands.
// Resolves with the target, the environment that finds the job store, and
// every request the proxy has seen (later commands add theirs).
async function exportKilledAtCompletion(t, provider, applied, outputFlags) {
  let child = null;
  // Every request with its headers; the rule never applies.
  const requests = [];
  const rules = [{ action: 'status', times: Infinity, match: (request) => { requests.push(request); return false; } }];
  if (applied) rules.push({ action: 'lose', times: 1, match: COMPLETING[provider] });
  rules.push({
    action: 'stall', stallMs: 30000, times: 1,
    match: (request) => {
      if (!COMPLETING[provider](request)) return false;
      setImmediate(() => child.kill('SIGKILL'));
      return true;
    },
  });
  const target = await proxiedTarget(t, provider, rules);
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = cleanEnv({ ...target.env, SLUICE_STATE_DIR: stateDir });

  child = spawn(SLUICE_BIN, ['export', '--from', target.source, '--to', target.url, '--export-id', 'completing',
    ...target.flags, ...outputFlags, '--progress', 'none'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
  const signal = await new Promise((resolve) => child.on('close', (code, killedBy) => resolve(killedBy)));
  assert.equal(signal, 'SIGKILL', `the export was not killed at its completing request: ${stderr}`);
  return { target, env, requests };
}

// The resume of an export killed at its completing request must finish the
// export without sending any part again. With `encrypted`, the output is
// encrypted and the resume gets no password, because finishing the upload
// regenerates nothing.
async function checkKillAtCompletion(t, provider, applied, { encrypted = false } = {}) {
  const passwordFile = path.join(tempDirFor(t, 'sluice-password-'), 'password');
  fs.writeFileSync(passwordFile, PASSWORD);
  const outputFlags = encrypted
    ? [...CHECKPOINT_FLAGS, '--encrypt', '--password-file', passwordFile, '--encryption-test-seed', '7']
    : CHECKPOINT_FLAGS;
  const { target, env, requests } = await exportKilledAtCompletion(t, provider, applied, outputFlags);
  const local = await localExport(t, target.source, target.url.split('/').pop(), outputFlags);

  const requestsBeforeResume = requests.length;
  const resumed = await runSluiceAsync(['resume', 'completing'], env);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, target.resumedFrom ?? /resumed after its last part: completing the upload/);
  assert.equal(sha256(await target.read()), local.sha256);

  const resumeRequests = requests.slice(requestsBeforeResume);
  assert.equal(resumeRequests.filter(target.isPart).length, 0, 'the resume sent parts again');
  const completions = resumeRequests.filter((entry) => COMPLETING[provider](entry)).length;
  assert.equal(completions, applied ? 0 : 1, 'completing requests sent by the resume');
  if (target.s3) assert.deepEqual(pendingS3Uploads(target.s3), []);

  const again = await runSluiceAsync(['resume', 'completing'], env);
  assert.equal(again.code, EXIT.usage, again.stderr);
  assert.match(again.stderr, /already completed/);
}

// The object under the target's URL, or null when there is none.
async function readObjectOrNull(target) {
  try {
    return (await target.read()) ?? null;
  } catch {
    return null;
  }
}

// `sluice cancel` of an export killed at its completing request. When the
// provider had already assembled the object (`applied`), cancel leaves the
// object in place, records the export as completed and fails with exit code
// 2 saying so. Otherwise it aborts the upload and no object appears. Either
// way it sends no completing request.
async function checkCancelAtCompletion(t, provider, applied) {
  const { target, env, requests } = await exportKilledAtCompletion(t, provider, applied, CHECKPOINT_FLAGS);
  const requestsBeforeCancel = requests.length;
  const cancelled = await runSluiceAsync(['cancel', 'completing'], env);
  const cancelRequests = requests.slice(requestsBeforeCancel);
  assert.equal(cancelRequests.filter((entry) => COMPLETING[provider](entry)).length, 0,
    'cancel sent a completing request');
  const object = await readObjectOrNull(target);
  const url = target.url.replace(/[/.]/g, '\\$&');

  if (applied) {
    assert.equal(cancelled.code, EXIT.usage, cancelled.stderr);
    assert.match(cancelled.stderr, new RegExp(`already completed: its upload had created ${url} before it was ` +
      'cancelled, so the object was left in place'));
    assert.equal(cancelRequests.filter((entry) => entry.method === 'DELETE').length, 0, 'cancel sent a DELETE');
    const local = await localExport(t, target.source, target.url.split('/').pop(), CHECKPOINT_FLAGS);
    assert.ok(object, 'the object is gone');
    assert.equal(sha256(object), local.sha256);
    const resumed = await runSluiceAsync(['resume', 'completing'], env);
    assert.equal(resumed.code, EXIT.usage, resumed.stderr);
    assert.match(resumed.stderr, /already completed; there is nothing to resume/);
    return;
  }
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.equal(object, null, 'an object appeared');
  if (target.s3) {
    const aborts = cancelRequests.filter((entry) => entry.method === 'DELETE' && /^\?uploadId=/.test(entry.query));
    assert.ok(aborts.length >= 1, 'no AbortMultipartUpload request');
    // s3rver 3.7 rejects AbortMultipartUpload with 405, so the parts stay.
    assert.match(cancelled.stderr, new RegExp(`the unfinished upload of ${url} \\(upload ID [^)]+\\) was not removed`));
    assert.doesNotMatch(cancelled.stderr, /removed the unfinished upload/);
  } else {
    assert.match(cancelled.stderr, new RegExp(`removed the unfinished upload of ${url}`));
  }
}

test('s3 kill before completion resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 's3', false);
});

test('s3 kill after completion resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 's3', true);
});

test('s3 encrypted kill at completion resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 's3', false, { encrypted: true });
});

test('azure kill before completion resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 'azure', false);
});

test('azure kill after completion resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 'azure', true);
});

test('gcs kill before final chunk resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 'gcs', false);
});

test('gcs kill after final chunk resumes', { skip }, async (t) => {
  await checkKillAtCompletion(t, 'gcs', true);
});

test('s3 cancel after completion keeps object', { skip }, async (t) => {
  await checkCancelAtCompletion(t, 's3', true);
});

test('s3 cancel before completion aborts upload', { skip }, async (t) => {
  await checkCancelAtCompletion(t, 's3', false);
});

test('azure cancel after completion keeps blob', { skip }, async (t) => {
  await checkCancelAtCompletion(t, 'azure', true);
});

test('gcs cancel after final chunk keeps object', { skip }, async (t) => {
  await checkCancelAtCompletion(t, 'gcs', true);
});

// The Sluice container header recorded with the upload state lets a resume
// reject a wrong password before it sends anything, as for a local file.
test('s3 encrypted resume checks password', { skip }, async (t) => {
  const s3 = await startS3(t);
  const proxy = await startPartRejectingProxy(t, s3.url, 3);
  const source = 'gen:rows=250000&seed=30';
  const passwordFile = path.join(tempDirFor(t, 'sluice-password-'), 'password');
  fs.writeFileSync(passwordFile, PASSWORD);
  const local = await localExport(t, source, 'secret.csv',
    ['--encrypt', '--password-file', passwordFile, '--encryption-test-seed', '7', ...CHECKPOINT_FLAGS]);
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = (password) => cleanEnv({ ...s3.env, SLUICE_STATE_DIR: stateDir, SLUICE_PASSWORD: password });
  const failed = await runSluiceAsync(
    ['export', '--from', source, '--to', 's3://bucket/secret.csv', '--export-id', 'secret', '--s3-endpoint',
      proxy.url, '--cloud-part-size', '5MB', '--cloud-retries', '2', '--encrypt', '--encryption-test-seed', '7',
      ...CHECKPOINT_FLAGS, '--progress', 'none'], env(PASSWORD));
  assert.equal(failed.code, EXIT.io, failed.stderr);

  proxy.acceptAll();
  const requestsBeforeResume = proxy.log.length;
  const wrong = await runSluiceAsync(['resume', 'secret'], env('not-the-password'));
  assert.equal(wrong.code, EXIT.invalidData, wrong.stderr);
  assert.match(wrong.stderr, /wrong password/);
  assert.equal(proxy.log.length, requestsBeforeResume, 'the resume with a wrong password sent requests');

  const resumed = await runSluiceAsync(['resume', 'secret'], env(PASSWORD));
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(sha256(fs.readFileSync(s3.objectPath('secret.csv'))), local.sha256);
});

// An age upload keeps its header with the upload state too, so a resume
// with a wrong passphrase fails before it sends anything. Age output has a
// random file key, so the object is compared after decryption.
test('s3 age resume checks passphrase', { skip }, async (t) => {
  const s3 = await startS3(t);
  const proxy = await startPartRejectingProxy(t, s3.url, 3);
  const source = 'gen:rows=250000&seed=31';
  const local = await localExport(t, source, 'plain.csv', CHECKPOINT_FLAGS);
  const stateDir = tempDirFor(t, 'sluice-state-');
  const env = (password) => cleanEnv({ ...s3.env, SLUICE_STATE_DIR: stateDir, SLUICE_PASSWORD: password });
  const failed = await runSluiceAsync(
    ['export', '--from', source, '--to', 's3://bucket/secret.csv.age', '--format', 'csv', '--export-id', 'aged',
      '--s3-endpoint', proxy.url, '--cloud-part-size', '5MB', '--cloud-retries', '2', '--cloud-concurrency', '1',
      '--encrypt', 'age', ...CHECKPOINT_FLAGS, '--progress', 'none'], env(PASSWORD));
  assert.equal(failed.code, EXIT.io, failed.stderr);

  proxy.acceptAll();
  const requestsBeforeResume = proxy.log.length;
  const wrong = await runSluiceAsync(['resume', 'aged'], env('not-the-password'));
  assert.equal(wrong.code, EXIT.invalidData, wrong.stderr);
  assert.match(wrong.stderr, /wrong password/);
  assert.equal(proxy.log.length, requestsBeforeResume, 'the resume with a wrong password sent requests');

  const resumed = await runSluiceAsync(['resume', 'aged'], env(PASSWORD));
  assert.equal(resumed.code, 0, resumed.stderr);
  const decrypted = path.join(tempDirFor(t, 'sluice-decrypted-'), 'plain.csv');
  const opened = await runSluiceAsync(['decrypt', s3.objectPath('secret.csv.age'), decrypted], env(PASSWORD));
  assert.equal(opened.code, 0, opened.stderr);
  assert.equal(sha256(fs.readFileSync(decrypted)), local.sha256);
});
