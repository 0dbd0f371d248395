import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type SpanBatch, type TraceStore } from './index';
import { makeTraces, resourceFor } from './test-spans';

let store: TraceStore | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('store subscriptions', () => {
  it('delivers every span to a fast subscriber in bounded batches', async () => {
    store = await openStore({ inMemory: true });
    const batches: SpanBatch[] = [];
    store.subscribe((b) => void batches.push(b), { maxBatch: 250 });
    const res = resourceFor('s');
    for (let i = 0; i < 10; i++) store.ingest(makeTraces(20, 5, res, 1 + i * 20));
    await until(() => batches.reduce((n, b) => n + b.spans.length, 0) === 1000, 'all spans');
    expect(batches.every((b) => b.spans.length <= 250 && b.missed === 0)).toBe(true);
    expect(new Set(batches.flatMap((b) => b.spans.map((s) => s.spanId + s.traceId))).size).toBe(1000);
  });

  it('coalesces for a slow subscriber, bounds its memory and reports what it missed', async () => {
    store = await openStore({ inMemory: true });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow: SpanBatch[] = [];
    const fast: SpanBatch[] = [];
    store.subscribe(
      async (b) => {
        slow.push(b);
        await gate;
      },
      { maxBatch: 100, maxPending: 500 },
    );
    store.subscribe((b) => void fast.push(b), { maxBatch: 10_000 });
    const res = resourceFor('s');
    store.ingest(makeTraces(10, 5, res, 1)); // 50 spans: the first batch, then the listener blocks
    await until(() => slow.length === 1, 'first slow batch');
    for (let i = 0; i < 20; i++) store.ingest(makeTraces(100, 5, res, 1000 + i * 100)); // 10,000 more
    await until(() => fast.reduce((n, b) => n + b.spans.length, 0) === 10_050, 'fast subscriber');
    // While blocked, the slow subscriber holds at most maxPending spans.
    expect(store['subscriptions'].pendingCount).toBeLessThanOrEqual(500);
    release();
    await until(() => slow.reduce((n, b) => n + b.spans.length + b.missed, 0) === 10_050, 'slow subscriber to catch up');
    expect(slow.every((b) => b.spans.length <= 100)).toBe(true);
    const missed = slow.reduce((n, b) => n + b.missed, 0);
    expect(missed).toBe(10_000 - 500);
    expect(slow[1]!.missed).toBe(missed); // told at once, in the next batch
  });

  it('filters and unsubscribes', async () => {
    store = await openStore({ inMemory: true });
    const got: SpanBatch[] = [];
    const off = store.subscribe((b) => void got.push(b), { filter: (s) => s.name === 'root' });
    store.ingest(makeTraces(3, 4, resourceFor('s')));
    await until(() => got.length > 0, 'batch');
    expect(got.flatMap((b) => b.spans).map((s) => s.name)).toEqual(['root', 'root', 'root']);
    off();
    store.ingest(makeTraces(3, 4, resourceFor('s'), 50));
    await new Promise((r) => setImmediate(r));
    expect(got).toHaveLength(1);
  });
});
