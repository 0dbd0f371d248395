// The Chaos view's live figures against a real DuckDB store (in this thread and in the writer thread): one
// execution's root spans per second of the experiment, the runner's own spans, child spans, other
// executions and spans from before the start left out; an answer bounded by rows; bad requests refused.
import { afterEach, describe, expect, it } from 'vitest';
import type { Span, StatusCode } from '../../shared/model';
import { checkRequest } from '../../shared/ipc/validate';
import { RUNNER_SCOPE } from '../runner/self-trace';
import { openStore, type TraceStore } from '../store';
import { makeSpan, resourceFor } from '../store/test-spans';
import { writerThreadEntry } from '../store/writer-thread';
import { chaosLiveStats } from './chaos-live';

const stores: TraceStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
});

const START_MS = 1_790_000_000_000;
const EXECUTION = 'ex-1';
const system = resourceFor('loadgen', { 'clnrm.execution_id': EXECUTION });
let nextSpan = 1;
/** A root span of the system `atMs` after the start. */
const request = (atMs: number, durationMs: number, status: StatusCode = 'unset', resource = system): Span => {
  const n = nextSpan++;
  return makeSpan({ trace: n, span: n, resource, startMs: START_MS + atMs, durationMs, status });
};

describe.each([
  ['in this thread', {}],
  ['in a writer thread', { writerThread: writerThreadEntry() }],
] as const)('live experiment figures from the store %s', (_mode, modeOptions) => {
  const open = async (): Promise<TraceStore> => {
    const store = await openStore({ inMemory: true, ...modeOptions });
    stores.push(store);
    return store;
  };

  it('counts the execution’s requests per second as the judge does', async () => {
    const store = await open();
    const second0 = [request(100, 10), request(400, 20), request(700, 30, 'error'), request(999, 40)];
    const second2 = [request(2500, 200, 'ok')];
    const n = nextSpan++;
    const child = makeSpan({ trace: n, span: n + 1_000_000, parent: n, resource: system, startMs: START_MS + 150, durationMs: 5, status: 'error' });
    const runner = { ...request(200, 900, 'error'), scope: { name: RUNNER_SCOPE } };
    const otherExecution = request(300, 1, 'error', resourceFor('loadgen', { 'clnrm.execution_id': 'ex-2' }));
    const beforeStart = request(-300, 5, 'error');
    store.ingest([...second0, ...second2, child, runner, otherExecution, beforeStart]);
    await store.commit();
    const answer = await chaosLiveStats(store, { executionId: EXECUTION, startUs: START_MS * 1000, fromSecond: 0, toSecond: 3 });
    expect(answer).toEqual({
      seconds: [
        // type 7 over 10, 20, 30, 40: h = 3 × 0.95 = 2.85 → 30 + 0.85 × 10
        { second: 0, requests: 4, errors: 1, successRate: 0.75, p95Ms: expect.closeTo(38.5, 6) },
        { second: 1, requests: 0, errors: 0, successRate: null, p95Ms: null },
        { second: 2, requests: 1, errors: 0, successRate: 1, p95Ms: expect.closeTo(200, 6) },
      ],
      untilSecond: 3,
      sampled: false,
    });
    // Only the seconds asked for: a later call for the newest seconds reads just those.
    const later = await chaosLiveStats(store, { executionId: EXECUTION, startUs: START_MS * 1000, fromSecond: 2, toSecond: 4 });
    expect(later.seconds.map((s) => [s.second, s.requests])).toEqual([
      [2, 1],
      [3, 0],
    ]);
  });

  it('stops an answer at the row limit where its seconds are complete, and says when one second was sampled', async () => {
    const store = await open();
    store.ingest([0, 100, 200, 1100, 1200, 2100, 2200, 2300].map((at) => request(at, 5)));
    await store.commit();
    const q = { executionId: EXECUTION, startUs: START_MS * 1000, fromSecond: 0, toSecond: 3 };
    // Five rows reach into second 1: second 0 is complete, the next call starts at 1.
    const first = await chaosLiveStats(store, q, 4);
    expect(first).toMatchObject({ untilSecond: 1, sampled: false, seconds: [{ second: 0, requests: 3 }] });
    // Two rows do not even finish second 0: it is answered from its earliest requests, and said so.
    const sampled = await chaosLiveStats(store, q, 2);
    expect(sampled).toMatchObject({ untilSecond: 1, sampled: true, seconds: [{ second: 0, requests: 2 }] });
  });
});

describe('the live figures request', () => {
  const ok = { executionId: EXECUTION, startUs: START_MS * 1000, fromSecond: 0, toSecond: 5 };
  it.each([
    ['a range longer than one answer covers', { ...ok, toSecond: 500 }, 'toSecond'],
    ['a range that ends before it starts', { ...ok, fromSecond: 6 }, 'toSecond'],
    ['a fractional second', { ...ok, fromSecond: 0.5 }, 'fromSecond'],
    ['an execution id that is not one', { ...ok, executionId: '../x' }, 'executionId'],
    ['no experiment start', { ...ok, startUs: 0 }, 'startUs'],
  ])('refuses %s with ipc.invalid at the field', (_what, request, field) => {
    const checked = checkRequest('chaosLiveStats', request);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('ipc.invalid');
      expect(checked.error.message).toContain(`${field}:`);
    }
  });
});
