// Every Toxiproxy toxic, driven through the API by the real Toxiproxy client (toxiproxy-node-client),
// its effect measured from outside on real sockets, and reverted once the toxic is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy, type Proxy, type ToxicType } from 'toxiproxy-node-client';
import { startFaultProxyServer, type FaultProxyServer } from './index';
import { exchange, openClient, portOf, startEchoServer, startSendServer, type TestServer } from './test-support';

let api: FaultProxyServer;
let client: Toxiproxy;
let echo: TestServer;
let sender: TestServer;
const SENT = 50_000;

beforeAll(async () => {
  api = await startFaultProxyServer({ port: 0 });
  client = new Toxiproxy(api.url);
  echo = await startEchoServer();
  sender = await startSendServer(SENT);
});
afterAll(async () => {
  await api.dispose();
  await echo.close();
  await sender.close();
});

let n = 0;
async function proxyTo(server: TestServer): Promise<{ proxy: Proxy; port: number }> {
  const proxy = await client.createProxy({ name: `p${++n}`, listen: '127.0.0.1:0', upstream: `127.0.0.1:${server.port}` });
  return { proxy, port: portOf(proxy.listen) };
}

async function withToxic<T>(proxy: Proxy, type: string, attributes: object, stream: 'upstream' | 'downstream' = 'downstream', toxicity = 1) {
  return proxy.addToxic<T>({ name: `${type}_${stream}`, type: type as ToxicType, stream, toxicity, attributes: attributes as T });
}

describe('Toxiproxy toxics through the real client', () => {
  it('latency: a round trip takes latency longer; removed, it does not', async () => {
    const { proxy, port } = await proxyTo(echo);
    const toxic = await withToxic(proxy, 'latency', { latency: 400, jitter: 0 });
    const slow = await exchange(port, 'ping', { halfClose: true });
    expect(slow.data.toString()).toBe('ping');
    expect(slow.firstByteMs).toBeGreaterThanOrEqual(395);
    expect(slow.firstByteMs).toBeLessThan(1500);
    await toxic.remove();
    const fast = await exchange(port, 'ping', { halfClose: true });
    expect(fast.firstByteMs).toBeLessThan(200);
  });

  it('bandwidth: 50 KB at 50 KB/s take about a second; removed, at once', async () => {
    const { proxy, port } = await proxyTo(sender);
    const toxic = await withToxic(proxy, 'bandwidth', { rate: 50 });
    const slow = await exchange(port);
    expect(slow.data.length).toBe(SENT);
    expect(slow.doneMs).toBeGreaterThanOrEqual(850);
    expect(slow.doneMs).toBeLessThan(3000);
    await toxic.remove();
    const fast = await exchange(port);
    expect(fast.data.length).toBe(SENT);
    expect(fast.doneMs).toBeLessThan(400);
  });

  it('slow_close: the end arrives delay after the data', async () => {
    const { proxy, port } = await proxyTo(echo);
    const toxic = await withToxic(proxy, 'slow_close', { delay: 500 });
    const slow = await exchange(port, 'bye', { halfClose: true });
    expect(slow.data.toString()).toBe('bye');
    expect(slow.ended).toBe('end');
    expect(slow.doneMs - slow.firstByteMs!).toBeGreaterThanOrEqual(450);
    await toxic.remove();
    const fast = await exchange(port, 'bye', { halfClose: true });
    expect(fast.doneMs).toBeLessThan(250);
  });

  it('timeout: no data gets through and the connection closes after timeout', async () => {
    const { proxy, port } = await proxyTo(echo);
    const toxic = await withToxic(proxy, 'timeout', { timeout: 300 });
    const cut = await exchange(port, 'hello');
    expect(cut.data.length).toBe(0);
    expect(cut.ended).not.toBe('open');
    expect(cut.doneMs).toBeGreaterThanOrEqual(280);
    expect(cut.doneMs).toBeLessThan(1500);
    await toxic.remove();
    const ok = await exchange(port, 'hello', { halfClose: true });
    expect(ok.data.toString()).toBe('hello');
  });

  it('timeout 0: a blackhole that holds the connection open until the toxic is removed, which closes it', async () => {
    const { proxy, port } = await proxyTo(echo);
    const toxic = await withToxic(proxy, 'timeout', { timeout: 0 });
    const held = exchange(port, 'hello', { waitMs: 5_000 });
    await new Promise((r) => setTimeout(r, 400)); // the connection must still be open after 400 ms
    expect(api.proxies.get(proxy.name).openConnections).toBe(1);
    await toxic.remove();
    const result = await held;
    expect(result.data.length).toBe(0);
    expect(result.ended).toBe('end');
    expect(result.doneMs).toBeGreaterThanOrEqual(350); // open through the 400 ms wait (timed from connect, a little after)
    const ok = await exchange(port, 'hello', { halfClose: true });
    expect(ok.data.toString()).toBe('hello');
  });

  it('reset_peer: the client sees ECONNRESET once data flows', async () => {
    const { proxy, port } = await proxyTo(echo);
    const toxic = await withToxic(proxy, 'reset_peer', { timeout: 0 });
    const reset = await exchange(port, 'hello');
    expect(reset.ended).toBe('error');
    expect(reset.errorCode).toBe('ECONNRESET');
    await toxic.remove();
    const ok = await exchange(port, 'hello', { halfClose: true });
    expect(ok.data.toString()).toBe('hello');
  });

  it('slicer: one 200-byte write arrives in pieces of about average_size', async () => {
    const { proxy, port } = await proxyTo(echo);
    const payload = 'x'.repeat(200);
    const toxic = await withToxic(proxy, 'slicer', { average_size: 20, size_variation: 0, delay: 10_000 });
    const sliced = await exchange(port, payload, { halfClose: true });
    expect(sliced.data.toString()).toBe(payload);
    expect(sliced.reads).toBeGreaterThanOrEqual(5); // 200 / 20 = 8 pieces 10 ms apart (the kernel may merge a few)
    expect(sliced.doneMs).toBeGreaterThanOrEqual(50);
    await toxic.remove();
    const whole = await exchange(port, payload, { halfClose: true });
    expect(whole.reads).toBeLessThanOrEqual(2);
  });

  it('limit_data: exactly bytes get through, then the connection closes', async () => {
    const { proxy, port } = await proxyTo(sender);
    const toxic = await withToxic(proxy, 'limit_data', { bytes: 1000 });
    const cut = await exchange(port);
    expect(cut.data.length).toBe(1000);
    expect(cut.ended).not.toBe('open');
    await toxic.remove();
    expect((await exchange(port)).data.length).toBe(SENT);
  });

  it('down (enabled = false): connections are refused; enabled again, on the same port', async () => {
    const { proxy, port } = await proxyTo(echo);
    const down = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(down.enabled).toBe(false);
    const refused = await exchange(port, 'hello');
    expect(refused.errorCode).toBe('ECONNREFUSED');
    const up = await down.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(portOf(up.listen)).toBe(port);
    expect((await exchange(port, 'hello', { halfClose: true })).data.toString()).toBe('hello');
  });

  it('toxicity 0.5: about half of 60 connections get the toxic', async () => {
    const { proxy, port } = await proxyTo(echo);
    // reset_peer, not a delay: each connection is either reset or echoed, whatever the machine's load.
    await withToxic(proxy, 'reset_peer', { timeout: 0 }, 'downstream', 0.5);
    const results = await Promise.all(Array.from({ length: 60 }, () => exchange(port, 'x', { halfClose: true })));
    const reset = results.filter((r) => r.errorCode === 'ECONNRESET').length;
    expect(results.filter((r) => r.data.toString() === 'x').length).toBe(60 - reset);
    // Binomial(60, 0.5): mean 30, sd 3.9; 15..45 is beyond 3.8 sd.
    expect(reset).toBeGreaterThanOrEqual(15);
    expect(reset).toBeLessThanOrEqual(45);
  });

  it('upstream stream: latency on client → server delays the request, not only the answer', async () => {
    const { proxy, port } = await proxyTo(echo);
    await withToxic(proxy, 'latency', { latency: 200, jitter: 0 }, 'upstream');
    const slow = await exchange(port, 'ping', { halfClose: true });
    expect(slow.firstByteMs).toBeGreaterThanOrEqual(195);
  });
});

describe('toxic changes reach open connections', () => {
  it('latency added, updated and removed on one live connection', async () => {
    const { proxy, port } = await proxyTo(echo);
    const live = await openClient(port);
    expect(await live.roundTrip('a')).toBeLessThan(250);
    const toxic = await withToxic(proxy, 'latency', { latency: 300, jitter: 0 });
    expect(await live.roundTrip('b')).toBeGreaterThanOrEqual(295);
    await toxic.update({ ...toxic.toJson(), attributes: { latency: 600, jitter: 0 } });
    expect(await live.roundTrip('c')).toBeGreaterThanOrEqual(595);
    await toxic.remove();
    expect(await live.roundTrip('d')).toBeLessThan(250);
    live.close();
  });

  it('removing a latency toxic releases the data it holds, in order', async () => {
    const { proxy, port } = await proxyTo(echo);
    const live = await openClient(port);
    const toxic = await withToxic(proxy, 'latency', { latency: 10_000, jitter: 0 });
    const pending = live.roundTrip('held');
    await new Promise((r) => setTimeout(r, 100));
    await toxic.remove();
    expect(await pending).toBeLessThan(2_000);
    live.close();
  });
});
