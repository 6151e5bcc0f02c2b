// A protocol-level Google Cloud Storage server for Sluice's tests: the JSON
// API resumable upload and an OAuth 2.0 token endpoint, on 127.0.0.1.
//
// No GCS emulator installs on this machine, so this server was written from
// Google's public documentation of these endpoints ("Perform resumable
// uploads" and "Using OAuth 2.0 for Server to Server Applications"). It
// covers only what an uploader uses:
//   POST /token                 JWT bearer grant: checks the RS256 signature
//                               with the service account's public key, the
//                               aud, iss, exp and scope claims.
//   POST /upload/storage/v1/b/BUCKET/o?uploadType=resumable&name=NAME
//                               200 with the session URI in Location.
//   PUT  SESSION_URI            Content-Range "bytes A-B/*" for a chunk,
//                               "bytes A-B/TOTAL" for the last one, "bytes
//                               */TOTAL" or "bytes */*" for a status query.
//                               308 Resume Incomplete with "Range: bytes=0-N"
//                               (no Range while nothing is persisted); 200
//                               with the object resource when complete.
//   DELETE SESSION_URI          cancels the session: 499.
//   GET  /storage/v1/b/BUCKET/o/NAME?alt=media   the object's bytes.
// Rules it enforces: every chunk but the last is a multiple of 256 KiB
// (others get 400, so a client bug shows); a chunk must start at or before
// the persisted offset (bytes already persisted are skipped); an interrupted
// chunk keeps its received bytes rounded down to a multiple of 256 KiB; the
// object exists only once the last byte of the declared total arrives.
import crypto from 'node:crypto';
import http from 'node:http';

export const CHUNK_MULTIPLE = 256 * 1024;
const SCOPE = 'https://www.googleapis.com/auth/devstorage.read_write';

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res, status, reason, message) {
  sendJson(res, status, { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } });
}

function base64UrlDecode(text) {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

// Returns a rejection reason, or null when `assertion` is a valid JWT for this server.
function checkAssertion(assertion, options, tokenUri) {
  const parts = String(assertion || '').split('.');
  if (parts.length !== 3) return 'assertion is not a JWT';
  let header;
  let claims;
  try {
    header = JSON.parse(base64UrlDecode(parts[0]).toString('utf8'));
    claims = JSON.parse(base64UrlDecode(parts[1]).toString('utf8'));
  } catch {
    return 'assertion is not JSON';
  }
  if (header.alg !== 'RS256') return `alg ${header.alg} is not RS256`;
  const valid = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), options.publicKeyPem, base64UrlDecode(parts[2]));
  if (!valid) return 'invalid JWT signature';
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== tokenUri) return `aud ${claims.aud} is not ${tokenUri}`;
  if (options.clientEmail && claims.iss !== options.clientEmail) return `iss ${claims.iss} is unknown`;
  if (!(claims.exp > now) || !(claims.iat <= now + 60) || claims.exp - claims.iat > 3600) return 'invalid iat/exp';
  if (!String(claims.scope || '').split(' ').includes(SCOPE)) return 'scope lacks devstorage.read_write';
  return null;
}

// Parses "bytes A-B/T", "bytes */T", "bytes A-B/*", "bytes */*".
function parseContentRange(value) {
  const match = /^bytes (\*|(\d+)-(\d+))\/(\*|\d+)$/.exec(String(value || '').trim());
  if (!match) return null;
  return {
    first: match[2] === undefined ? null : Number(match[2]),
    last: match[3] === undefined ? null : Number(match[3]),
    total: match[4] === '*' ? null : Number(match[4]),
  };
}

function objectResource(bucket, name, data) {
  return {
    kind: 'storage#object', bucket, name, size: String(data.length),
    md5Hash: crypto.createHash('md5').update(data).digest('base64'),
    contentType: 'application/octet-stream',
  };
}

// Starts the server. options: {publicKeyPem, clientEmail, requireAuth,
// buckets: ['name', ...]}. Resolves to {url, port, objects, sessions, log, close()}.
export async function startGcsServer(options = {}) {
  const buckets = new Set(options.buckets || ['bucket']);
  const objects = new Map();   // "bucket/name" -> Buffer
  const sessions = new Map();  // id -> {bucket, name, chunks: Buffer[], persisted, done, cancelled}
  const tokens = new Set();
  const log = [];
  let nextId = 1;

  function authorized(req) {
    if (!options.requireAuth) return true;
    const match = /^Bearer (.+)$/.exec(req.headers.authorization || '');
    return match !== null && tokens.has(match[1]);
  }

  function rangeHeaders(session) {
    return session.persisted > 0 ? { Range: `bytes=0-${session.persisted - 1}` } : {};
  }

  function finishIfComplete(session, total, res) {
    if (total === null || session.persisted !== total) return false;
    const data = Buffer.concat(session.chunks);
    objects.set(`${session.bucket}/${session.name}`, data);
    session.done = true;
    session.resource = objectResource(session.bucket, session.name, data);
    sendJson(res, 200, session.resource);
    return true;
  }

  function append(session, range, body) {
    const skip = session.persisted - range.first;
    session.chunks.push(body.subarray(skip));
    session.persisted += body.length - skip;
  }

  function handleChunk(req, res, session, body, aborted) {
    const range = parseContentRange(req.headers['content-range']);
    if (aborted) {
      // Keep what arrived of an interrupted chunk, in whole 256 KiB units.
      if (range && range.first !== null && range.first <= session.persisted && !session.done) {
        const usable = Math.floor((range.first + body.length) / CHUNK_MULTIPLE) * CHUNK_MULTIPLE;
        if (usable > session.persisted) append(session, range, body.subarray(0, usable - range.first));
      }
      return;
    }
    if (session.cancelled) return sendError(res, 499, 'clientClosedRequest', 'The upload was cancelled.');
    if (session.done) return sendJson(res, 200, session.resource);
    if (!range) return sendError(res, 400, 'invalid', 'Missing or invalid Content-Range header.');
    if (range.first === null) {
      if (body.length !== 0) return sendError(res, 400, 'invalid', 'A status query has no body.');
      if (finishIfComplete(session, range.total, res)) return;
      res.writeHead(308, { ...rangeHeaders(session), 'Content-Length': 0 });
      return res.end();
    }
    if (range.last - range.first + 1 !== body.length) {
      return sendError(res, 400, 'invalid', 'Content-Range does not match the body length.');
    }
    if (range.first > session.persisted) {
      return sendError(res, 400, 'invalid', `Chunk starts at ${range.first} but only ${session.persisted} bytes are persisted.`);
    }
    if (range.total === null && body.length % CHUNK_MULTIPLE !== 0) {
      return sendError(res, 400, 'invalid', 'A chunk other than the last must be a multiple of 262144 bytes.');
    }
    if (range.total !== null && range.last + 1 !== range.total) {
      return sendError(res, 400, 'invalid', 'The last chunk must end at the declared total size.');
    }
    if (range.last + 1 > session.persisted) append(session, range, body);
    if (finishIfComplete(session, range.total, res)) return;
    res.writeHead(308, { ...rangeHeaders(session), 'Content-Length': 0 });
    res.end();
  }

  function handle(req, res, body, aborted) {
    const url = new URL(req.url, 'http://placeholder');
    const host = req.headers.host;
    if (!aborted) log.push({ method: req.method, path: url.pathname, query: url.search, contentRange: req.headers['content-range'] });

    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' });
      }
      const reason = checkAssertion(form.get('assertion'), options, `http://${host}/token`);
      if (reason) return sendJson(res, 400, { error: 'invalid_grant', error_description: reason });
      const token = `ya29.test-${crypto.randomBytes(16).toString('hex')}`;
      tokens.add(token);
      return sendJson(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }

    if (!authorized(req)) return sendError(res, 401, 'required', 'Anonymous caller does not have storage.objects.create access.');

    let match = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (match && req.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
      const bucket = decodeURIComponent(match[1]);
      const name = url.searchParams.get('name');
      if (!buckets.has(bucket)) return sendError(res, 404, 'notFound', 'The specified bucket does not exist.');
      if (!name) return sendError(res, 400, 'required', 'Required parameter: name');
      const id = `session-${nextId++}`;
      sessions.set(id, { bucket, name, chunks: [], persisted: 0, done: false, cancelled: false });
      const location = `http://${host}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      res.writeHead(200, { Location: location, 'Content-Length': 0 });
      return res.end();
    }
    if (match && url.searchParams.has('upload_id')) {
      const session = sessions.get(url.searchParams.get('upload_id'));
      if (!session) return sendError(res, 404, 'notFound', 'No such upload session.');
      if (req.method === 'PUT') return handleChunk(req, res, session, body, aborted);
      if (req.method === 'DELETE') {
        session.cancelled = true;
        return sendError(res, 499, 'clientClosedRequest', 'The upload was cancelled.');
      }
    }
    match = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (match && req.method === 'GET') {
      const data = objects.get(`${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`);
      if (!data) return sendError(res, 404, 'notFound', 'No such object.');
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': data.length });
      return res.end(data);
    }
    if (!aborted) sendError(res, 404, 'notFound', 'Not Found');
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    let complete = false;
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      complete = true;
      handle(req, res, Buffer.concat(chunks), false);
    });
    req.on('close', () => {
      if (!complete) handle(req, res, Buffer.concat(chunks), true);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    objects,
    sessions,
    log,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
