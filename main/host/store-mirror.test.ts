// A run's store in memory copying to a studio's store through the real host API: everything arrives,
// history after the spans queued before it; a studio gone mid-run stops the copy, says so and counts
// what was lost, without holding the run up. Baselines are saved to and read from the studio's store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/run/records';
import { parseTestFile } from '../../shared/spec';
import { autoCaptureBaseline } from '../perf/baselines';
import { judgePerformance } from '../perf/run-checks';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { EventHub } from '../studio/events';
import { HostClient } from './host-client';
import { createHostHandlers } from './host-handlers';
import { startHostServer, type HostServer } from './host-server';
import { RemoteStore } from './remote-store';
import { HostMirror } from './store-mirror';

let studioStore: TraceStore;
let server: HostServer;
let mirror: HostMirror;
let runStore: TraceStore;

beforeEach(async () => {
  studioStore = await openStore({ inMemory: true });
  server = await startHostServer(createHostHandlers(studioStore, new EventHub(), '/data'));
  mirror = new HostMirror(new HostClient({ version: 1, pid: process.pid, url: server.url, secret: server.secret, dataDir: '/data', startedAt: 0 }, ''));
  runStore = await openStore({ inMemory: true, mirror });
});

afterEach(async () => {
  await runStore.dispose();
  await server.close();
  await studioStore.dispose();
});

const environment = { host: 'h', platform: 'linux 6', engine: 'unix:///var/run/docker.sock', clnrmVersion: '0.1.0', ci: false };
const run: RunRecord = { id: 'r1', origin: 'cli', startedAt: 1_700_000_000_000, environment, files: ['/t/a.clnrm.toml'], passed: 0, failed: 0, errors: 0, skipped: 0 };
const spans = (trace: number, count: number) => Array.from({ length: count }, (_, i) => makeSpan({ trace, span: i + 1, resource: resourceFor('api', { 'clnrm.run_id': 'r1' }) }));

describe('HostMirror', () => {
  it('copies every span (in pieces the API takes) and every history write to the studio', async () => {
    await runStore.recordRun(run);
    runStore.ingest(spans(1, 7000));
    runStore.ingest(spans(2, 3));
    await runStore.finishRun('r1', { verdict: 'passed', passed: 1, endedAt: run.startedAt + 5 });
    // The history write went after the spans queued before it: they are all there by now.
    expect((await studioStore.listTraces({ runId: 'r1' })).traces.map((t) => t.spanCount).sort()).toEqual([3, 7000]);
    expect((await studioStore.listRuns())[0]!.run).toMatchObject({ id: 'r1', verdict: 'passed', passed: 1 });
    expect(mirror.copiedSpans).toBe(7003);
    expect(mirror.failure).toBeUndefined();
    // The run judged from its own store holds the same spans.
    expect(runStore.liveSpans({ traceId: spans(1, 1)[0]!.traceId })).toHaveLength(7000);
  });

  it('stops copying when the studio goes away, says why and counts what was lost', async () => {
    await runStore.recordRun(run);
    runStore.ingest(spans(1, 5));
    await mirror.drain();
    await server.close();
    runStore.ingest(spans(2, 4));
    await mirror.drain();
    expect(mirror.failure).toMatchObject({ code: 'host.unreachable' });
    await expect(runStore.finishRun('r1', { verdict: 'passed' })).rejects.toMatchObject({ code: 'host.unreachable' });
    runStore.ingest(spans(3, 2));
    expect(mirror.lost).toEqual({ spans: 6, historyWrites: 1 });
    expect(mirror.copiedSpans).toBe(5);
    // The run's own store has everything: its verdicts do not depend on the studio.
    expect(runStore.liveSpans()).toHaveLength(11);
    expect((await runStore.getRun('r1'))?.run.verdict).toBe('passed');
  });
});

describe('HostMirror baselines', () => {
  const parsed = parseTestFile('[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "true"\n[performance]\nbaseline_name = "good"\n[performance.baseline.capture]\nmode = "auto"\n[[expect.regression]]\nspan_name = "db.query"\nmax_p95_increase_percent = 50\n', { file: 't.clnrm.toml' });
  const test = parsed.tests[0]!;
  const dbQueries = (ms: number) => [1, 2, 3].map((i) => makeSpan({ trace: 9, span: i, name: 'db.query', durationMs: ms * i, resource: resourceFor('api') }));

  it('a run captures its baseline into the studio’s store and the next run is judged against it', async () => {
    expect(parsed.errors).toEqual([]);
    await runStore.recordRun(run);
    const note = await autoCaptureBaseline({ store: runStore, test, file: '/t/a.clnrm.toml', scenario: 's', runId: 'r1', executions: [{ id: 'e00000000001', verdict: 'passed', spans: dbQueries(10) }], deterministic: undefined });
    expect(note).toMatch(/baseline/);
    const [kept] = await studioStore.listBaselines({ testName: 't' });
    expect(kept).toMatchObject({ name: 'good', scenario: 's', runId: 'r1', mode: 'auto' });
    expect(kept!.spans['db.query']!.count).toBe(3);
    // Its throughput crosses the host call too (3 spans starting together, the longest 30 ms).
    expect(kept!.throughput).toEqual({ 'db.query': { count: 3, windowMs: 30, perSecond: 100 } });
    // Commands reading the studio's store (`clnrm perf history`) see it too; a bad query is refused there.
    const client = new HostClient({ version: 1, pid: process.pid, url: server.url, secret: server.secret, dataDir: '/data', startedAt: 0 }, '');
    expect((await new RemoteStore(client).listBaselines({ testName: 't', nameOrId: 'good' })).map((b) => b.id)).toEqual([kept!.id]);
    await expect(client.call('listBaselines', { testName: 't', limit: 0 })).rejects.toMatchObject({ code: 'ipc.invalid', message: expect.stringMatching(/listBaselines request is invalid: limit/) });

    // The next run has a fresh store in memory: it finds the baseline only in the studio's.
    const nextRun = await openStore({ inMemory: true, mirror: new HostMirror(new HostClient({ version: 1, pid: process.pid, url: server.url, secret: server.secret, dataDir: '/data', startedAt: 0 }, '')) });
    try {
      const { results } = await judgePerformance(nextRun, test, 's', dbQueries(30), []);
      expect(results).toEqual([expect.objectContaining({ expectation: 'expect.regression[0]', passed: false, message: expect.stringMatching(new RegExp(`^regression against baseline ${kept!.id} \\("good"\\)`)) })]);
    } finally {
      await nextRun.dispose();
    }
  });

  it('a studio gone mid-run: the baselines cannot be read, and the run says so', async () => {
    await server.close();
    const { results } = await judgePerformance(runStore, test, 's', dbQueries(10), []);
    expect(results[0]).toMatchObject({ passed: true, message: expect.stringMatching(/^not compared: the baselines could not be read \(.*\) yet/) });
    await expect(runStore.listBaselines({ testName: 't' })).rejects.toMatchObject({ code: 'host.unreachable' });
  });
});
