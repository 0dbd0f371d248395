// Our connection-wide toxics through the real Toxiproxy client: slow_open (the upstream is dialled
// late, nothing passes before) and connection_limit (connections over the limit are reset).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { Toxiproxy, type Proxy, type ToxicType } from 'toxiproxy-node-client';
import { startFaultProxyServer, type FaultProxyServer } from './index';
import { exchange, openClient, portOf, startEchoServer, type TestServer } from './test-support';

let api: FaultProxyServer;
let client: Toxiproxy;
let echo: TestServer;

beforeAll(async () => {
  api = await startFaultProxyServer({ port: 0 });
  client = new Toxiproxy(api.url);
  echo = await startEchoServer();
});
afterAll(async () => {
  await api.dispose();
  await echo.close();
});

let n = 0;
async function proxyToEcho(): Promise<{ proxy: Proxy; port: number }> {
  const proxy = await client.createProxy({ name: `c${++n}`, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
  return { proxy, port: portOf(proxy.listen) };
}

const addToxic = (proxy: Proxy, type: string, attributes: object) =>
  proxy.addToxic({ name: type, type: type as ToxicType, stream: 'downstream', toxicity: 1, attributes });

describe('connection toxics', () => {
  it('slow_open: the upstream sees the connection delay late, and the first byte comes after it', async () => {
    const { proxy, port } = await proxyToEcho();
    const toxic = await addToxic(proxy, 'slow_open', { delay: 500 });
    const acceptedBefore = echo.accepted.length;
    const started = performance.now();
    const slow = await exchange(port, 'hi', { halfClose: true });
    expect(slow.data.toString()).toBe('hi');
    expect(slow.firstByteMs).toBeGreaterThanOrEqual(490);
    expect(echo.accepted.length).toBe(acceptedBefore + 1);
    expect(echo.accepted.at(-1)! - started).toBeGreaterThanOrEqual(490);
    await toxic.remove();
    expect((await exchange(port, 'hi', { halfClose: true })).firstByteMs).toBeLessThan(250);
  });

  it('slow_open: removing it lets a waiting client through at once', async () => {
    const { proxy, port } = await proxyToEcho();
    const toxic = await addToxic(proxy, 'slow_open', { delay: 10_000 });
    const waiting = exchange(port, 'hi', { halfClose: true });
    await new Promise((r) => setTimeout(r, 100));
    await toxic.remove();
    const result = await waiting;
    expect(result.data.toString()).toBe('hi');
    expect(result.doneMs).toBeLessThan(2_000);
  });

  it('connection_limit: a connection over max is reset; removed, it is accepted', async () => {
    const { proxy, port } = await proxyToEcho();
    const toxic = await addToxic(proxy, 'connection_limit', { max: 2 });
    const a = await openClient(port);
    const b = await openClient(port);
    expect(await a.roundTrip('a')).toBeGreaterThan(0);
    expect(await b.roundTrip('b')).toBeGreaterThan(0);
    const third = await exchange(port, 'c');
    expect(third.ended).toBe('error');
    expect(third.errorCode).toBe('ECONNRESET');
    expect(third.data.length).toBe(0);
    await toxic.remove();
    expect((await exchange(port, 'c', { halfClose: true })).data.toString()).toBe('c');
    a.close();
    b.close();
  });
});
