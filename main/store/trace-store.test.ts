import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type TraceStore } from './index';
import { makeSpan, makeTraces, resourceFor, hexId } from './test-spans';
import { writerThreadEntry } from './writer-thread';

const dirs: string[] = [];
const stores: TraceStore[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-store-'));
  dirs.push(d);
  return d;
}
async function openTracked(options: Parameters<typeof openStore>[0]): Promise<TraceStore> {
  const s = await openStore(options);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

// Every behaviour holds with the database in this thread and in the writer thread.
const MODES = [
  ['in this thread', {}],
  ['in a writer thread', { writerThread: writerThreadEntry() }],
] as const;

describe.each(MODES)('trace store %s', (_mode, modeOptions) => {
  const open = (options: Parameters<typeof openStore>[0]): Promise<TraceStore> => openTracked({ ...options, ...modeOptions });
  it('keeps spans exactly across a restart', async () => {
    const dir = tempDir();
    const res = resourceFor('api', { 'clnrm.run_id': 'run-1' });
    const spans = [
      makeSpan({ trace: 1, span: 1, name: 'GET /', resource: res, attrs: { 'http.status': 200, ok: true, ratio: 0.5, s: 'x' }, status: 'ok' }),
      makeSpan({ trace: 1, span: 2, parent: 1, name: 'db', resource: res, status: 'error' }),
    ];
    const s1 = await open({ dataDir: dir });
    s1.ingest(spans);
    await s1.dispose();
    const s2 = await open({ dataDir: dir });
    const back = await s2.getTrace(hexId(1, 32));
    expect(plain(back)).toEqual(plain(spans));
    expect(back[0]!.resource).toBe(back[1]!.resource);
  });

  it('lists traces with filters, sorting and totals', async () => {
    const store = await open({ inMemory: true });
    const a = resourceFor('api');
    const b = resourceFor('db', { 'clnrm.run_id': 'r2' });
    store.ingest([
      makeSpan({ trace: 1, span: 1, name: 'root', resource: a, startMs: 1000, durationMs: 50 }),
      makeSpan({ trace: 1, span: 2, parent: 1, name: 'query', resource: b, startMs: 1010, durationMs: 5, status: 'error', attrs: { 'db.system': 'postgres' } }),
      makeSpan({ trace: 2, span: 3, name: 'root', resource: a, startMs: 2000, durationMs: 200 }),
      makeSpan({ trace: 3, span: 4, name: 'other', resource: a, startMs: 3000, durationMs: 1 }),
    ]);
    const all = await store.listTraces();
    expect(all.total).toBe(3);
    expect(all.traces.map((t) => t.traceId)).toEqual([hexId(3, 32), hexId(2, 32), hexId(1, 32)]);
    const t1 = all.traces[2]!;
    expect(t1).toMatchObject({ rootName: 'root', rootService: 'api', spanCount: 2, errorCount: 1, services: ['api', 'db'] });
    expect(t1.durationUs).toBeCloseTo(50_000, 3);
    expect((await store.listTraces({ service: 'db' })).traces.map((t) => t.traceId)).toEqual([hexId(1, 32)]);
    expect((await store.listTraces({ status: 'error' })).total).toBe(1);
    // Unset spans are not 'ok': "without errors" is its own filter.
    expect((await store.listTraces({ status: 'ok' })).total).toBe(0);
    expect((await store.listTraces({ withoutErrors: true })).traces.map((t) => t.traceId)).toEqual([hexId(3, 32), hexId(2, 32)]);
    expect((await store.listTraces({ attribute: { key: 'db.system', value: 'postgres' } })).total).toBe(1);
    expect((await store.listTraces({ attribute: { key: 'db.system', value: 'mysql' } })).total).toBe(0);
    expect((await store.listTraces({ minDurationMs: 100 })).traces.map((t) => t.traceId)).toEqual([hexId(2, 32)]);
    expect((await store.listTraces({ maxDurationMs: 2 })).traces.map((t) => t.traceId)).toEqual([hexId(3, 32)]);
    expect((await store.listTraces({ spanName: 'other' })).total).toBe(1);
    expect((await store.listTraces({ since: 1500, until: 2500 })).traces.map((t) => t.traceId)).toEqual([hexId(2, 32)]);
    expect((await store.listTraces({ since: new Date(1500).toISOString() })).total).toBe(2);
    expect((await store.listTraces({ runId: 'r2' })).total).toBe(1);
    const byDuration = await store.listTraces({ sort: 'duration', order: 'asc', limit: 2 });
    expect(byDuration.traces.map((t) => t.traceId)).toEqual([hexId(3, 32), hexId(1, 32)]);
    expect(byDuration.total).toBe(3);
    await expect(store.listTraces({ since: 'last tuesday' })).rejects.toMatchObject({ code: 'store.query' });
    const page = await store.listTraces({ sort: 'spans', limit: 1, offset: 5 });
    expect(page).toEqual({ traces: [], total: 3 });
  });

  it('builds the service graph and span statistics', async () => {
    const store = await open({ inMemory: true });
    const api = resourceFor('api');
    const db = resourceFor('db');
    const spans = [];
    for (let t = 1; t <= 10; t++) {
      spans.push(makeSpan({ trace: t, span: t * 10, name: 'GET', resource: api, durationMs: 20 }));
      spans.push(makeSpan({ trace: t, span: t * 10 + 1, parent: t * 10, name: 'SELECT', resource: db, durationMs: t, status: t === 10 ? 'error' : 'ok' }));
      spans.push(makeSpan({ trace: t, span: t * 10 + 2, parent: t * 10, name: 'render', resource: api, durationMs: 1 }));
    }
    store.ingest(spans);
    const graph = await store.serviceGraph();
    expect(graph).toHaveLength(1);
    expect(graph[0]).toMatchObject({ parent: 'api', child: 'db', calls: 10, errors: 1 });
    expect(graph[0]!.p50Ms).toBeCloseTo(5.5, 6);
    const stats = await store.spanStats();
    const select = stats.find((s) => s.name === 'SELECT')!;
    expect(select).toMatchObject({ count: 10, errorRate: 0.1 });
    expect(select.p99Ms).toBeGreaterThan(9.8);
    expect(await store.spanStats({ service: 'db' })).toHaveLength(1);
  });

  it('prunes the oldest traces past the size cap', async () => {
    const store = await open({ inMemory: true, maxBytes: 200_000, flushIntervalMs: 10_000 });
    const res = resourceFor('svc');
    for (let batch = 0; batch < 10; batch++) {
      store.ingest(makeTraces(20, 5, res, 1 + batch * 20));
      store.flush();
      await store.listTraces({ limit: 1 }); // waits for the prune a flush may have started
    }
    const { bytes, total } = { bytes: store.counts().storedBytes, total: (await store.listTraces()).total };
    expect(bytes).toBeLessThanOrEqual(200_000);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(200);
    const kept = await store.listTraces({ sort: 'start', order: 'asc', limit: 1 });
    // The newest trace survives and the oldest ones are gone.
    expect((await store.getTrace(hexId(200, 32))).length).toBe(5);
    expect((await store.getTrace(hexId(1, 32))).length).toBe(0);
    expect(kept.traces[0]!.traceId > hexId(1, 32)).toBe(true);
    expect(store.live.trace(hexId(1, 32))).toHaveLength(0);
  });

  it('indexes the session in memory by trace, service, name and run tags', async () => {
    const store = await open({ inMemory: true, maxLiveSpans: 10 });
    const r = resourceFor('api', { 'clnrm.run_id': 'R', 'clnrm.scenario': 'happy' });
    store.ingest([makeSpan({ trace: 1, span: 1, name: 'a', resource: r }), makeSpan({ trace: 1, span: 2, name: 'b', resource: resourceFor('db') })]);
    expect(store.liveSpans({ runId: 'R' }).map((s) => s.name)).toEqual(['a']);
    expect(store.liveSpans({ scenario: 'happy', spanName: 'a' })).toHaveLength(1);
    expect(store.liveSpans({ service: 'db' }).map((s) => s.name)).toEqual(['b']);
    expect(store.liveSpans({ traceId: hexId(1, 32) })).toHaveLength(2);
    expect(store.liveSpans({ service: 'nope' })).toHaveLength(0);
    store.ingest(makeTraces(5, 3, r, 100));
    expect(store.live.size.spans).toBeLessThanOrEqual(10);
    expect(store.live.trace(hexId(1, 32))).toHaveLength(0);
    expect(await store.getTrace(hexId(1, 32))).toHaveLength(2);
  });

  it('clears spans', async () => {
    const store = await open({ inMemory: true });
    store.ingest(makeTraces(3, 2, resourceFor('x')));
    await store.clear();
    expect((await store.listTraces()).total).toBe(0);
    expect(store.live.size.spans).toBe(0);
  });
});
