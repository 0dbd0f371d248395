// OTLP/HTTP: POST /v1/traces (protobuf or JSON, gzip or identity), admitted by size before it is
// decoded with shared/otlp, handed to the ingest queue and answered once stored (or queued, with
// --ack=queued); /v1/logs and /v1/metrics are acknowledged and counted. Status codes and bodies
// follow the OTLP/HTTP specification (200 + ExportTraceServiceResponse, 400 + Status, 413, 415,
// 429 + Retry-After, 503, 404, 405); a Host header that is not ours (DNS rebinding) gets 403.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeExportTraceServiceResponse, exportTraceServiceResponseJson, type OtlpDecodeResult } from '../../shared/otlp';
import { BodyError, parseContentEncoding, readBody } from './body';
import { refuseHost } from './host-check';
import type { Admission, IngestQueue } from './ingest-queue';
import { encodeStatusJson, encodeStatusProtobuf, RpcCode } from './rpc-status';
import type { ReceiverStats } from './stats';

type Format = 'protobuf' | 'json';

export interface HttpReceiverOptions {
  maxBodyBytes: number;
  /** A request whose body takes longer than this is dropped with 408. */
  bodyTimeoutMs: number;
  retryAfterSeconds: number;
  /** The address the server is bound to (its name is an accepted Host). */
  host: string;
}

const SIGNALS = new Set(['/v1/traces', '/v1/logs', '/v1/metrics']);

function formatOf(contentType: string | undefined): Format | undefined {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

const CONTENT_TYPE: Record<Format, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

function send(res: ServerResponse, status: number, format: Format, body: Uint8Array | string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE[format], 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendStatus(res: ServerResponse, status: number, format: Format, code: number, message: string, headers: Record<string, string> = {}): void {
  const body = format === 'json' ? encodeStatusJson(code, message) : encodeStatusProtobuf(code, message);
  send(res, status, format, body, headers);
}

export function createHttpReceiver(queue: IngestQueue, stats: ReceiverStats, options: HttpReceiverOptions): Server {
  const server = createServer(
    {
      keepAlive: true,
      requestTimeout: options.bodyTimeoutMs,
      headersTimeout: Math.min(options.bodyTimeoutMs, 60_000),
      // Node checks the timeouts above only this often (30 s by default): check often enough to honour them.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(options.bodyTimeoutMs / 4))),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        // Nothing above should throw; if it does, answer instead of leaving the client hanging.
        stats.httpErrors++;
        if (!res.headersSent) sendStatus(res, 500, 'json', 13, `internal receiver error: ${(error as Error).message}`);
        else res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.httpRequests++;
    const path = (req.url ?? '/').split('?')[0]!;
    const format = formatOf(req.headers['content-type']);
    const replyFormat: Format = format ?? 'json';
    const wrongHost = refuseHost(req.headers.host, options.host);
    if (wrongHost) {
      stats.httpRejected++;
      req.resume();
      return sendStatus(res, 403, replyFormat, RpcCode.PERMISSION_DENIED, wrongHost);
    }
    if (!SIGNALS.has(path)) {
      stats.httpRejected++;
      req.resume();
      return sendStatus(res, 404, replyFormat, RpcCode.NOT_FOUND, `No OTLP endpoint at ${path}; traces go to POST /v1/traces.`);
    }
    if (req.method !== 'POST') {
      stats.httpRejected++;
      req.resume();
      return sendStatus(res, 405, replyFormat, RpcCode.UNIMPLEMENTED, `${path} accepts POST only (got ${req.method}).`, { Allow: 'POST' });
    }
    if (!format) {
      stats.httpRejected++;
      req.resume();
      return sendStatus(res, 415, 'json', RpcCode.INVALID_ARGUMENT, `Unsupported Content-Type "${req.headers['content-type'] ?? ''}"; use application/x-protobuf or application/json.`);
    }
    const encoding = parseContentEncoding(req.headers['content-encoding']);
    if (!encoding) {
      stats.httpRejected++;
      req.resume();
      return sendStatus(res, 415, format, RpcCode.INVALID_ARGUMENT, `Unsupported Content-Encoding "${req.headers['content-encoding']}"; use gzip or identity.`);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > options.maxBodyBytes) {
      return refuseBody(req, res, format, new BodyError(413, `The request body (${declared} bytes) is larger than the receiver's limit of ${options.maxBodyBytes} bytes. Send smaller batches.`));
    }
    // A declared length is admitted before the body is read; an undeclared one once it is (bounded by maxBodyBytes).
    let admission: Admission | undefined = declared > 0 ? queue.admit(declared) : undefined;
    if (declared > 0 && !admission) return refuseBusy(req, res, format);
    try {
      let body: Buffer;
      try {
        body = await readBody(req, encoding, options.maxBodyBytes);
      } catch (error) {
        return refuseBody(req, res, format, error instanceof BodyError ? error : new BodyError(400, String(error)));
      }
      admission ??= queue.admit(body.length);
      if (!admission) return refuseBusy(req, res, format);
      await answer(res, path, format, body);
    } finally {
      admission?.release();
    }
  }

  function refuseBody(req: IncomingMessage, res: ServerResponse, format: Format, e: BodyError): void {
    stats.httpRejected++;
    // We stop reading mid-body, so this connection cannot carry another request.
    sendStatus(res, e.status, format, e.status === 413 ? RpcCode.RESOURCE_EXHAUSTED : RpcCode.INVALID_ARGUMENT, e.message, { Connection: 'close' });
    res.on('finish', () => req.destroy());
  }

  function refuseBusy(req: IncomingMessage, res: ServerResponse, format: Format): void {
    stats.throttled++;
    const message = 'The receiver is saturated (too many request bytes waiting); retry later.';
    // Refused undecoded, maybe unread: this connection cannot carry another request.
    sendStatus(res, 429, format, RpcCode.UNAVAILABLE, message, { 'Retry-After': String(options.retryAfterSeconds), Connection: 'close' });
    res.on('finish', () => req.destroy());
  }

  async function answer(res: ServerResponse, path: string, format: Format, body: Buffer): Promise<void> {
    if (path !== '/v1/traces') {
      // Logs and metrics are not stored (yet); the spec's success answer is an empty response.
      if (path === '/v1/logs') stats.logsRequests++;
      else stats.metricsRequests++;
      return send(res, 200, format, format === 'json' ? '{}' : new Uint8Array(0));
    }

    let decoded: OtlpDecodeResult | undefined;
    try {
      decoded = format === 'json' ? decodeOtlpJson(body.toString('utf8')) : decodeOtlpProtobuf(body);
    } catch (error) {
      stats.httpRejected++;
      stats.decodeErrors++;
      return sendStatus(res, 400, format, RpcCode.INVALID_ARGUMENT, `Undecodable OTLP ${format} payload: ${(error as Error).message}`);
    }
    const retryLater = { 'Retry-After': String(options.retryAfterSeconds) };
    if (queue.failing) {
      stats.throttled++;
      return sendStatus(res, 503, format, RpcCode.UNAVAILABLE, 'The trace store is not accepting spans right now; retry later.', retryLater);
    }
    const stored = queue.offer(decoded.spans, decoded.wire);
    if (!stored) {
      stats.throttled++;
      return sendStatus(res, 429, format, RpcCode.UNAVAILABLE, 'The receiver is saturated (ingest queue full); retry later.', retryLater);
    }
    // Only counts wait for the commit: the spans themselves can be collected once the store took them.
    const { rejectedSpans, errorMessage } = decoded;
    const accepted = decoded.spans.length;
    decoded = undefined;
    try {
      await stored;
    } catch (error) {
      return sendStatus(res, 503, format, RpcCode.UNAVAILABLE, `The spans could not be stored (${(error as Error).message}); retry later.`, retryLater);
    }
    stats.spansAccepted += accepted;
    stats.spansRejected += rejectedSpans;
    stats.traceRequests++;
    const partial = rejectedSpans > 0 ? { rejectedSpans, ...(errorMessage ? { errorMessage } : {}) } : undefined;
    if (format === 'json') send(res, 200, 'json', JSON.stringify(exportTraceServiceResponseJson(partial)));
    else send(res, 200, 'protobuf', encodeExportTraceServiceResponse(partial));
  }

  return server;
}
