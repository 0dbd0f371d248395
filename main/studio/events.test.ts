import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type TraceStore } from '../store';
import { makeTraces, resourceFor } from '../store/test-spans';
import { EventHub, forwardSpans } from './events';

let store: TraceStore;
beforeEach(async () => {
  store = await openStore({ inMemory: true });
});
afterEach(async () => {
  await store.dispose();
});

describe('spansAdded forwarding', () => {
  it('coalesces spans that arrive while a client is still sending, and loses none', async () => {
    const hub = new EventHub();
    const received: Array<{ spanCount: number; traces: Array<{ traceId: string; spanCount: number }> }> = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let total = 0;
    let allArrived!: () => void;
    const done = new Promise<void>((r) => (allArrived = r));
    hub.connect({
      async send(_event, payload) {
        const p = payload as (typeof received)[number];
        received.push(p);
        total += p.spanCount;
        if (total === 1000) allArrived();
        // The first delivery is slow (a busy socket): everything after it must wait and coalesce.
        if (received.length === 1) await gate;
      },
    });
    const stop = forwardSpans(store, hub);
    const resource = resourceFor('api');
    // 20 arrivals of 5 traces × 10 spans, the first on its own, the other 19 while the client is blocked.
    store.ingest(makeTraces(5, 10, resource, 1));
    await new Promise<void>((r) => setImmediate(r));
    for (let i = 1; i < 20; i++) store.ingest(makeTraces(5, 10, resource, 1 + i * 5));
    release();
    await done;
    stop();
    expect(received.length).toBeLessThanOrEqual(3);
    expect(new Set(received.flatMap((e) => e.traces.map((t) => t.traceId))).size).toBe(100);
    // Each summary describes the whole trace (from the live index), not just the batch.
    expect(received.every((e) => e.traces.every((t) => t.spanCount === 10))).toBe(true);
  });

  it('re-summarises a trace that grows across batches', async () => {
    const hub = new EventHub();
    const seen: number[] = [];
    let next!: () => void;
    hub.connect({
      send(_e, payload) {
        for (const t of (payload as { traces: Array<{ spanCount: number }> }).traces) seen.push(t.spanCount);
        next?.();
      },
    });
    const stop = forwardSpans(store, hub);
    const spans = makeTraces(1, 6, resourceFor('api'));
    let arrived = new Promise<void>((r) => (next = r));
    store.ingest(spans.slice(0, 3));
    await arrived;
    arrived = new Promise<void>((r) => (next = r));
    store.ingest(spans.slice(3));
    await arrived;
    stop();
    expect(seen).toEqual([3, 6]);
  });
});
