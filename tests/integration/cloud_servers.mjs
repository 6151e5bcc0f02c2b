// Shared setup of the cloud upload tests: starts s3rver, Azurite and the
// GCS test server on free 127.0.0.1 ports, runs sluice without blocking the
// event loop (the in-process servers must keep answering), and hashes files.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import S3rver from 's3rver';

import { REPO_DIR, SLUICE_BIN } from './helpers.mjs';
import { startGcsServer } from './gcs_test_server.mjs';

// Azurite's development account key, published in Microsoft's Azurite documentation.
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function tempDirFor(t, prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Environment for sluice with no cloud settings inherited from the caller.
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(SLUICE_|AWS_|AZURE_|GOOGLE_|STORAGE_EMULATOR_HOST)/.test(name) && name !== 'SLUICE_BIN') delete env[name];
  }
  return { ...env, HOME: os.tmpdir(), ...extra };
}

// Runs sluice asynchronously; resolves to {code, stdout, stderr}.
export function runSluiceAsync(args, env, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(SLUICE_BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

// Exports `source` to a local file and returns its SHA-256 and size.
export async function localExport(t, source, name, extraArgs = []) {
  const dir = tempDirFor(t, 'sluice-cloud-local-');
  const file = path.join(dir, name);
  const result = await runSluiceAsync(['export', '--from', source, '--to', file, '--progress', 'none', ...extraArgs], cleanEnv());
  if (result.code !== 0) throw new Error(`local export failed: ${result.stderr}`);
  const data = fs.readFileSync(file);
  return { sha256: sha256(data), size: data.length };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

// Starts s3rver with bucket `bucket`; stopped when test context `t` ends.
export async function startS3(t, bucket = 'bucket') {
  const directory = tempDirFor(t, 'sluice-s3rver-');
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: bucket }] });
  await server.run();
  t.after(() => server.close());
  return {
    url: `http://127.0.0.1:${port}`,
    directory,
    // s3rver stores an object's bytes in BUCKET/KEY._S3rver_object.
    objectPath: (key) => path.join(directory, bucket, `${key}._S3rver_object`),
    env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
  };
}

// Starts Azurite's blob service in a child process with container `container`.
export async function startAzurite(t, container = 'container') {
  const location = tempDirFor(t, 'sluice-azurite-');
  const port = await freePort();
  const child = spawn(path.join(REPO_DIR, 'node_modules/.bin/azurite-blob'), [
    '--disableTelemetry', '--skipApiVersionCheck', '--silent', '--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location,
  ], { stdio: 'ignore' });
  t.after(() => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', resolve);
    child.kill('SIGTERM');
  }));
  await waitForPort(port, 20_000);
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint};`;
  const { BlobServiceClient } = await import('@azure/storage-blob');
  const service = BlobServiceClient.fromConnectionString(connectionString);
  const containerClient = service.getContainerClient(container);
  await containerClient.create();
  return {
    port,
    endpoint,
    connectionString,
    containerClient,
    env: { AZURE_STORAGE_CONNECTION_STRING: connectionString },
    download: async (blob) => containerClient.getBlobClient(blob).downloadToBuffer(),
    exists: async (blob) => containerClient.getBlobClient(blob).exists(),
  };
}

// Starts the GCS test server; `options` as startGcsServer takes them.
export async function startGcs(t, options = {}) {
  const server = await startGcsServer(options);
  t.after(() => server.close());
  return server;
}
