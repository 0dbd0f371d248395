// The browser-mode server: the built UI and the IPC contract (over a WebSocket at /ws) on
// 127.0.0.1 only, behind a random token. See ./security.ts for who may connect and why.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { StudioError } from '../../../shared/errors';
import type { StudioHandlers } from '../../../shared/ipc/contract';
import type { EventHub } from '../events';
import { checkSite, checkToken, contentSecurityPolicy, cookieName, COMMON_HEADERS, isRefusal, newToken, type Refusal } from './security';
import { StaticFiles } from './static-files';
import { MAX_MESSAGE_BYTES, serveSocket } from './ws-endpoint';

export const WS_PATH = '/ws';

export interface StudioServerOptions {
  handlers: StudioHandlers;
  hub: EventHub;
  /** The built UI (dist/renderer). */
  rendererDir: string;
  /** The bundled browser-mode client (installs `window.api`); added to the entry page. */
  clientScript?: string;
  /** 0 = any free port. */
  port?: number;
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string;
  onError?: (error: unknown) => void;
}

export interface StudioServer {
  readonly port: number;
  readonly token: string;
  /** The address to open: http://127.0.0.1:PORT/?token=… */
  readonly url: string;
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

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? newToken();
  const onError = options.onError ?? (() => undefined);
  const files = new StaticFiles(options.rendererDir, options.clientScript);
  let port = 0;

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const site = checkSite(req, port);
    if (site) return refuse(res, site);
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const auth = checkToken(req, url, port, token, true);
    if (isRefusal(auth)) return refuse(res, auth);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, { status: 405, reason: 'only GET and HEAD are served' });
    if (url.pathname === WS_PATH) return refuse(res, { status: 400, reason: 'this address takes a WebSocket upgrade' });
    const result = await files.get(url.pathname);
    if (result.kind === 'error') return refuse(res, { status: result.status, reason: result.message });
    const headers: Record<string, string> = { ...COMMON_HEADERS, 'content-type': result.type, 'content-length': String(result.body.length) };
    if (result.html) headers['content-security-policy'] = contentSecurityPolicy(port);
    // The first visit carries the token in the URL; the page's own asset requests then use the cookie.
    if (auth.fromQuery) headers['set-cookie'] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
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
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const site = checkSite(req, port);
    if (site) return refuseUpgrade(socket, site.status, site.reason);
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, `WebSocket is at ${WS_PATH}`);
    const auth = checkToken(req, url, port, token, false);
    if (isRefusal(auth)) return refuseUpgrade(socket, auth.status, auth.reason);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.handlers, options.hub, onError));
  });

  port = await listen(server, options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
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
