// S3 uploads against s3rver: multipart and single-PUT objects are
// byte-identical to a local export, credentials come from the environment
// or the shared credentials file, and errors name the object without
// leaking secrets. s3rver does not check signatures; tests/unit/cloud/
// sigv4_test.cc checks the ones libcurl computes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { SKIP_WITHOUT_BINARY } from './helpers.mjs';
import { cleanEnv, localExport, runSluiceAsync, sha256, startS3, tempDirFor } from './cloud_servers.mjs';

const skip = SKIP_WITHOUT_BINARY;

test('s3 multipart upload matches local export', { skip }, async (t) => {
  const s3 = await startS3(t);
  const source = 'gen:rows=120000&seed=7';
  const local = await localExport(t, source, 'out.csv');
  assert.ok(local.size > 12 * 1024 * 1024, 'the output must span several 5 MiB parts');
  const result = await runSluiceAsync(
    ['export', '--from', source, '--to', 's3://bucket/exports/out.csv', '--s3-endpoint', s3.url,
      '--cloud-part-size', '5MB', '--cloud-concurrency', '3', '--progress', 'none'],
    cleanEnv(s3.env));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(fs.readFileSync(s3.objectPath('exports/out.csv'))), local.sha256);
});

test('s3 small output uses one put', { skip }, async (t) => {
  const s3 = await startS3(t);
  const local = await localExport(t, 'gen:rows=50', 'small.ndjson');
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=50', '--to', 's3://bucket/small.ndjson', '--progress', 'none'],
    cleanEnv({ ...s3.env, AWS_ENDPOINT_URL_S3: s3.url }));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(fs.readFileSync(s3.objectPath('small.ndjson'))), local.sha256);
});

test('s3 compressed upload matches local export', { skip }, async (t) => {
  const s3 = await startS3(t);
  const local = await localExport(t, 'gen:rows=60000', 'out.csv.zst');
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=60000', '--to', 's3://bucket/out.csv.zst', '--progress', 'none'],
    cleanEnv({ ...s3.env, AWS_ENDPOINT_URL: s3.url }));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(fs.readFileSync(s3.objectPath('out.csv.zst'))), local.sha256);
});

test('s3 credentials from profile file', { skip }, async (t) => {
  const s3 = await startS3(t);
  const dir = tempDirFor(t, 'sluice-aws-');
  const file = path.join(dir, 'credentials');
  fs.writeFileSync(file, '[default]\naws_access_key_id = WRONG\naws_secret_access_key = WRONG\n\n[local]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
  const args = ['export', '--from', 'gen:rows=100', '--to', 's3://bucket/p.csv', '--s3-endpoint', s3.url, '--progress', 'none'];
  const byFlag = await runSluiceAsync([...args, '--aws-profile', 'local'], cleanEnv({ AWS_SHARED_CREDENTIALS_FILE: file }));
  assert.equal(byFlag.code, 0, byFlag.stderr);
  const byVariable = await runSluiceAsync(args, cleanEnv({ AWS_SHARED_CREDENTIALS_FILE: file, AWS_PROFILE: 'local' }));
  assert.equal(byVariable.code, 0, byVariable.stderr);
  const wrongKey = await runSluiceAsync(args, cleanEnv({ AWS_SHARED_CREDENTIALS_FILE: file }));
  assert.equal(wrongKey.code, 4, wrongKey.stderr);
  assert.match(wrongKey.stderr, /S3 PutObject of s3:\/\/bucket\/p\.csv failed: HTTP 403 InvalidAccessKeyId/);
});

test('s3 missing credentials rejected', { skip }, async (t) => {
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=10', '--to', 's3://bucket/x.csv', '--progress', 'none'],
    cleanEnv({ AWS_SHARED_CREDENTIALS_FILE: path.join(tempDirFor(t, 'sluice-aws-'), 'none') }));
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /no AWS credentials found: set AWS_ACCESS_KEY_ID/);
});

test('s3 missing bucket error names object', { skip }, async (t) => {
  const s3 = await startS3(t);
  const secret = 'S3RVER';
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=30000', '--to', 's3://nosuchbucket/a/b.csv', '--s3-endpoint', s3.url,
      '--cloud-part-size', '5MB', '--progress', 'none'],
    cleanEnv({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: 'token-must-not-leak-1234' }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /S3 \w+ of s3:\/\/nosuchbucket\/a\/b\.csv failed: HTTP 404 NoSuchBucket/);
  assert.doesNotMatch(result.stderr, /token-must-not-leak/);
  assert.doesNotMatch(result.stderr, /Signature=|AWS4-HMAC/);
});

test('s3 output past max file size is split', { skip }, async (t) => {
  const s3 = await startS3(t);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=20000', '--to', 's3://bucket/big.csv', '--s3-endpoint', s3.url,
      '--max-file-size', '1MB', '--progress', 'none'],
    cleanEnv(s3.env));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(fs.existsSync(s3.objectPath('big.csv')), false);
  assert.ok(fs.existsSync(s3.objectPath('big.part-00001.csv')));
  const manifest = JSON.parse(fs.readFileSync(s3.objectPath('big.csv.manifest.json'), 'utf8'));
  assert.ok(manifest.parts.length >= 2, `expected several parts, got ${manifest.parts.length}`);
  assert.equal(manifest.totalRows, 20000);
});
