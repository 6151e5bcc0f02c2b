// Split exports (--max-file-size) to s3rver, Azurite and the GCS test
// server. A cloud export must leave the same parts as a local export with
// the same options. The part names match, because the number goes into the
// object key as into a file name. The parts are byte-identical (SHA-256),
// and the manifest, uploaded last as KEY.manifest.json, has the same
// content. Every part is read back with DuckDB. An S3 export killed in its
// second part (at the start, mid-upload, at the completing request, and
// encrypted) resumes without sending the first part again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { EXIT, SKIP_WITHOUT_BINARY, SLUICE_BIN, query, sqlString } from './helpers.mjs';
import { startFaultProxy } from './fault_proxy.mjs';
import {
  AZURITE_ACCOUNT, cleanEnv, runSluiceAsync, sha256, startAzurite, startGcs, startS3, tempDirFor,
} from './cloud_servers.mjs';

const skip = SKIP_WITHOUT_BINARY;

// Each case gives several parts.
const CASES = {
  csv: { source: 'gen:rows=20000&seed=41', name: 'out.csv', flags: ['--max-file-size', '256KB', '--chunk-size', '64KB'] },
  parquet: { source: 'gen:rows=60000&seed=42', name: 'out.parquet', flags: ['--max-file-size', '1MB'] },
};

// Runs a local split export and returns its manifest and parts' bytes.
async function localSplit(t, { source, name, flags, env = {} }) {
  const dir = tempDirFor(t, 'sluice-split-local-');
  const destination = path.join(dir, name);
  const result = await runSluiceAsync(['export', '--from', source, '--to', destination, '--progress', 'none', ...flags],
    cleanEnv({ ...env, SLUICE_STATE_DIR: path.join(dir, 'state') }));
  assert.equal(result.code, 0, result.stderr);
  const manifest = JSON.parse(fs.readFileSync(`${destination}.manifest.json`, 'utf8'));
  const parts = manifest.parts.map((part) => fs.readFileSync(path.join(dir, part.path)));
  return { manifest, parts };
}

async function s3Target(t) {
  const s3 = await startS3(t);
  const bucketDir = path.join(s3.directory, 'bucket');
  return {
    name: 's3', env: s3.env, flags: ['--s3-endpoint', s3.url],
    url: (key) => `s3://bucket/${key}`,
    read: async (key) => fs.readFileSync(s3.objectPath(key)),
    // s3rver keeps a key's "/"-separated segments as directories.
    list: async () => (fs.existsSync(bucketDir) ? fs.readdirSync(bucketDir, { recursive: true }) : [])
      .filter((file) => file.endsWith('._S3rver_object')).map((file) => file.slice(0, -'._S3rver_object'.length)),
  };
}

async function azureTarget(t) {
  const azure = await startAzurite(t);
  return {
    name: 'azure', env: azure.env, flags: ['--cloud-part-size', '1MB'],
    url: (key) => `azure://${AZURITE_ACCOUNT}/container/${key}`,
    read: (key) => azure.download(key),
    list: async () => {
      const names = [];
      for await (const blob of azure.containerClient.listBlobsFlat()) names.push(blob.name);
      return names;
    },
  };
}

// GCS chunks of 256 KiB, so the Parquet parts upload in several chunks and
// the first part's name is chosen before the part ends.
async function gcsTarget(t) {
  const gcs = await startGcs(t);
  return {
    name: 'gcs', env: { STORAGE_EMULATOR_HOST: gcs.url, GOOGLE_OAUTH_ACCESS_TOKEN: 'test-token' },
    flags: ['--cloud-part-size', '256KB'],
    url: (key) => `gs://bucket/${key}`,
    read: async (key) => gcs.objects.get(`bucket/${key}`),
    list: async () => [...gcs.objects.keys()].filter((key) => key.startsWith('bucket/')).map((key) => key.slice(7)),
  };
}

// Counts a part's rows with DuckDB, from a copy in a local file.
async function duckRows(t, data, name) {
  const file = path.join(tempDirFor(t, 'sluice-split-read-'), name);
  fs.writeFileSync(file, data);
  const reader = name.endsWith('.parquet') ? `read_parquet(${sqlString(file)})`
    : `read_csv(${sqlString(file)}, header = true, all_varchar = true)`;
  const [{ rows }] = await query(`SELECT count(*)::INTEGER AS rows FROM ${reader}`);
  return rows;
}

function withoutExportId(manifest) {
  const { exportId, ...rest } = manifest;
  assert.ok(exportId);
  return rest;
}

// Exports a case to `target` and compares every object with the local split.
async function checkSplitMatchesLocal(t, target, kind) {
  const spec = CASES[kind];
  const local = await localSplit(t, spec);
  assert.ok(local.parts.length >= 3, `expected several parts, got ${local.parts.length}`);

  const key = `split/${spec.name}`;
  const result = await runSluiceAsync(
    ['export', '--from', spec.source, '--to', target.url(key), '--progress', 'none', ...spec.flags, ...target.flags],
    cleanEnv({ ...target.env, SLUICE_STATE_DIR: tempDirFor(t, 'sluice-state-') }));
  assert.equal(result.code, 0, result.stderr);

  const manifestObject = await target.read(`${key}.manifest.json`);
  assert.ok(manifestObject, 'no manifest object');
  const manifest = JSON.parse(manifestObject.toString('utf8'));
  assert.deepEqual(withoutExportId(manifest), withoutExportId(local.manifest));

  const expectedKeys = [...manifest.parts.map((part) => `split/${part.path}`), `${key}.manifest.json`].sort();
  assert.deepEqual((await target.list()).filter((name) => name.startsWith('split/')).sort(), expectedKeys);

  for (const [index, part] of manifest.parts.entries()) {
    const data = await target.read(`split/${part.path}`);
    assert.equal(data.length, part.bytes, part.path);
    assert.equal(sha256(data), sha256(local.parts[index]), `${target.name} ${part.path} differs from the local part`);
    assert.equal(sha256(data), part.sha256, part.path);
    assert.equal(await duckRows(t, data, part.path), part.rows, part.path);
  }
}

for (const [provider, makeTarget] of [['s3', s3Target], ['azure', azureTarget], ['gcs', gcsTarget]]) {
  for (const kind of Object.keys(CASES)) {
    test(`${provider} ${kind} split matches local split`, { skip }, async (t) => {
      await checkSplitMatchesLocal(t, await makeTarget(t), kind);
    });
  }
}

test('cloud export under the limit stays one object', { skip }, async (t) => {
  const target = await gcsTarget(t);
  const result = await runSluiceAsync(
    ['export', '--from', 'gen:rows=2000', '--to', target.url('small.csv'), '--max-file-size', '1MB', '--progress', 'none',
      ...target.flags],
    cleanEnv({ ...target.env, SLUICE_STATE_DIR: tempDirFor(t, 'sluice-state-') }));
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await target.list(), ['small.csv']);
});

// A part contains at least one row, so a row wider than the limit gets a
// part that passes it, locally and in the cloud alike.
test('row wider than limit gets own part', { skip }, async (t) => {
  const dir = tempDirFor(t, 'sluice-split-wide-');
  const csv = path.join(dir, 'wide.csv');
  const rows = ['id,text'];
  for (let id = 1; id <= 200; id += 1) rows.push(`${id},${id === 100 ? 'w'.repeat(20000) : `row ${id}`}`);
  fs.writeFileSync(csv, `${rows.join('\n')}\n`);
  const spec = { source: csv, name: 'wide.csv', flags: ['--max-file-size', '8KB', '--chunk-size', '8KB'] };
  const local = await localSplit(t, spec);
  assert.ok(local.manifest.parts.some((part) => part.bytes > 8 * 1024), 'no local part passes the limit');

  const target = await s3Target(t);
  const result = await runSluiceAsync(
    ['export', '--from', csv, '--to', target.url('wide/wide.csv'), '--progress', 'none', ...spec.flags, ...target.flags],
    cleanEnv({ ...target.env, SLUICE_STATE_DIR: tempDirFor(t, 'sluice-state-') }));
  assert.equal(result.code, 0, result.stderr);
  const manifest = JSON.parse((await target.read('wide/wide.csv.manifest.json')).toString('utf8'));
  assert.deepEqual(withoutExportId(manifest), withoutExportId(local.manifest));
  for (const [index, part] of manifest.parts.entries()) {
    assert.equal(sha256(await target.read(`wide/${part.path}`)), sha256(local.parts[index]), part.path);
  }
});

// A FIFO reports no size, so the source's row count is unknown and the first
// part, whose upload starts before it ends, goes to the key given. When a
// second part follows, the export fails and leaves no object behind.
test('unknown row count fails when split', { skip }, async (t) => {
  const dir = tempDirFor(t, 'sluice-split-fifo-');
  const csv = path.join(dir, 'rows.csv');
  const local = await runSluiceAsync(['export', '--from', 'gen:rows=30000&seed=44', '--to', csv, '--progress', 'none'],
    cleanEnv({ SLUICE_STATE_DIR: path.join(dir, 'state') }));
  assert.equal(local.code, 0, local.stderr);
  const fifo = path.join(dir, 'input.csv');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);

  const target = await gcsTarget(t);
  const exporting = runSluiceAsync(
    ['export', '--from', fifo, '--to', target.url('fifo.csv'), '--max-file-size', '1MB', '--progress', 'none',
      ...target.flags],
    cleanEnv({ ...target.env, SLUICE_STATE_DIR: tempDirFor(t, 'sluice-state-') }));
  fs.createReadStream(csv).pipe(fs.createWriteStream(fifo)).on('error', () => {});
  const result = await exporting;
  assert.equal(result.code, EXIT.usage, result.stderr);
  assert.match(result.stderr, /passed --max-file-size 1MB after its upload had started under that key/);
  assert.match(result.stderr, /the source reports no row count/);
  assert.deepEqual(await target.list(), []);
});

// Starts an export. The test's proxy observer kills it with SIGKILL through
// proxyState.kill when the first request that `killAt` matches arrives, and
// the proxy does not forward that request.
function exportKilledAt(args, env, proxyState) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data) => { stderr += data.toString('utf8'); });
    proxyState.kill = () => child.kill('SIGKILL');
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

// Kill points in part 2, whose first request comes after part 1 is stored
// and recorded, because a part is recorded before the next part opens.
const KILL_POINTS = {
  // CreateMultipartUpload of part 2, which never reaches s3rver: the resume
  // starts a new upload for part 2.
  'part 2 start': { killAt: (request) => /big\.part-00002\.csv/.test(request.path), reusesUpload: false },
  // The second upload part of part 2: the resume continues the recorded
  // upload of part 2 under the same UploadId. Whether the first upload part
  // is kept depends on whether a checkpoint recorded its acknowledgement.
  'part 2 middle': {
    killAt: (request) => /big\.part-00002\.csv/.test(request.path) && /partNumber=2&/.test(request.query),
    reusesUpload: true,
  },
  // CompleteMultipartUpload of part 2, recorded with every upload part
  // first: the resume keeps the two full upload parts, sends the short last
  // one again and completes the upload.
  'part 2 completion': {
    killAt: (request) => /big\.part-00002\.csv/.test(request.path) && request.method === 'POST' && /^\?uploadId=/.test(request.query),
    reusesUpload: true,
    keptBytes: 2 * 5 * 1024 * 1024,
  },
  // The same request after s3rver carried it out: the proxy forwards the
  // first one and drops the response, and the kill lands at the retry. The
  // resume finds part 2 assembled and sends nothing for it.
  'part 2 completion applied': {
    killAt: (request) => /big\.part-00002\.csv/.test(request.path) && request.method === 'POST' && /^\?uploadId=/.test(request.query),
    loseFirst: true,
    reusesUpload: true,
  },
  // As 'part 2 start', encrypted. Part 2 has not started, so only part 1's
  // container header can reject a wrong password.
  'part 2 start encrypted': {
    killAt: (request) => /big\.part-00002\.csv/.test(request.path),
    reusesUpload: false,
    encrypted: true,
  },
};

const PASSWORD = 'cloud-split-password';

for (const [point, { killAt, reusesUpload, keptBytes, loseFirst = false, encrypted = false }] of Object.entries(KILL_POINTS)) {
  test(`s3 split resumes at ${point} without sending part 1`, { skip }, async (t) => {
    // 12 MB parts of 5 MiB uploads: each part is a multipart upload, and the
    // first part's key is chosen mid-part.
    const spec = { source: 'gen:rows=250000&seed=43', name: 'big.csv',
      flags: ['--max-file-size', '12MB', '--chunk-size', '64KB', '--checkpoint-interval', '512KB',
        ...(encrypted ? ['--encrypt', '--encryption-test-seed', '7'] : [])],
      env: encrypted ? { SLUICE_PASSWORD: PASSWORD } : {} };
    const local = await localSplit(t, spec);
    assert.ok(local.parts.length >= 2, `expected several parts, got ${local.parts.length}`);

    const s3 = await startS3(t);
    const proxyState = { kill: null };
    let matches = 0;
    const proxy = await startFaultProxy({
      target: s3.url,
      rules: loseFirst ? [{ action: 'lose', times: 1, match: killAt }] : [],
      observer: {
        request: (request) => {
          if (proxyState.kill === null || !killAt(request)) return;
          matches += 1;
          if (loseFirst && matches === 1) return;
          request.drop = true;
          proxyState.kill();
          proxyState.kill = null;
        },
      },
    });
    t.after(() => proxy.close());

    const stateDir = tempDirFor(t, 'sluice-state-');
    const env = cleanEnv({ ...s3.env, ...spec.env, SLUICE_STATE_DIR: stateDir });
    const args = ['export', '--from', spec.source, '--to', 's3://bucket/big.csv', '--export-id', 'split-kill',
      '--s3-endpoint', proxy.url, '--cloud-part-size', '5MB', '--progress', 'none', ...spec.flags];
    const killed = await exportKilledAt(args, env, proxyState);
    assert.equal(killed.signal, 'SIGKILL', `the export was not killed: ${killed.stderr}`);
    assert.ok(fs.existsSync(s3.objectPath('big.part-00001.csv')), 'part 1 was not stored before the kill');

    if (encrypted) {
      const wrongRequests = proxy.log.length;
      const wrong = await runSluiceAsync(['resume', 'split-kill', '--progress', 'none'],
        cleanEnv({ ...s3.env, SLUICE_STATE_DIR: stateDir, SLUICE_PASSWORD: 'not-the-password' }));
      assert.equal(wrong.code, EXIT.invalidData, wrong.stderr);
      assert.match(wrong.stderr, /wrong password/);
      assert.equal(proxy.log.length, wrongRequests, 'the resume with a wrong password sent requests');
    }

    const requestsBeforeResume = proxy.log.length;
    const resumed = await runSluiceAsync(['resume', 'split-kill', '--progress', 'none'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /resumed from chunk \d+ \(row \d+\) of part 2,/);
    t.diagnostic(resumed.stderr.split('\n').find((line) => /resumed/.test(line)));
    const resumeRequests = proxy.log.slice(requestsBeforeResume);
    assert.equal(resumeRequests.filter((entry) => /big\.part-00001\.csv/.test(entry.path)).length, 0,
      'the resume sent part 1 again');
    const created = resumeRequests.filter((entry) => /big\.part-00002\.csv/.test(entry.path) && entry.query === '?uploads=');
    assert.equal(created.length, reusesUpload ? 0 : 1, 'CreateMultipartUpload requests for part 2 in the resume');
    if (keptBytes !== undefined) {
      assert.match(resumed.stderr, new RegExp(`keeping the ${keptBytes} bytes the provider has stored`));
      const resent = resumeRequests.filter((entry) => /big\.part-00002\.csv/.test(entry.path) && /partNumber=[12]&/.test(entry.query));
      assert.equal(resent.length, 0, 'the resume sent a stored upload part of part 2 again');
    }
    if (loseFirst) {
      assert.match(resumed.stderr, /of part 2, sending nothing, because the provider has already assembled the object/);
      const sent = resumeRequests.filter((entry) => /big\.part-00002\.csv/.test(entry.path) && entry.method !== 'HEAD');
      assert.deepEqual(sent, [], 'the resume sent requests for the assembled part 2');
    }

    const manifest = JSON.parse(fs.readFileSync(s3.objectPath('big.csv.manifest.json'), 'utf8'));
    assert.deepEqual(manifest.parts.map((part) => part.path), local.manifest.parts.map((part) => part.path));
    for (const [index, part] of manifest.parts.entries()) {
      assert.equal(sha256(fs.readFileSync(s3.objectPath(part.path))), sha256(local.parts[index]), part.path);
    }
    assert.equal(fs.existsSync(s3.objectPath('big.csv')), false, 'the destination key holds an object');
  });
}
