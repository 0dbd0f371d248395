// The store host's server: the studio's store API (shared/ipc/host-api.ts) for CLI commands of the
// same user, on 127.0.0.1 only. `POST /v1/<call>` with a JSON body and `Authorization: Bearer
// <secret>` (the secret is in the 0600 host file; compared in constant time). Browsers have no
// business here: a request with an Origin header is refused, the Host must be our loopback address
// (DNS rebinding), and only `application/json` is read (a cross-site form cannot send it without a
// preflight we never answer) — or, for `ingest`, OTLP protobuf, decoded by the receiver's decoder.
// Every request is checked against its call's schema before a handler sees it; answers are
// `{ ok: true, value }` or `{ ok: false, error: { code, message } }`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toProblem } from '../../shared/errors';
import { hostCalls, INGEST_CONTENT_TYPE, isHostCallName, MAX_HOST_BODY_BYTES, type HostCallName, type HostHandlers } from '../../shared/ipc/host-api';
import { decodeOtlpProtobuf } from '../../shared/otlp';
import type { IpcError } from '../../shared/ipc/contract';
import { newSecret } from '../studio/server/security';

export interface HostServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly secret: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const PATH_PREFIX = '/v1/';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time, and the lengths of the texts do not leak either (fixed-size digests are compared). */
export function sameSecret(given: string, known: string): boolean {
  return timingSafeEqual(digest(given), digest(known));
}

function reply(res: ServerResponse, status: number, body: { ok: true; value: unknown } | { ok: false; error: IpcError }): void {
  const text = JSON.stringify(body);
  // One connection per call: a kept-alive socket that this side closes after its idle timeout while the
  // CLI (its event loop busy past that timeout) is reusing it fails the call. A loopback connect is cheap.
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(text), connection: 'close' };
  res.writeHead(status, headers).end(text);
}

function fail(res: ServerResponse, status: number, code: IpcError['code'], message: string): void {
  reply(res, status, { ok: false, error: { code, message } });
}

/** Who may call: checked before the body is read. Answers the refusal, or undefined. */
function refusal(req: IncomingMessage, port: number, secret: string): { status: number; code: IpcError['code']; message: string } | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) return { status: 403, code: 'host.refused', message: `Host header ${JSON.stringify(req.headers.host ?? '')} is not this store host` };
  if (req.headers.origin !== undefined) return { status: 403, code: 'host.refused', message: 'the store host answers CLI commands, not web pages' };
  const auth = req.headers.authorization ?? '';
  const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
  if (given === '') return { status: 401, code: 'host.refused', message: 'this store host needs the secret from its host file (Authorization: Bearer …)' };
  if (!sameSecret(given, secret)) return { status: 401, code: 'host.refused', message: 'wrong secret: is the host file from another studio?' };
  if (req.method !== 'POST') return { status: 405, code: 'host.refused', message: `${req.method ?? 'this method'} is not allowed; calls are POST` };
  return undefined;
}

/** What the body of a call must be: OTLP protobuf for `ingest`, JSON for the rest. */
function expectedType(name: HostCallName): string {
  return name === 'ingest' ? INGEST_CONTENT_TYPE : 'application/json';
}

/** The body, or undefined when it was larger than the bound (the request is answered 413 then). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_HOST_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_HOST_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The call's request from the body, or why it is not one. */
function parseRequest(name: HostCallName, body: Buffer): { ok: true; payload: unknown } | { ok: false; message: string } {
  if (name === 'ingest') {
    let decoded;
    try {
      decoded = decodeOtlpProtobuf(body);
    } catch (error) {
      return { ok: false, message: `ingest request is not OTLP protobuf: ${(error as Error).message}` };
    }
    // The CLI sends spans of our own model: a span the decoder refuses is a fault, not partial success.
    if (decoded.rejectedSpans > 0) return { ok: false, message: `ingest request has ${decoded.rejectedSpans} invalid span(s): ${decoded.errorMessage ?? ''}` };
    return { ok: true, payload: { spans: decoded.spans, ...(decoded.wire ? { wire: decoded.wire } : {}) } };
  }
  try {
    return { ok: true, payload: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { ok: false, message: `${name} request is not JSON: ${(error as Error).message}` };
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, port: number, secret: string, handlers: HostHandlers): Promise<void> {
  const refused = refusal(req, port, secret);
  if (refused) {
    req.resume();
    return fail(res, refused.status, refused.code, refused.message);
  }
  const name = (req.url ?? '').startsWith(PATH_PREFIX) ? (req.url ?? '').slice(PATH_PREFIX.length) : '';
  if (!isHostCallName(name)) {
    req.resume();
    return fail(res, 404, 'ipc.invalid', `unknown call ${JSON.stringify(req.url ?? '')}; calls are ${Object.keys(hostCalls).join(', ')}`);
  }
  if ((req.headers['content-type'] ?? '').split(';')[0]!.trim() !== expectedType(name)) {
    req.resume();
    return fail(res, 415, 'ipc.invalid', `${name} requests are ${expectedType(name)}`);
  }
  const body = await readBody(req);
  if (body === undefined) return fail(res, 413, 'ipc.invalid', `${name} request is larger than ${MAX_HOST_BODY_BYTES} bytes`);
  const parsed = parseRequest(name, body);
  if (!parsed.ok) return fail(res, 400, 'ipc.invalid', parsed.message);
  const checked = hostCalls[name].request.safeParse(parsed.payload);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return fail(res, 400, 'ipc.invalid', `${name} request is invalid: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'unknown problem'}`);
  }
  try {
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    reply(res, 200, { ok: true, value: await handler(checked.data) });
  } catch (error) {
    const problem = toProblem(error);
    fail(res, 200, problem.code, problem.message);
  }
}

/** Starts the host server on 127.0.0.1 (any free port) with a fresh secret. */
export async function startHostServer(handlers: HostHandlers, onError: (error: unknown) => void = () => undefined): Promise<HostServer> {
  const secret = newSecret();
  let port = 0;
  const server = createServer((req, res) => {
    serve(req, res, port, secret, handlers).catch((error: unknown) => {
      onError(error);
      if (!res.headersSent) fail(res, 500, 'internal', toProblem(error).message);
      else res.destroy();
    });
  });
  port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, exclusive: true }, () => resolve((server.address() as AddressInfo).port));
  });
  let closed: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    secret,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A call in progress must not hold the studio's exit.
        server.closeAllConnections();
      })),
  };
}
