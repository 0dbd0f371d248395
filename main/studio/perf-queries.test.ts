// The Performance view's calls through the contract (validated both ways, JSON in and out) on a store
// holding eight runs with a step change in db.query (main/perf/test-history.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResponse, StudioHandlers } from '../../shared/ipc/contract';
import { handleCall } from '../../shared/ipc/validate';
import { RUNS, STEP_AT, T0, runIdAt, writeStepHistory } from '../perf/test-history';
import { openStore, type TraceStore } from '../store';
import { hexId } from '../store/test-spans';
import { createStudioHandlers } from './handlers';
import { UserPaths } from './user-paths';

const FILE = '/tests/slow.clnrm.toml';
let store: TraceStore;
let handlers: StudioHandlers;

beforeAll(async () => {
  store = await openStore({ inMemory: true });
  await writeStepHistory(store, FILE, '/tests/other.clnrm.toml');
  handlers = createStudioHandlers({ store, paths: new UserPaths('/'), env: {}, runner: { start: async () => ({ runId: 'x' }), cancel: async () => false, dispose: async () => undefined } });
});
afterAll(() => store.dispose());

async function ok<N extends 'perfHistory' | 'compareRuns' | 'runResources' | 'traceBottlenecks'>(name: N, payload: unknown): Promise<CallResponse<N>> {
  const reply = await handleCall(handlers, name, JSON.parse(JSON.stringify(payload)));
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error.code} ${reply.error.message}`);
  return JSON.parse(JSON.stringify(reply.value)) as CallResponse<N>;
}

describe('Performance view calls', () => {
  it('perfHistory: every span name of the test, the chosen one with its change point and no baseline yet', async () => {
    const h = await ok('perfHistory', { path: FILE, span: 'db.query', metric: 'p50' });
    expect(h.spanNames).toEqual(['GET /items/:id', 'db.query']);
    expect(h.series).toHaveLength(1);
    expect(h.series[0]!.points).toHaveLength(RUNS);
    expect(h.series[0]!.changePoints.map((c) => [c.runBefore, c.runAfter])).toEqual([[runIdAt(STEP_AT - 1), runIdAt(STEP_AT)]]);
    expect(h.series[0]!.baseline).toBeUndefined();
    expect((await ok('perfHistory', { path: '/tests/none.clnrm.toml' })).runs).toBe(0);
  });

  it('compareRuns: the run before and after the change, per operation on common bins, only the test file\'s spans', async () => {
    const c = await ok('compareRuns', { before: runIdAt(STEP_AT - 1), after: runIdAt(STEP_AT), path: FILE });
    const db = c.operations.find((o) => o.name === 'db.query')!;
    expect(db.service).toBe('api');
    expect(db.before.count).toBe(3);
    expect(db.before.max).toBeLessThan(11_000);
    expect(db.after.p50).toBeGreaterThan(24_000);
    expect(db.beforeCounts.reduce((a, b) => a + b)).toBe(3);
    expect(db.afterCounts.reduce((a, b) => a + b)).toBe(3);
    expect(db.edges).toHaveLength(db.beforeCounts.length + 1);
    // Without the file: the whole run, the runner's own spans and the other test's too.
    const whole = await ok('compareRuns', { before: runIdAt(0), after: runIdAt(1) });
    expect(whole.operations.map((o) => `${o.service} ${o.name}`)).toContain('clnrm clnrm.run');
  });

  it('runResources: the samples of every execution of the run, with the run\'s time span', async () => {
    const r = await ok('runResources', { runId: runIdAt(2) });
    expect(r).toMatchObject({ runId: runIdAt(2), startedAt: T0 + 120_000, endedAt: T0 + 125_000 });
    expect(r.samples.map((s) => s.cpuPercent)).toEqual([0, 10, 20]);
  });

  it('traceBottlenecks: the critical path and slowest operations with evidence span ids', async () => {
    const b = await ok('traceBottlenecks', { traceId: hexId(1000, 32) });
    expect(b.traceId).toBe(hexId(1000, 32));
    expect(b.criticalPath[0]!.name).toBe('GET /items/:id');
    expect(b.slowest.map((s) => s.name)).toEqual(['GET /items/:id', 'db.query']);
    expect(b.slowest[1]!.evidence).toHaveLength(1);
  });

  it('says what is missing: an unknown run or trace, a malformed id', async () => {
    const run = await handleCall(handlers, 'runResources', { runId: 'ffffffffffff' });
    expect(run).toMatchObject({ ok: false, error: { code: 'store.not-found' } });
    const cmp = await handleCall(handlers, 'compareRuns', { before: runIdAt(0), after: 'ffffffffffff' });
    expect(cmp).toMatchObject({ ok: false, error: { code: 'store.not-found' } });
    const trace = await handleCall(handlers, 'traceBottlenecks', { traceId: 'f'.repeat(32) });
    expect(trace).toMatchObject({ ok: false, error: { code: 'trace.not-found' } });
    expect(await handleCall(handlers, 'perfHistory', { path: FILE, metric: 'p90' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid' } });
  });
});
