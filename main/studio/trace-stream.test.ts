import { afterEach, describe, expect, it } from 'vitest';
import { decodeTraceFrame, spansOfTraceFrame } from '../../shared/ipc/trace-frame';
import { openStore, type TraceStore } from '../store';
import { hexId, makeSpan, resourceFor } from '../store/test-spans';
import { writerThreadEntry } from '../store/writer-thread';
import { getTrace } from './trace-queries';
import { FIRST_RUN, streamTrace } from './trace-stream';

const stores: TraceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
});

/** A trace of `n` spans over two services, ingested in reverse start order (the stream must sort). */
async function storeWith(n: number, options: Parameters<typeof openStore>[0] = {}): Promise<TraceStore> {
  const store = await openStore({ inMemory: true, ...options });
  stores.push(store);
  const api = resourceFor('api');
  const db = resourceFor('db');
  const spans = Array.from({ length: n }, (_, i) =>
    makeSpan({ trace: 1, span: i + 1, ...(i > 0 ? { parent: 1 } : {}), name: `op-${i}`, resource: i % 3 === 0 ? api : db, startMs: 1_700_000_000_000 + Math.floor(i / 2) }),
  );
  store.ingest(spans.reverse());
  await store.commit();
  return store;
}

describe.each([
  ['in this thread', {}],
  ['in a writer thread', { writerThread: writerThreadEntry() }],
] as const)('streaming a stored trace %s', (_mode, options) => {
  it('sends every span once, in start order, in growing frames that decode to what getTrace gives', async () => {
    const n = FIRST_RUN * 3 + 17;
    const store = await storeWith(n, options);
    const frames: Uint8Array[] = [];
    const done = await streamTrace(store, { traceId: hexId(1, 32) }, 42, async (f) => void frames.push(f));
    expect(done).toEqual({ traceId: hexId(1, 32), spans: n, frames: 3 });
    const decoded = frames.map((f) => decodeTraceFrame(f));
    expect(decoded.map((f) => [f.streamId, f.header.first, f.header.total, f.lengths.length])).toEqual([
      [42, 0, n, FIRST_RUN],
      [42, FIRST_RUN, n, FIRST_RUN * 2],
      [42, FIRST_RUN * 3, n, 17],
    ]);
    const streamed = decoded.flatMap((f) => spansOfTraceFrame(f));
    const { spans } = await getTrace(store, { traceId: hexId(1, 32) });
    expect(streamed.map((s) => [s.spanId, s.serviceName, s.startUs, s.name])).toEqual(spans.map((s) => [s.spanId, s.serviceName, s.startUs, s.name]));
  });

  it('answers trace.not-found for a trace it does not hold, sending nothing', async () => {
    const store = await storeWith(3, options);
    const frames: Uint8Array[] = [];
    await expect(streamTrace(store, { traceId: hexId(2, 32) }, 1, async (f) => void frames.push(f))).rejects.toMatchObject({ code: 'trace.not-found' });
    expect(frames).toHaveLength(0);
  });
});
