// The writer thread's boundary: errors keep their codes and messages when they cross it, and a
// store whose thread cannot open says why instead of hanging.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from '../../shared/otlp';
import { openStore } from './index';
import { makeTraces, resourceFor } from './test-spans';
import { writerThreadEntry } from './writer-thread';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('trace store writer thread', () => {
  it('refuses to open where the data folder cannot be made, with the same error code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-thread-'));
    dirs.push(dir);
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(openStore({ dataDir: join(file, 'sub'), writerThread: writerThreadEntry() })).rejects.toMatchObject({
      code: 'store.failed',
      message: expect.stringMatching(/Cannot create the data folder/),
    });
  });

  it('counts rows the thread has not appended yet, and writable() waits for them', async () => {
    const store = await openStore({ inMemory: true, writerThread: writerThreadEntry(), maxWriteBacklog: 100 });
    try {
      const resource = resourceFor('svc');
      // Handed over in one tick: no acknowledgement can have arrived yet.
      for (let i = 0; i < 20; i++) store.ingest(makeTraces(10, 10, resource, 1 + i * 10));
      expect(store.writeBacklog).toBe(2000);
      await store.writable();
      expect(store.writeBacklog).toBeLessThanOrEqual(100);
      expect((await store.listTraces()).total).toBe(200);
    } finally {
      await store.dispose();
    }
  });

  it('passes query failures back and keeps working', async () => {
    const store = await openStore({ inMemory: true, writerThread: writerThreadEntry() });
    try {
      await expect(store.finishRun('missing', { verdict: 'passed' })).rejects.toMatchObject({ code: 'store.not-found', message: expect.stringMatching(/No run with id missing/) });
      store.ingest(makeTraces(3, 4, resourceFor('svc')));
      expect((await store.listTraces()).total).toBe(3);
      expect(store.counts()).toMatchObject({ sessionSpans: 12, persistErrors: 0 });
    } finally {
      await store.dispose();
    }
    await expect(store.listTraces()).rejects.toMatchObject({ code: 'store.failed' });
  });

  it('keeps live spans readable after their rows moved to the thread, for requests held in Node Buffers', async () => {
    const store = await openStore({ inMemory: true, writerThread: writerThreadEntry() });
    try {
      const spans = makeTraces(2, 3, resourceFor('svc'));
      // As the receiver gets them: a request body in a Buffer (whose slice() is a view, not a copy),
      // decoded with the spans' wire bytes; and spans without wire bytes (OTLP/JSON, imports).
      const encoded = encodeOtlpProtobuf(spans.slice(0, 3));
      const body = Buffer.alloc(encoded.length); // not from Node's shared pool: transferable, as a large request's is
      body.set(encoded);
      const decoded = decodeOtlpProtobuf(body);
      store.ingest(decoded.spans, decoded.wire);
      store.ingest(spans.slice(3));
      await store.writable();
      for (const traceId of new Set(spans.map((s) => s.traceId))) {
        expect(store.liveSpans({ traceId }).map((s) => s.spanId)).toEqual(spans.filter((s) => s.traceId === traceId).map((s) => s.spanId));
      }
      expect(body.byteLength).toBeGreaterThan(0);
    } finally {
      await store.dispose();
    }
  });
});
