// The control API's contract: Toxiproxy's shapes and statuses (201 create, 200 toxic create, 204
// delete/reset, 404 unknown, 409 duplicate, 400 bad input with a message), populate, reset, version,
// and the dead-man timer reverting faults when calls stop.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxyServer, type FaultProxyServer } from './index';
import { exchange, portOf, startEchoServer, type TestServer } from './test-support';

let api: FaultProxyServer | undefined;
let echo: TestServer | undefined;
afterEach(async () => {
  await api?.dispose();
  await echo?.close();
  api = undefined;
  echo = undefined;
});

async function start(deadManMs?: number): Promise<FaultProxyServer> {
  api = await startFaultProxyServer({ port: 0, ...(deadManMs !== undefined ? { deadManMs } : {}) });
  echo = await startEchoServer();
  return api;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(api!.url + path, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const proxyBody = (name = 'db') => ({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo!.port}` });

describe('fault proxy API', () => {
  it('creates, shows, lists, updates and deletes proxies with Toxiproxy statuses', async () => {
    await start();
    const created = await call('POST', '/proxies', proxyBody());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'db', enabled: true, toxics: [] });
    expect(portOf(created.json.listen)).toBeGreaterThan(0);
    expect((await call('GET', '/proxies/db')).json).toEqual(created.json);
    expect(Object.keys((await call('GET', '/proxies')).json)).toEqual(['db']);
    expect((await call('PATCH', '/proxies/db', { enabled: false })).json.enabled).toBe(false);
    expect((await call('DELETE', '/proxies/db')).status).toBe(204);
    expect((await call('GET', '/proxies/db')).status).toBe(404);
  });

  it('answers bad input with the right status and a message that says what to do', async () => {
    await start();
    await call('POST', '/proxies', proxyBody());
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/proxies', '{not json', 400, /bad request body: not JSON/],
      ['POST', '/proxies', { listen: '127.0.0.1:0', upstream: 'x:1' }, 400, /missing required field: name/],
      ['POST', '/proxies', { name: 'x', listen: '127.0.0.1:0' }, 400, /missing required field: upstream/],
      ['POST', '/proxies', { name: 'x', upstream: 'nohost' }, 400, /give "host:port"/],
      ['POST', '/proxies', { name: 'x', upstream: 'h:70000' }, 400, /port is 1–65535/],
      ['POST', '/proxies', { name: 'a/b', upstream: 'h:1' }, 400, /proxy name/],
      ['POST', '/proxies', { name: 'x', upstream: 'h:1', colour: 'red' }, 400, /unknown proxy field "colour"/],
      ['POST', '/proxies', proxyBody(), 409, /proxy already exists: db/],
      ['GET', '/proxies/nope', undefined, 404, /proxy not found: nope/],
      ['POST', '/proxies/db/toxics', { type: 'latency', stream: 'sideways' }, 400, /stream was invalid/],
      ['POST', '/proxies/db/toxics', { type: 'jam' }, 400, /invalid toxic type "jam"/],
      ['POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: -5 } }, 400, /latency is a whole number from 0/],
      ['POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: 1.5 } }, 400, /whole number/],
      ['POST', '/proxies/db/toxics', { type: 'latency', attributes: { delay: 5 } }, 400, /latency has no attribute "delay"/],
      ['POST', '/proxies/db/toxics', { type: 'latency', toxicity: 2 }, 400, /toxicity is the share of connections/],
      ['POST', '/proxies/db/toxics', { type: 'slicer', attributes: { average_size: 10, size_variation: 10 } }, 400, /size_variation must be smaller/],
      ['POST', '/proxies/db/toxics', { type: 'bandwidth' }, 400, /rate is a whole number from 1/],
      ['GET', '/proxies/db/toxics/nope', undefined, 404, /toxic not found: nope/],
      ['DELETE', '/proxies/db/toxics/nope', undefined, 404, /toxic not found: nope/],
      ['GET', '/nowhere', undefined, 404, /no such endpoint/],
      ['PUT', '/proxies', undefined, 405, /not allowed/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const answer = await call(method, path, body);
      expect({ path, body, status: answer.status }).toEqual({ path, body, status });
      expect(answer.json).toMatchObject({ status, error: expect.stringMatching(message) });
    }
  });

  it('refuses a duplicate toxic (409), a type change (400), and browsers (403)', async () => {
    await start();
    await call('POST', '/proxies', proxyBody());
    expect((await call('POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: 10 } })).status).toBe(200);
    expect((await call('POST', '/proxies/db/toxics', { type: 'latency' })).json).toMatchObject({ status: 409, error: 'toxic already exists: latency_downstream' });
    expect((await call('POST', '/proxies/db/toxics/latency_downstream', { type: 'bandwidth' })).status).toBe(400);
    const updated = await call('POST', '/proxies/db/toxics/latency_downstream', { attributes: { jitter: 5 } });
    expect(updated.json).toMatchObject({ attributes: { latency: 10, jitter: 5 }, toxicity: 1 });
    expect((await call('GET', '/proxies', undefined, { 'user-agent': 'Mozilla/5.0' })).status).toBe(403);
  });

  it('reports a listen address that is taken as chaos.listen-failed', async () => {
    await start();
    const first = await call('POST', '/proxies', proxyBody('one'));
    const second = await call('POST', '/proxies', { name: 'two', listen: first.json.listen, upstream: 'h:1' });
    expect(second.json).toMatchObject({ code: 'chaos.listen-failed', error: expect.stringMatching(/EADDRINUSE/) });
  });

  it('populate creates, keeps and replaces; one bad proxy changes nothing', async () => {
    await start();
    const client = new Toxiproxy(api!.url);
    const first = await client.populate([proxyBody('a'), proxyBody('b')]);
    expect(Object.keys(first).sort()).toEqual(['a', 'b']);
    const again = await client.populate([{ ...proxyBody('a'), listen: first.a!.listen }]);
    expect(again.a!.listen).toBe(first.a!.listen);
    const bad = await call('POST', '/populate', [proxyBody('c'), { name: 'd' }]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/missing required field: upstream at proxy 2/);
    expect(Object.keys((await call('GET', '/proxies')).json).sort()).toEqual(['a', 'b']);
    // A listen address that is taken stops it part-way; the answer names what was set up.
    const partial = await call('POST', '/populate', [proxyBody('c'), { name: 'd', listen: first.a!.listen, upstream: 'h:1' }]);
    expect(partial.json).toMatchObject({ code: 'chaos.listen-failed', proxies: [{ name: 'c' }] });
  });

  it('reset removes every toxic and enables every proxy; version says what it is', async () => {
    await start();
    const client = new Toxiproxy(api!.url);
    const proxy = await client.createProxy(proxyBody());
    await proxy.addToxic({ name: 'cut', type: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await client.reset();
    const after = await client.get('db');
    expect(after.enabled).toBe(true);
    expect((await call('GET', '/proxies/db/toxics')).json).toEqual([]);
    expect((await exchange(portOf(after.listen), 'ok', { halfClose: true })).data.toString()).toBe('ok');
    expect(JSON.parse(await client.getVersion())).toMatchObject({ version: expect.stringMatching(/^2\./) });
  });
});

describe('dead-man timer', () => {
  it('reverts every fault when no API call comes in time', async () => {
    await start(300);
    const client = new Toxiproxy(api!.url);
    const proxy = await client.createProxy(proxyBody());
    await proxy.addToxic({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1000 } });
    await client.createProxy(proxyBody('down'));
    await call('POST', '/proxies/down', { enabled: false });
    // Watched on the server object, not through the API: an API call would be a heartbeat.
    await vi.waitFor(() => {
      expect(api!.proxies.get('db').toxicList()).toEqual([]);
      expect(api!.proxies.get('down').enabled).toBe(true);
    }, { timeout: 3_000, interval: 50 });
    const port = portOf(api!.proxies.get('db').listen);
    expect((await exchange(port, 'back', { halfClose: true })).firstByteMs).toBeLessThan(500);
  });

  it('heartbeats keep the faults in place', async () => {
    await start(600);
    await call('POST', '/proxies', proxyBody());
    await call('POST', '/proxies/db/toxics', { type: 'latency', attributes: { latency: 10 } });
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      expect((await call('POST', '/heartbeat')).status).toBe(204);
      await new Promise((r) => setTimeout(r, 100)); // a steady heartbeat, well inside the 600 ms
    }
    expect(api!.proxies.get('db').toxicList()).toHaveLength(1);
  });
});
