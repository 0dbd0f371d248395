// The browser-mode server: the built UI, the launch-code exchange (POST /session) and the IPC
// contract over a WebSocket at /ws, on 127.0.0.1 only. See ./security.ts for who may connect and why.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { StudioError } from '../../../shared/errors';
import type { StudioHandlers } from '../../../shared/ipc/contract';
import type { EventHub } from '../events';
import { LAUNCH_CODE_PARAM, SESSION_PATH, STUDIO_PROTOCOL } from '../../../shared/ipc/browser-session';
import { checkSite, COMMON_HEADERS, contentSecurityPolicy, isRefusal, StudioKeys, type Refusal } from './security';
import { StaticFiles } from './static-files';
import { MAX_MESSAGE_BYTES, serveSocket } from './ws-endpoint';
import type { TraceStreamer } from '../trace-stream';

export const WS_PATH = '/ws';
/** A launch-code exchange is a few dozen bytes; anything much longer is not one. */
const MAX_SESSION_BODY = 1024;

export interface StudioServerOptions {
  handlers: StudioHandlers;
  hub: EventHub;
  /** The built UI (dist/renderer). */
  rendererDir: string;
  /** The bundled browser-mode client (installs `window.api`); added to the entry page. */
  clientScript?: string;
  /** 0 = any free port. */
  port?: number;
  onError?: (error: unknown) => void;
  /** Streams a stored trace as binary frames (getTrace as bytes, main/studio/trace-stream.ts). */
  traceStream?: TraceStreamer;
}

export interface StudioServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** A new address to open, http://127.0.0.1:PORT/?code=…, whose code works once. */
  newUrl(): string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

function refuse(res: ServerResponse, refusal: Refusal | { status: number; reason: string }): void {
  res.writeHead(refusal.status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(`${refusal.status}: ${refusal.reason}\n`);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StudioError({ code: 'port.in-use', message: `Port ${port} on ${HOST} is in use; pass another with --port (0 = any free port).`, details: { port } })
          : error,
      );
    });
    server.listen({ host: HOST, port, exclusive: true }, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Reads a small request body; undefined when it is longer than `limit` (the rest is read and dropped). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let body = '';
    let tooLong = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (!tooLong) body += chunk;
      tooLong ||= body.length > limit;
    });
    req.on('end', () => resolve(tooLong ? undefined : body));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}

/** POST /session {"code"} → {"session"}: spends a launch code for a session key. */
async function exchangeCode(req: IncomingMessage, res: ServerResponse, keys: StudioKeys): Promise<void> {
  const body = await readBody(req, MAX_SESSION_BODY);
  let code: unknown;
  try {
    code = body === undefined ? undefined : (JSON.parse(body) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  if (typeof code !== 'string' || code === '') return json(res, 400, { error: 'send {"code": "<the code from the link>"} as JSON' });
  const outcome = keys.exchange(code);
  if (isRefusal(outcome)) return json(res, outcome.status, { error: outcome.reason });
  json(res, 200, outcome);
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const keys = new StudioKeys();
  const onError = options.onError ?? (() => undefined);
  const files = new StaticFiles(options.rendererDir, options.clientScript);
  let port = 0;

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const exchange = url.pathname === SESSION_PATH;
    // The exchange answers a secret: only our own page (which always sends Origin on a POST) may ask.
    const site = checkSite(req, port, exchange);
    if (exchange) {
      // The page reads the exchange's answers as JSON, refusals included.
      if (site) return json(res, site.status, { error: site.reason });
      if (req.method !== 'POST') return json(res, 405, { error: `${SESSION_PATH} takes a POST` });
      return exchangeCode(req, res, keys);
    }
    if (site) return refuse(res, site);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, { status: 405, reason: 'only GET and HEAD are served' });
    if (url.pathname === WS_PATH) return refuse(res, { status: 400, reason: 'this address takes a WebSocket upgrade' });
    // The UI's files hold no secret (the same build everyone has): they are served without a key.
    const result = await files.get(url.pathname);
    if (result.kind === 'error') return refuse(res, { status: result.status, reason: result.message });
    const headers: Record<string, string> = { ...COMMON_HEADERS, 'content-type': result.type, 'content-length': String(result.body.length) };
    if (result.html) headers['content-security-policy'] = contentSecurityPolicy(port);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : result.body);
  };

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error) => {
      onError(error);
      if (!res.headersSent) refuse(res, { status: 500, reason: 'internal error' });
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => STUDIO_PROTOCOL });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const site = checkSite(req, port);
    if (site) return refuseUpgrade(socket, site.status, site.reason);
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, `WebSocket is at ${WS_PATH}`);
    const auth = keys.checkProtocols(req.headers['sec-websocket-protocol']);
    if (auth) return refuseUpgrade(socket, auth.status, auth.reason);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.handlers, options.hub, onError, options.traceStream));
  });

  port = await listen(server, options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    port,
    origin: `http://${HOST}:${port}`,
    newUrl: () => `http://${HOST}:${port}/?${LAUNCH_CODE_PARAM}=${keys.issueCode()}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
