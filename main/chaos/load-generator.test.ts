// The load generator against a loopback server that holds its answers: while requests are out it says
// when the oldest one left (a phase is not decided before that one's span is in); once every answer is
// in, nothing is out and every request has its span.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span } from '../../shared/model';
import { LoadGenerator } from './load-generator';

const held: ServerResponse[] = [];
let answerAtOnce = false;
let arrivals: { count: number; wake?: () => void } = { count: 0 };
const server = createServer((_req, res) => {
  if (answerAtOnce) res.end('ok');
  else held.push(res);
  arrivals.count++;
  arrivals.wake?.();
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Resolves once `n` requests have reached the server. */
const arrived = (n: number): Promise<void> =>
  new Promise((resolve) => {
    const check = (): void => void (arrivals.count >= n && resolve());
    arrivals.wake = check;
    check();
  });

describe('LoadGenerator.oldestOutMs', () => {
  it('is when the oldest request still out left, and nothing once every answer is in', async () => {
    arrivals = { count: 0 };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const spans: Span[] = [];
    const load = { url: `http://api:${port}/items/1`, service: 'api', port, path: '/items/1', method: 'GET', ratePerS: 20, timeoutMs: 10_000 };
    const generator = new LoadGenerator({ load, target: { host: '127.0.0.1', port }, tags: {}, sink: (s) => spans.push(s) });
    expect(generator.oldestOutMs()).toBeUndefined();
    generator.start();
    await arrived(3);
    // Nothing answered yet: every request is out, the oldest is the first that left.
    const oldest = generator.oldestOutMs();
    expect(oldest).toBeDefined();
    expect(spans).toEqual([]);
    answerAtOnce = true;
    for (const res of held.splice(0)) res.end('ok');
    await generator.stop();
    expect(generator.oldestOutMs()).toBeUndefined();
    expect(spans).toHaveLength(arrivals.count);
    // `oldest` was the first request's: its span starts just after (the next one left 50 ms after it).
    const firstStartMs = Math.min(...spans.map((s) => s.startUs / 1000));
    expect(firstStartMs - oldest!).toBeGreaterThanOrEqual(-0.001);
    expect(firstStartMs - oldest!).toBeLessThan(25);
  });
});
