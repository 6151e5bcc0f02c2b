// GCS uploads against tests/integration/gcs_test_server.mjs: a resumable
// upload in 256 KiB-multiple chunks authorized by a service account key
// (RS256 JWT exchanged for a token) or a given access token, byte-identical
// to a local export; errors name the object and never show a token.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { SKIP_WITHOUT_BINARY } from './helpers.mjs';
import { CHUNK_MULTIPLE } from './gcs_test_server.mjs';
import { cleanEnv, localExport, runSluiceAsync, sha256, startGcs, tempDirFor } from './cloud_servers.mjs';

const skip = SKIP_WITHOUT_BINARY;
const EMAIL = 'exporter@sluice-test.iam.gserviceaccount.com';

function makeKeyFile(t, tokenUri, privateKey) {
  const file = path.join(tempDirFor(t, 'sluice-gcs-key-'), 'key.json');
  fs.writeFileSync(file, JSON.stringify({
    type: 'service_account', project_id: 'sluice-test', private_key_id: 'key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), client_email: EMAIL, token_uri: tokenUri,
  }));
  return file;
}

test('gcs service account upload matches local export', { skip }, async (t) => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gcs = await startGcs(t, { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }), clientEmail: EMAIL, requireAuth: true });
  const keyFile = makeKeyFile(t, `${gcs.url}/token`, privateKey);
  const source = 'gen:rows=40000&seed=11';
  const local = await localExport(t, source, 'out.csv');
  const result = await runSluiceAsync(
    ['export', '--from', source, '--to', 'gs://bucket/dir/out.csv', '--cloud-part-size', '1MB', '--progress', 'none'],
    cleanEnv({ STORAGE_EMULATOR_HOST: gcs.url, GOOGLE_APPLICATION_CREDENTIALS: keyFile }));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(gcs.objects.get('bucket/dir/out.csv')), local.sha256);

  assert.equal(gcs.log.filter((entry) => entry.path === '/token').length, 1);
  const chunks = gcs.log.filter((entry) => entry.method === 'PUT');
  assert.ok(chunks.length > 3, `expected several chunks, got ${chunks.length}`);
  for (const chunk of chunks.slice(0, -1)) {
    const [, first, last] = /^bytes (\d+)-(\d+)\/\*$/.exec(chunk.contentRange);
    assert.equal((Number(last) - Number(first) + 1) % CHUNK_MULTIPLE, 0, chunk.contentRange);
  }
  assert.match(chunks.at(-1).contentRange, new RegExp(`/${local.size}$`));
});

test('gcs small and empty outputs', { skip }, async (t) => {
  const gcs = await startGcs(t);
  for (const rows of [0, 25]) {
    const local = await localExport(t, `gen:rows=${rows}`, 'small.ndjson');
    const result = await runSluiceAsync(
      ['export', '--from', `gen:rows=${rows}`, '--to', `gs://bucket/small-${rows}.ndjson`, '--progress', 'none'],
      cleanEnv({ STORAGE_EMULATOR_HOST: gcs.url }));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(sha256(gcs.objects.get(`bucket/small-${rows}.ndjson`)), local.sha256);
  }
});

test('gcs key from another account rejected', { skip }, async (t) => {
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gcs = await startGcs(t, { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }), clientEmail: EMAIL, requireAuth: true });
  const keyFile = makeKeyFile(t, `${gcs.url}/token`, other.privateKey);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=100', '--to', 'gs://bucket/x.csv', '--progress', 'none'],
    cleanEnv({ STORAGE_EMULATOR_HOST: gcs.url, GOOGLE_APPLICATION_CREDENTIALS: keyFile }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /GCS token request to .*\/token for exporter@sluice-test\.iam\.gserviceaccount\.com failed: HTTP 400 invalid_grant/);
  assert.equal(gcs.objects.size, 0);
});

test('gcs bad access token not shown', { skip }, async (t) => {
  const gcs = await startGcs(t, { requireAuth: true });
  const token = 'ya29.secret-token-that-must-not-leak';
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=100', '--to', 'gs://bucket/y.csv', '--progress', 'none'],
    cleanEnv({ STORAGE_EMULATOR_HOST: gcs.url, SLUICE_GCS_ACCESS_TOKEN: token }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /GCS resumable upload start of gs:\/\/bucket\/y\.csv failed: HTTP 401 required/);
  assert.ok(!result.stderr.includes('secret-token'), 'the access token leaked');
});

test('gcs missing bucket error', { skip }, async (t) => {
  const gcs = await startGcs(t);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=10', '--to', 'gs://nobucket/z.csv', '--progress', 'none'],
    cleanEnv({ STORAGE_EMULATOR_HOST: gcs.url }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /GCS resumable upload start of gs:\/\/nobucket\/z\.csv failed: HTTP 404 notFound: The specified bucket does not exist/);
});
