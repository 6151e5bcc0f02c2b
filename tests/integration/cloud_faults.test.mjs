// Fault injection: tests/integration/fault_proxy.mjs sits between sluice
// and each storage server and drops connections, answers 500/503, stalls,
// and loses responses to requests the server completed. An export either
// completes with an object byte-identical to a local export, or fails with
// a non-zero exit, the upload aborted and no object.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';

import { SKIP_WITHOUT_BINARY } from './helpers.mjs';
import { startFaultProxy } from './fault_proxy.mjs';
import { AZURITE_ACCOUNT, cleanEnv, localExport, runSluiceAsync, sha256, startAzurite, startGcs, startS3 } from './cloud_servers.mjs';

const skip = SKIP_WITHOUT_BINARY;
const FAST = ['--cloud-stall-timeout', '2', '--progress', 'none'];

async function proxyFor(t, target, rules) {
  const proxy = await startFaultProxy({ target, rules });
  t.after(() => proxy.close());
  return proxy;
}

function actions(proxy) {
  return proxy.log.filter((entry) => entry.action !== 'pass').map((entry) => entry.action).sort();
}

test('s3 upload survives faults', { skip }, async (t) => {
  const s3 = await startS3(t);
  const part = (n) => (r) => r.method === 'PUT' && r.query.includes(`partNumber=${n}&`);
  const proxy = await proxyFor(t, s3.url, [
    { match: part(1), action: 'stall', stallMs: 6000 },
    { match: part(2), action: 'status', status: 503, times: 2 },
    { match: part(3), action: 'drop' },
    { match: (r) => r.method === 'POST' && r.query.startsWith('?uploadId='), action: 'lose' },
  ]);
  const source = 'gen:rows=120000&seed=5';
  const local = await localExport(t, source, 'f.csv');
  const result = await runSluiceAsync(
    ['export', '--from', source, '--to', 's3://bucket/f.csv', '--s3-endpoint', proxy.url, '--cloud-part-size', '5MB', ...FAST],
    cleanEnv(s3.env));
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(actions(proxy), ['drop', 'lose', 'stall', 'status', 'status']);
  assert.equal(sha256(fs.readFileSync(s3.objectPath('f.csv'))), local.sha256);
});

test('s3 persistent failure aborts upload', { skip }, async (t) => {
  const s3 = await startS3(t);
  const proxy = await proxyFor(t, s3.url, [
    { match: (r) => r.method === 'PUT' && r.query.includes('partNumber=2&'), action: 'status', status: 500, times: 100 },
  ]);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=120000', '--to', 's3://bucket/g.csv', '--s3-endpoint', proxy.url,
      '--cloud-part-size', '5MB', '--cloud-retries', '3', ...FAST],
    cleanEnv(s3.env));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /S3 UploadPart 2 of s3:\/\/bucket\/g\.csv failed: HTTP 500 InjectedFault/);
  assert.equal(proxy.log.filter((r) => r.method === 'DELETE' && r.query.startsWith('?uploadId=')).length > 0, true,
    'AbortMultipartUpload was not sent');
  assert.equal(fs.existsSync(s3.objectPath('g.csv')), false);
});

test('azure upload survives faults', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const block = (r) => r.method === 'PUT' && r.query.includes('comp=block&');
  const proxy = await proxyFor(t, `http://127.0.0.1:${azure.port}`, [
    { match: block, action: 'status', status: 500, times: 2 },
    { match: block, action: 'drop' },
    { match: block, action: 'stall', stallMs: 6000 },
    { match: (r) => r.query.includes('comp=blocklist'), action: 'lose' },
  ]);
  const connectionString = azure.connectionString.replace(`127.0.0.1:${azure.port}`, `127.0.0.1:${proxy.port}`);
  const source = 'gen:rows=40000&seed=9';
  const local = await localExport(t, source, 'f.csv');
  const result = await runSluiceAsync(
    ['export', '--from', source, '--to', `azure://${AZURITE_ACCOUNT}/container/f.csv`, '--cloud-part-size', '1MB', ...FAST],
    cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: connectionString }));
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(actions(proxy), ['drop', 'lose', 'stall', 'status', 'status']);
  assert.equal(sha256(await azure.download('f.csv')), local.sha256);
});

test('azure persistent failure leaves no blob', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const proxy = await proxyFor(t, `http://127.0.0.1:${azure.port}`, [
    { match: (r) => r.query.includes('comp=blocklist'), action: 'status', status: 503, times: 100 },
  ]);
  const connectionString = azure.connectionString.replace(`127.0.0.1:${azure.port}`, `127.0.0.1:${proxy.port}`);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=20000', '--to', `azure://${AZURITE_ACCOUNT}/container/g.csv`,
      '--cloud-part-size', '1MB', '--cloud-retries', '2', ...FAST],
    cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: connectionString }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /Azure Blob Storage Put Block List of azure:\/\/devstoreaccount1\/container\/g\.csv failed: HTTP 503/);
  assert.equal(await azure.exists('g.csv'), false);
});

test('gcs upload survives faults', { skip }, async (t) => {
  const gcs = await startGcs(t);
  const chunk = (r) => r.method === 'PUT' && /^bytes \d+-\d+\/\*$/.test(r.headers['content-range'] || '');
  const finalChunk = (r) => r.method === 'PUT' && /^bytes \d+-\d+\/\d+$/.test(r.headers['content-range'] || '');
  const proxy = await proxyFor(t, gcs.url, [
    { match: chunk, action: 'cut' },
    { match: chunk, action: 'status', status: 503 },
    { match: chunk, action: 'stall', stallMs: 6000 },
    { match: chunk, action: 'lose' },
    { match: finalChunk, action: 'lose' },
  ]);
  const source = 'gen:rows=40000&seed=13';
  const local = await localExport(t, source, 'f.csv');
  const result = await runSluiceAsync(
    ['export', '--from', source, '--to', 'gs://bucket/f.csv', '--cloud-part-size', '1MB', ...FAST],
    cleanEnv({ STORAGE_EMULATOR_HOST: proxy.url }));
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(actions(proxy), ['cut', 'lose', 'lose', 'stall', 'status']);
  assert.equal(sha256(gcs.objects.get('bucket/f.csv')), local.sha256);
});

test('gcs persistent failure deletes session', { skip }, async (t) => {
  const gcs = await startGcs(t);
  const proxy = await proxyFor(t, gcs.url, [
    { match: (r) => r.method === 'PUT', action: 'status', status: 503, times: 1000 },
  ]);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=20000', '--to', 'gs://bucket/g.csv', '--cloud-part-size', '1MB', '--cloud-retries', '2', ...FAST],
    cleanEnv({ STORAGE_EMULATOR_HOST: proxy.url }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /GCS (chunk upload at byte 0|upload status query) of gs:\/\/bucket\/g\.csv failed: HTTP 503/);
  assert.ok(proxy.log.some((r) => r.method === 'DELETE'), 'the session was not deleted');
  assert.equal([...gcs.sessions.values()][0].cancelled, true);
  assert.equal(gcs.objects.has('bucket/g.csv'), false);
});
