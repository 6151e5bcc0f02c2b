// An HTTP proxy on 127.0.0.1 that sits between Sluice and a storage server
// and injects faults into chosen requests, for the cloud upload tests.
//
// Each rule has `match(request)` (request: {method, path, query, headers, index})
// and an action, applied to the first `times` matching requests:
//   status   answer `status` (500, 503, ...) without forwarding
//   drop     close the connection once the request has arrived, unanswered
//   lose     forward the request, then close the connection without the
//            server's response (the server did the work; the client never learns)
//   cut      forward half of the request body, then close both connections
//   stall    send nothing for `stallMs` (bounded), then close the connection
// Other requests pass through unchanged. `log` lists every request with the
// action applied to it.
//
// `observer`, when given, is called as each request progresses, so a test
// can act at an exact point of an upload: `request(request)` when the
// headers arrive, `body(request, bytes)` after each body chunk with the body
// bytes received so far, `response(request, status)` when the server's
// response to a passed request arrives and before it is sent on, and
// `closed(request, responded)` when the exchange with the client ends
// (responded is false when the client went away before the response was
// sent). An observer that sets `request.drop = true` before the body has
// ended makes the proxy close the connection instead of forwarding the
// request. A client killed mid-request needs that, because a body that had
// fully arrived would still be forwarded.
import http from 'node:http';

export async function startFaultProxy({ target, rules = [], observer = {} }) {
  const targetUrl = new URL(target);
  const log = [];
  const remaining = rules.map((rule) => rule.times ?? 1);
  let index = 0;
  const timers = new Set();

  function pickAction(request) {
    for (let i = 0; i < rules.length; i += 1) {
      if (remaining[i] > 0 && rules[i].match(request)) {
        remaining[i] -= 1;
        return rules[i];
      }
    }
    return null;
  }

  // Requests sent to the server and not yet finished. Closing the proxy
  // aborts them, so a request the server never responds to cannot keep the
  // server from closing.
  const upstreams = new Set();

  function forward(req, body, onResponse) {
    const upstream = http.request({
      host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url,
      headers: { ...req.headers, connection: 'close' },
    }, onResponse);
    upstream.on('error', () => {});
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    return upstream;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://placeholder');
    const request = { method: req.method, path: url.pathname, query: url.search, headers: req.headers, index: index++ };
    const rule = pickAction(request);
    log.push({ method: request.method, path: request.path, query: request.query, index: request.index, action: rule ? rule.action : 'pass' });
    observer.request?.(request);
    res.on('close', () => observer.closed?.(request, res.writableFinished));
    const chunks = [];
    let received = 0;
    req.on('data', (chunk) => {
      chunks.push(chunk);
      received += chunk.length;
      observer.body?.(request, received);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.drop) {
        req.socket.destroy();
        return;
      }
      if (!rule) {
        const upstream = forward(req, body, (response) => {
          observer.response?.(request, response.statusCode);
          res.writeHead(response.statusCode, response.headers);
          response.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(body);
        return;
      }
      switch (rule.action) {
        case 'status': {
          const text = `<?xml version="1.0"?><Error><Code>InjectedFault</Code><Message>injected ${rule.status}</Message></Error>`;
          res.writeHead(rule.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) });
          res.end(text);
          break;
        }
        case 'drop':
          req.socket.destroy();
          break;
        case 'lose': {
          const upstream = forward(req, body, (response) => {
            response.resume();
            response.on('end', () => req.socket.destroy());
          });
          upstream.end(body);
          break;
        }
        case 'cut': {
          const upstream = forward(req, body, () => {});
          upstream.write(body.subarray(0, Math.floor(body.length / 2)));
          setTimeout(() => {
            upstream.destroy();
            req.socket.destroy();
          }, 100);
          break;
        }
        case 'stall': {
          const timer = setTimeout(() => {
            timers.delete(timer);
            req.socket.destroy();
          }, Math.min(rule.stallMs ?? 5000, 30000));
          timers.add(timer);
          break;
        }
        default:
          throw new Error(`unknown fault action ${rule.action}`);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      for (const upstream of upstreams) upstream.destroy();
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
