// The fault proxy's control API, Toxiproxy's HTTP API so existing Toxiproxy clients drive it:
// /proxies, /proxies/{p}, /proxies/{p}/toxics[/{t}], /populate, /reset, /version, plus our
// POST /heartbeat for the dead-man timer. Errors are Toxiproxy's JSON ({"error", "status"}) with our
// code added. Listens on 127.0.0.1 by default; like Toxiproxy it refuses browsers (User-Agent
// "Mozilla/…") so a web page cannot drive a local, unauthenticated API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StudioError, toProblem, type ErrorCode } from '../../../shared/errors';
import { DeadManTimer } from './dead-man';
import { checkProxyInput, ProxySet } from './proxy-set';

export const DEFAULT_API_PORT = 8474;
/** The API version we follow; reported by GET /version beside our own name. */
export const TOXIPROXY_API_VERSION = '2.12.0';
const MAX_BODY_BYTES = 1024 * 1024;

export interface FaultProxyServerOptions {
  host?: string;
  port?: number;
  /** Revert all faults when no API call came in this long (ms). */
  deadManMs?: number;
  /** Something worth a log line happened (the dead-man timer fired). */
  onNotice?: (message: string) => void;
}

export interface FaultProxyServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly proxies: ProxySet;
  dispose(): Promise<void>;
}

type Handler = (params: string[], body: () => Promise<unknown>) => Promise<[number, unknown]>;
type Route = readonly [method: string, path: RegExp, handler: Handler];

const NAME = '([^/]+)';
const STATUS: Partial<Record<ErrorCode, number>> = {
  'chaos.not-found': 404, 'chaos.exists': 409, 'chaos.invalid-toxic': 400, 'chaos.invalid-proxy': 400, 'chaos.bad-request': 400,
};

function routes(proxies: ProxySet): Route[] {
  const proxyUpdate: Handler = async ([name], body) => {
    const proxy = proxies.get(name!);
    const input = await body();
    if (!isObject(input)) throw new StudioError({ code: 'chaos.invalid-proxy', message: 'a proxy update is a JSON object like {"enabled": false}' });
    const merged = checkProxyInput({ name: proxy.name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled, ...input });
    if (merged.name !== proxy.name) throw new StudioError({ code: 'chaos.invalid-proxy', message: 'a proxy cannot be renamed: delete it and create it again', path: 'name' });
    await proxy.update(merged);
    return [200, proxy];
  };
  const toxicUpdate: Handler = async ([p, t], body) => [200, await proxies.updateToxic(p!, t!, await body())];
  return [
    ['GET', /^\/proxies$/, async () => [200, Object.fromEntries(proxies.list().map((p) => [p.name, p]))]],
    ['POST', /^\/proxies$/, async (_, body) => [201, await proxies.create(checkProxyInput(await body()))]],
    ['POST', /^\/populate$/, async (_, body) => [201, { proxies: await proxies.populate(await body()) }]],
    ['POST', /^\/reset$/, async () => (await proxies.reset(), [204, undefined])],
    ['GET', /^\/version$/, async () => [200, { version: TOXIPROXY_API_VERSION, server: 'cleanroom-studio fault proxy' }]],
    ['POST', /^\/heartbeat$/, async () => [204, undefined]],
    ['GET', new RegExp(`^/proxies/${NAME}$`), async ([name]) => [200, proxies.get(name!)]],
    ['POST', new RegExp(`^/proxies/${NAME}$`), proxyUpdate],
    ['PATCH', new RegExp(`^/proxies/${NAME}$`), proxyUpdate],
    ['DELETE', new RegExp(`^/proxies/${NAME}$`), async ([name]) => (await proxies.remove(name!), [204, undefined])],
    ['GET', new RegExp(`^/proxies/${NAME}/toxics$`), async ([name]) => [200, proxies.get(name!).toxicList()]],
    // Toxiproxy answers a created toxic with 200, not 201; its clients expect that.
    ['POST', new RegExp(`^/proxies/${NAME}/toxics$`), async ([name], body) => [200, await proxies.addToxic(name!, await body())]],
    ['GET', new RegExp(`^/proxies/${NAME}/toxics/${NAME}$`), async ([p, t]) => [200, toxicOf(proxies, p!, t!)]],
    ['POST', new RegExp(`^/proxies/${NAME}/toxics/${NAME}$`), toxicUpdate],
    ['PATCH', new RegExp(`^/proxies/${NAME}/toxics/${NAME}$`), toxicUpdate],
    ['DELETE', new RegExp(`^/proxies/${NAME}/toxics/${NAME}$`), async ([p, t]) => (await proxies.removeToxic(p!, t!), [204, undefined])],
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toxicOf(proxies: ProxySet, proxyName: string, toxicName: string) {
  const toxic = proxies.get(proxyName).toxic(toxicName);
  if (!toxic) throw new StudioError({ code: 'chaos.not-found', message: `toxic not found: ${toxicName}` });
  return toxic;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new StudioError({ code: 'chaos.bad-request', message: `bad request body: larger than ${MAX_BODY_BYTES} bytes` });
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StudioError({ code: 'chaos.bad-request', message: `bad request body: not JSON (${(error as Error).message})` });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) return void response.writeHead(status).end();
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function handle(table: Route[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  if ((request.headers['user-agent'] ?? '').startsWith('Mozilla/')) return send(response, 403, { error: 'User agent not allowed', status: 403 });
  const path = new URL(request.url ?? '/', 'http://proxy').pathname;
  const onPath = table.filter(([, pattern]) => pattern.test(path));
  const route = onPath.find(([method]) => method === request.method);
  if (!route) {
    const status = onPath.length > 0 ? 405 : 404;
    return send(response, status, { error: status === 405 ? `method ${request.method} not allowed on ${path}` : `no such endpoint: ${path}`, status });
  }
  try {
    const params = route[1].exec(path)!.slice(1).map((p) => decodeURIComponent(p));
    const [status, body] = await route[2](params, () => readJson(request));
    send(response, status, body);
  } catch (error) {
    const problem = toProblem(error);
    const status = STATUS[problem.code] ?? 500;
    const proxies = problem.details?.proxies; // set by a /populate that failed part-way
    send(response, status, { error: problem.message, status, code: problem.code, ...(problem.path ? { path: problem.path } : {}), ...(proxies ? { proxies } : {}) });
  }
}

export async function startFaultProxyServer(options: FaultProxyServerOptions = {}): Promise<FaultProxyServer> {
  const proxies = new ProxySet();
  const table = routes(proxies);
  const deadMan = options.deadManMs !== undefined
    ? new DeadManTimer(options.deadManMs, () => {
        options.onNotice?.(`no API call for ${options.deadManMs} ms: dead-man timer fired, removing every toxic and enabling every proxy`);
        void proxies.reset().catch((error) => options.onNotice?.(`dead-man reset failed: ${toProblem(error).message}`));
      })
    : undefined;
  const server: Server = createServer((request, response) => {
    deadMan?.beat();
    void handle(table, request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new StudioError({ code: 'port.in-use', message: `the fault proxy API cannot listen on ${host}:${options.port ?? DEFAULT_API_PORT}: ${error.code ?? error.message}. Use --port with another port (0 = any free one).` })));
    server.listen(options.port ?? DEFAULT_API_PORT, host, () => resolve());
  });
  deadMan?.beat();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    proxies,
    async dispose() {
      deadMan?.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proxies.dispose();
    },
  };
}
