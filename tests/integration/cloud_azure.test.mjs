// Azure Blob Storage uploads against Azurite, which verifies Shared Key
// signatures and Content-MD5: blocks plus block list, a single Put Blob for
// small outputs, SAS tokens, the https:// URL form, and errors that name
// the blob without leaking the key or the SAS.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters } from '@azure/storage-blob';

import { SKIP_WITHOUT_BINARY } from './helpers.mjs';
import { AZURITE_ACCOUNT, AZURITE_KEY, cleanEnv, localExport, runSluiceAsync, sha256, startAzurite } from './cloud_servers.mjs';

const skip = SKIP_WITHOUT_BINARY;

test('azure block upload matches local export', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const source = 'gen:rows=60000&seed=3';
  const local = await localExport(t, source, 'out.csv');
  const result = await runSluiceAsync(
    ['export', '--from', source, '--to', `azure://${AZURITE_ACCOUNT}/container/dir/out.csv`,
      '--cloud-part-size', '1MB', '--cloud-concurrency', '4', '--progress', 'none'],
    cleanEnv(azure.env));
  assert.equal(result.code, 0, result.stderr);
  const blob = await azure.download('dir/out.csv');
  assert.equal(sha256(blob), local.sha256);
  const blocks = await azure.containerClient.getBlockBlobClient('dir/out.csv').getBlockList('committed');
  assert.ok(blocks.committedBlocks.length > 5, `expected several blocks, got ${blocks.committedBlocks.length}`);
});

test('azure small output uses put blob', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const local = await localExport(t, 'gen:rows=20', 'small.json');
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=20', '--to', `azure://${AZURITE_ACCOUNT}/container/small.json`, '--progress', 'none'],
    cleanEnv(azure.env));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(await azure.download('small.json')), local.sha256);
});

test('azure https url form', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const local = await localExport(t, 'gen:rows=5000', 'h.csv');
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=5000', '--to', `https://${AZURITE_ACCOUNT}.blob.core.windows.net/container/h.csv`,
      '--cloud-part-size', '256KB', '--progress', 'none'],
    cleanEnv(azure.env));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(await azure.download('h.csv')), local.sha256);
});

test('azure sas token upload', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const sas = generateBlobSASQueryParameters({
    containerName: 'container',
    permissions: ContainerSASPermissions.parse('rcw'),
    expiresOn: new Date(Date.now() + 3600_000),
    version: '2021-08-06',
  }, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).toString();
  const connectionString = `BlobEndpoint=${azure.endpoint};SharedAccessSignature=${sas}`;
  const local = await localExport(t, 'gen:rows=30000', 's.csv');
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=30000', '--to', `azure://${AZURITE_ACCOUNT}/container/s.csv`,
      '--cloud-part-size', '1MB', '--progress', 'none'],
    cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: connectionString }));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sha256(await azure.download('s.csv')), local.sha256);

  // A read-only SAS is rejected; the message names the blob, not the token.
  const readOnly = generateBlobSASQueryParameters({
    containerName: 'container', permissions: ContainerSASPermissions.parse('r'),
    expiresOn: new Date(Date.now() + 3600_000), version: '2021-08-06',
  }, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).toString();
  const denied = await runSluiceAsync(
    ['export', '--from', 'gen:rows=10', '--to', `azure://${AZURITE_ACCOUNT}/container/denied.csv`, '--progress', 'none'],
    cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: `BlobEndpoint=${azure.endpoint};SharedAccessSignature=${readOnly}` }));
  assert.equal(denied.code, 4, denied.stderr);
  assert.match(denied.stderr, /Azure Blob Storage Put Blob of azure:\/\/devstoreaccount1\/container\/denied\.csv failed: HTTP 403/);
  const signature = new URLSearchParams(readOnly).get('sig');
  assert.ok(!denied.stderr.includes(signature), 'the SAS signature leaked');
  assert.equal(await azure.exists('denied.csv'), false);
});

test('azure wrong key fails without leaking', { skip }, async (t) => {
  const azure = await startAzurite(t);
  const wrongKey = Buffer.from('not the right key for this account, 64 bytes of it.............').toString('base64');
  const connectionString = `AccountName=${AZURITE_ACCOUNT};AccountKey=${wrongKey};BlobEndpoint=${azure.endpoint}`;
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=30000', '--to', `azure://${AZURITE_ACCOUNT}/container/k.csv`,
      '--cloud-part-size', '1MB', '--progress', 'none'],
    cleanEnv({ AZURE_STORAGE_CONNECTION_STRING: connectionString }));
  assert.equal(result.code, 4, result.stderr);
  assert.match(result.stderr, /Azure Blob Storage Put Block \d+ of azure:\/\/devstoreaccount1\/container\/k\.csv failed: HTTP 403 (AuthenticationFailed|AuthorizationFailure)/);
  assert.ok(!result.stderr.includes(wrongKey), 'the account key leaked');
  assert.doesNotMatch(result.stderr, /SharedKey devstoreaccount1:/);
  assert.equal(await azure.exists('k.csv'), false);
});

test('azure destination query rejected', { skip }, async () => {
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=1', '--to', `https://${AZURITE_ACCOUNT}.blob.core.windows.net/c/b.csv?sv=1&sig=SECRETSIG`,
      '--format', 'csv', '--progress', 'none'],
    cleanEnv());
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /takes no query string; pass a SAS token in AZURE_STORAGE_SAS_TOKEN/);
  assert.doesNotMatch(result.stderr, /SECRETSIG/);
});
