// Our HTTP-aware toxics against a real node:http server, through the real Toxiproxy client (its type
// list lacks our toxics, so their type is cast): status with a probability over keep-alive
// connections, abort, per-path delay; each reverted by removing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Toxiproxy, type Proxy, type ToxicType } from 'toxiproxy-node-client';
import { startFaultProxyServer, type FaultProxyServer } from './index';
import { portOf } from './test-support';

let api: FaultProxyServer;
let client: Toxiproxy;
let upstream: Server;
let served = 0;
let upstreamConnections = 0;

beforeAll(async () => {
  api = await startFaultProxyServer({ port: 0 });
  client = new Toxiproxy(api.url);
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      served++;
      res.end(`ok ${req.method} ${req.url} ${body}`);
    });
  });
  upstream.on('connection', () => upstreamConnections++);
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await api.dispose();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function call(port: number, path: string, options: { agent?: Agent; method?: string; body?: string; chunked?: boolean } = {}): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.chunked ? { 'transfer-encoding': 'chunked' } : {};
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', agent: options.agent ?? false, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, ms: performance.now() - start }));
    });
    req.on('error', reject);
    if (options.chunked && options.body) {
      req.write(options.body.slice(0, 3));
      req.write(options.body.slice(3));
    } else if (options.body) req.write(options.body);
    req.end();
  });
}

let n = 0;
async function httpProxy(): Promise<{ proxy: Proxy; port: number }> {
  const port = (upstream.address() as AddressInfo).port;
  const proxy = await client.createProxy({ name: `http${++n}`, listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` });
  return { proxy, port: portOf(proxy.listen) };
}

const addHttpToxic = (proxy: Proxy, type: string, attributes: object) =>
  proxy.addToxic({ name: type, type: type as ToxicType, stream: 'upstream', toxicity: 1, attributes });

describe('HTTP-aware toxics', () => {
  it('http_status: about probability of the requests on one keep-alive connection get the status; the others reach the server', async () => {
    const { proxy, port } = await httpProxy();
    const toxic = await addHttpToxic(proxy, 'http_status', { code: 503, probability: 0.5 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = { served, upstreamConnections };
    const answers: Answer[] = [];
    // POSTs with bodies: a swallowed request's body must not be taken for the next request.
    for (let i = 0; i < 60; i++) answers.push(await call(port, `/item/${i}`, { agent, method: 'POST', body: `body${i}` }));
    const failed = answers.filter((a) => a.status === 503);
    expect(failed.length).toBeGreaterThanOrEqual(15); // Binomial(60, 0.5): 15..45 is beyond 3.8 sd
    expect(failed.length).toBeLessThanOrEqual(45);
    expect(failed[0]!.body).toContain('injected by the cleanroom fault proxy');
    const passed = answers.filter((a) => a.status === 200);
    expect(passed.every((a) => /^ok POST \/item\/(\d+) body\1$/.test(a.body))).toBe(true);
    expect(served - before.served).toBe(passed.length);
    expect(upstreamConnections - before.upstreamConnections).toBe(1); // all on one connection
    await toxic.remove();
    expect((await call(port, '/x', { agent })).status).toBe(200);
    agent.destroy();
  });

  it('http_status: only paths under path_prefix; chunked request bodies are swallowed whole', async () => {
    const { proxy, port } = await httpProxy();
    await addHttpToxic(proxy, 'http_status', { code: 429, path_prefix: '/limited' });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await call(port, '/limited/a', { agent, method: 'POST', body: 'chunky body', chunked: true })).status).toBe(429);
    const other = await call(port, '/open', { agent, method: 'POST', body: 'fine', chunked: true });
    expect(other).toMatchObject({ status: 200, body: 'ok POST /open fine' });
    agent.destroy();
  });

  it('http_abort: a matching request gets its connection reset; removed, requests pass', async () => {
    const { proxy, port } = await httpProxy();
    const toxic = await addHttpToxic(proxy, 'http_abort', { path_prefix: '/boom' });
    await expect(call(port, '/boom')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await call(port, '/calm')).status).toBe(200);
    await toxic.remove();
    expect((await call(port, '/boom')).status).toBe(200);
  });

  it('http_delay: requests under path_prefix wait latency, others do not', async () => {
    const { proxy, port } = await httpProxy();
    const toxic = await addHttpToxic(proxy, 'http_delay', { path_prefix: '/slow', latency: 500 });
    const slow = await call(port, '/slow/x');
    const fast = await call(port, '/fast');
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(495);
    expect(fast.ms).toBeLessThan(250);
    await toxic.remove();
    expect((await call(port, '/slow/x')).ms).toBeLessThan(250);
  });

  it('HTTP toxics act on requests: a downstream stream is refused with a clear message', async () => {
    const { proxy } = await httpProxy();
    const response = await fetch(`${api.url}/proxies/${proxy.name}/toxics`, {
      method: 'POST',
      body: JSON.stringify({ type: 'http_status', stream: 'downstream', attributes: { code: 500 } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'chaos.invalid-toxic', error: expect.stringContaining('its stream is upstream') });
  });
});
