// A run's store in memory copying to a studio's store through the real host API: everything arrives,
// history after the spans queued before it; a studio gone mid-run stops the copy, says so and counts
// what was lost, without holding the run up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/run/records';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { EventHub } from '../studio/events';
import { HostClient } from './host-client';
import { createHostHandlers } from './host-handlers';
import { startHostServer, type HostServer } from './host-server';
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
