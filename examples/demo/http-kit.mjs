// Small HTTP helpers shared by the demo services (plain node:http, no framework): a router whose
// handlers run inside a SERVER span continued from the caller's traceparent, and a JSON client whose
// calls are CLIENT spans that inject traceparent, so one request is one trace across services.
import http from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * The time to give the SDK for span starts, ends and events. OpenTelemetry JS 2.x starts a span at
 * Date.now() (whole milliseconds) unless given a time, so sibling spans could appear out of order by
 * up to 1 ms; and once a start time is given, it ends spans at Date.now() too. The performance clock
 * keeps sub-millisecond order, so every timestamp the demo records comes from here.
 */
export function preciseNow() {
  return performance.timeOrigin + performance.now();
}

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * routes: [{ method, route, pattern: RegExp, handler(req, params, body) → { status, body }, traced? }]
 * The server span is named "<METHOD> <route>" (route template, not the raw path: low cardinality).
 * Routes with `traced: false` (health checks) make no span, so readiness polling does not change counts.
 */
export function createServer(tracer, serviceName, routes) {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = findRoute(routes, req.method ?? 'GET', url.pathname);
    if (match && match.route.traced === false) {
      void match.route.handler(req, match.params, undefined, url).then((result) => {
        const text = JSON.stringify(result.body ?? {});
        res.writeHead(result.status ?? 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
      return;
    }
    const parent = propagation.extract(context.active(), req.headers);
    const name = match ? `${req.method} ${match.route.route}` : `${req.method} unmatched`;
    const span = tracer.startSpan(
      name,
      {
        kind: SpanKind.SERVER,
        startTime: preciseNow(),
        attributes: {
          'http.request.method': req.method ?? 'GET',
          'url.path': url.pathname,
          'http.route': match ? match.route.route : '',
          'server.address': serviceName,
        },
      },
      parent,
    );
    context.with(trace.setSpan(parent, span), async () => {
      let status = 500;
      let payload;
      try {
        if (!match) throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
        const body = await readJson(req);
        const result = await match.route.handler(req, match.params, body, url);
        status = result.status ?? 200;
        payload = result.body ?? {};
      } catch (error) {
        status = error instanceof HttpError ? error.status : 500;
        payload = { error: error instanceof Error ? error.message : String(error) };
        // 4xx is the caller's problem (status unset, per HTTP semantic conventions); 5xx is ours.
        if (status >= 500) {
          span.recordException(error, preciseNow());
          span.setStatus({ code: SpanStatusCode.ERROR, message: payload.error });
        }
      }
      span.setAttribute('http.response.status_code', status);
      const text = JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      span.end(preciseNow());
    });
  });
}

function findRoute(routes, method, path) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.groups ?? {} };
  }
  return undefined;
}

const MAX_BODY = 1024 * 1024;

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, `request body over ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(new HttpError(400, `request body is not JSON: ${error.message}`));
      }
    });
    req.on('error', reject);
  });
}

/**
 * Calls another service inside a CLIENT span named `spanName`; resolves { status, body }.
 * Network errors and 5xx answers mark the span as an error with `error.type` (`timeout` with
 * `timeout.configured_ms` when the call outlived `timeoutMs`, `connection_refused`, the status code…) and reject
 * with an HttpError 502 carrying `errorType`; the caller decides what 4xx means.
 */
export function callJson(tracer, spanName, target, { method = 'GET', path, body, attributes = {}, timeoutMs = 5000 }) {
  const url = new URL(path, target);
  return tracer.startActiveSpan(
    spanName,
    {
      kind: SpanKind.CLIENT,
      startTime: preciseNow(),
      attributes: { 'http.request.method': method, 'server.address': url.hostname, 'server.port': Number(url.port), 'url.full': url.href, ...attributes },
    },
    (span) =>
      new Promise((resolve, reject) => {
        const headers = { accept: 'application/json' };
        const text = body === undefined ? undefined : JSON.stringify(body);
        if (text !== undefined) {
          headers['content-type'] = 'application/json';
          headers['content-length'] = Buffer.byteLength(text);
        }
        propagation.inject(context.active(), headers);
        // A deadline for the whole call (connect, request, answer), not only an idle socket.
        let timedOut = false;
        const deadline = setTimeout(() => {
          timedOut = true;
          req.destroy(new Error(`${method} ${url.href} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        const req = http.request(url, { method, headers }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(deadline);
            const status = res.statusCode ?? 0;
            span.setAttribute('http.response.status_code', status);
            if (status >= 500) {
              span.setAttribute('error.type', String(status));
              span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
            }
            span.end(preciseNow());
            let parsed;
            try {
              parsed = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status, body: parsed });
          });
        });
        req.on('error', (error) => {
          clearTimeout(deadline);
          const errorType = timedOut ? 'timeout' : error.code === 'ECONNREFUSED' ? 'connection_refused' : (error.code ?? error.name);
          span.setAttribute('error.type', errorType);
          if (timedOut) span.setAttribute('timeout.configured_ms', timeoutMs);
          span.recordException(error, preciseNow());
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          span.end(preciseNow());
          const failure = new HttpError(502, `${spanName}: ${error.message}`);
          failure.errorType = errorType;
          reject(failure);
        });
        if (text !== undefined) req.write(text);
        req.end();
      }),
  );
}
