import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../../shared/chaos/timeline';
import type { RunEvent } from '../../../shared/run/events';
import { editReducer, initialEdit, isDirty, keyAction, liveRun } from './timeline-edit';

const timeline: Timeline = { name: 'e', steadyMs: 3000, recoveryMs: 3000, blocks: [{ id: 'b0', fault: 'container_pause', service: 'db', startMs: 3000, durationMs: 3000, params: {}, timing: 'after_steady_state' }] };
const services = ['db', 'cache', 'api'];

describe('editing the timeline', () => {
  it('adds a dropped fault, selects it, and marks the timeline changed', () => {
    const s = editReducer(initialEdit(timeline), { type: 'add', fault: 'latency', service: 'api', atMs: 1260 });
    expect(s.timeline.blocks[1]).toMatchObject({ id: 'n1', fault: 'latency', service: 'api', startMs: 1500 });
    expect(s.selected).toBe('n1');
    expect(isDirty(s)).toBe(true);
    expect(isDirty(initialEdit(timeline))).toBe(false);
  });

  it('measures a pointer drag from where it began, snapped to the chosen step', () => {
    const from = timeline.blocks[0]!;
    let s = editReducer(initialEdit(timeline), { type: 'step', stepMs: 1000 });
    s = editReducer(s, { type: 'move', id: 'b0', deltaMs: 400, from });
    s = editReducer(s, { type: 'move', id: 'b0', deltaMs: 1400, from });
    expect(s.timeline.blocks[0]!.startMs).toBe(4000);
    s = editReducer(s, { type: 'resize', id: 'b0', deltaMs: 2600, from: s.timeline.blocks[0] });
    expect(s.timeline.blocks[0]!.durationMs).toBe(6000);
  });

  it('maps keys to moves, resizes, lane changes and removal', () => {
    const b = timeline.blocks[0]!;
    const key = (k: string, shiftKey = false, altKey = false) => keyAction({ key: k, shiftKey, altKey }, b, 500, services);
    expect(key('ArrowRight')).toEqual({ type: 'move', id: 'b0', deltaMs: 500 });
    expect(key('ArrowLeft', true)).toEqual({ type: 'resize', id: 'b0', deltaMs: -500 });
    expect(key('ArrowDown', false, true)).toEqual({ type: 'lane', id: 'b0', service: 'cache' });
    expect(key('ArrowUp', false, true)).toBeUndefined();
    expect(key('Delete')).toEqual({ type: 'remove', id: 'b0' });
    expect(key('x')).toBeUndefined();
    let s = editReducer(initialEdit(timeline), { type: 'select', id: 'b0' });
    s = editReducer(s, key('Delete')!);
    expect(s.timeline.blocks).toEqual([]);
    expect(s.selected).toBeNull();
  });
});

describe('a run on the timeline', () => {
  const base = { runId: 'r0123456789a', test: 't', executionId: 'e0123456789a' } as const;
  const fault = (at: number, state: 'injected' | 'reverted' | 'failed', offsetMs: number, detail?: string): RunEvent => ({ type: 'fault', at, ...base, fault: 'container_pause', target: 'db', state, offsetMs, ...(detail ? { detail } : {}), serviceName: 'db', params: '', path: 'chaos.experiment.injection[0]', source: 'experiment' });

  it('draws fault windows from fault events, with the experiment time zero and its execution', () => {
    const open = liveRun([fault(10_000, 'injected', 3000)], null);
    expect(open).toEqual({ t0: 7000, executionId: base.executionId, windows: [{ fault: 'container_pause', service: 'db', startMs: 3000 }], verdicts: [] });
    const closed = liveRun([fault(10_000, 'injected', 3000), fault(13_100, 'reverted', 6100)], null);
    expect(closed.windows).toEqual([{ fault: 'container_pause', service: 'db', startMs: 3000, endMs: 6100 }]);
    expect(liveRun([fault(10_000, 'failed', 3000, 'no container')], null).windows).toEqual([{ fault: 'container_pause', service: 'db', startMs: 3000, endMs: 3000, failed: 'no container' }]);
  });

  it('takes the time zero from the experiment’s start when the run says it, before any fault', () => {
    const started: RunEvent = { type: 'experiment-started', at: 5000.4, ...base, experiment: 'e', startedAtMs: 4999.5, totalMs: 9000 };
    expect(liveRun([started], null)).toEqual({ t0: 4999.5, executionId: base.executionId, windows: [], verdicts: [] });
    // The fault's own `at` is stamped a little after its offset was measured: the start event's time zero stays.
    expect(liveRun([started, fault(8000.7, 'injected', 3000)], null).t0).toBe(4999.5);
  });

  it('reads the phase verdicts of a finished run', () => {
    const finished = {
      runId: base.runId,
      file: 'f',
      passed: false,
      cancelled: false,
      durationMs: 1,
      traceIds: [],
      executionIds: [],
      verdicts: [
        { name: 'warm_the_cache › chaos.experiment', kind: 'expectation' as const, passed: false, message: 'experiment "e": resilience score 50', evidence: [] },
        { name: 'warm_the_cache › chaos.experiment.steady_state.assertion[0]', kind: 'expectation' as const, passed: true, message: 'steady_state: 60 requests, 100% ok', evidence: [] },
        { name: 'warm_the_cache › expect.span[0]', kind: 'expectation' as const, passed: true, message: 'steady_state: not mine', evidence: [] },
      ],
    };
    expect(liveRun([], finished).verdicts).toEqual([
      { phase: 'experiment', name: 'chaos.experiment', passed: false, message: 'experiment "e": resilience score 50', state: 'final' },
      { phase: 'steady_state', name: 'chaos.experiment.steady_state.assertion[0]', passed: true, message: '60 requests, 100% ok', state: 'final' },
    ]);
  });
});
