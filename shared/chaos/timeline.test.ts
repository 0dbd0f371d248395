import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULT_MS, DEFAULT_RECOVERY_MS } from './experiment-plan';
import { injectionEntries, moveBlock, newBlock, phaseBands, resizeBlock, snap, timelineEndMs, timelineOf, timingFor, type TimelineBlock } from './timeline';

const block: TimelineBlock = { id: 'b0', fault: 'container_pause', service: 'db', startMs: 3000, durationMs: 3000, params: {} };

describe('the timeline of an experiment', () => {
  it('reads the full form with steady state, timings and parameters', () => {
    const t = timelineOf({
      name: 'db_paused',
      steady_state: { duration_s: 3 },
      injection: [
        { fault: 'container_pause', target: 'service:db', timing: 'after_steady_state', duration_s: 3 },
        { fault: 'cpu_pressure', target: 'api', timing: 'at_1.5s', duration_s: 2, workers: 2 },
      ],
      recovery: { duration_s: 4 },
    });
    expect(t).toMatchObject({ name: 'db_paused', steadyMs: 3000, recoveryMs: 4000 });
    expect(t.blocks.map((b) => [b.fault, b.service, b.startMs, b.durationMs, b.params])).toEqual([
      ['container_pause', 'db', 3000, 3000, {}],
      ['cpu_pressure', 'api', 1500, 2000, { workers: 2 }],
    ]);
    expect(phaseBands(t)).toEqual([
      { name: 'steady_state', startMs: 0, endMs: 1500 },
      { name: 'during_chaos', startMs: 1500, endMs: 6000 },
      { name: 'recovery', startMs: 6000, endMs: 10_000 },
    ]);
    expect(timelineEndMs(t)).toBe(10_000);
  });

  it('reads the short form, defaults and an absent experiment', () => {
    const t = timelineOf({ fault: 'container_kill', target: 'service:api', timing: 'after_steady_state_5s' });
    expect(t.blocks).toMatchObject([{ fault: 'container_kill', service: 'api', startMs: 5000, durationMs: DEFAULT_FAULT_MS }]);
    expect(t.recoveryMs).toBe(DEFAULT_RECOVERY_MS);
    const empty = timelineOf(undefined);
    expect(empty.blocks).toEqual([]);
    expect(phaseBands(empty)).toEqual([]);
  });
});

describe('editing blocks', () => {
  it('snaps moves to the step and never starts before 0', () => {
    expect(moveBlock(block, 1200, 500).startMs).toBe(4000);
    expect(moveBlock(block, 1200, 1000).startMs).toBe(4000);
    expect(moveBlock(block, 700, 1000).startMs).toBe(4000);
    expect(moveBlock(block, 200, 1000)).toBe(block);
    expect(moveBlock(block, -10_000, 500).startMs).toBe(0);
  });

  it('forgets the file timing once moved, keeps it otherwise', () => {
    const withTiming = { ...block, timing: 'after_steady_state' };
    expect(moveBlock(withTiming, 1000, 500).timing).toBeUndefined();
    expect(resizeBlock(withTiming, 1000, 500).timing).toBe('after_steady_state');
  });

  it('snaps resizes and keeps at least one step', () => {
    expect(resizeBlock(block, 1300, 500).durationMs).toBe(4500);
    expect(resizeBlock(block, -10_000, 500).durationMs).toBe(500);
    expect(resizeBlock(block, -10_000, 1000).durationMs).toBe(1000);
  });

  it('drops a new block at the snapped time with the default window', () => {
    expect(newBlock('n', 'latency', 'api', 2260, 500)).toEqual({ id: 'n', fault: 'latency', service: 'api', startMs: 2500, durationMs: DEFAULT_FAULT_MS, params: {} });
    expect(snap(749, 500)).toBe(500);
  });
});

describe('timings and tables written back', () => {
  it('says a start relative to the steady state when it can', () => {
    expect(timingFor(3000, 3000)).toBe('after_steady_state');
    expect(timingFor(4500, 3000)).toBe('after_steady_state_1.5s');
    expect(timingFor(1000, 3000)).toBe('at_1s');
    expect(timingFor(0, 0)).toBe('after_steady_state');
  });

  it('keeps the file timing while it still names the start', () => {
    expect(injectionEntries({ ...block, startMs: 0, timing: 'immediately' }, 3000).timing).toBe('immediately');
    expect(injectionEntries({ ...block, startMs: 5000, timing: 'immediately' }, 3000).timing).toBe('after_steady_state_2s');
    expect(injectionEntries({ ...block, params: { percent: 50 } }, 3000)).toEqual({ fault: 'container_pause', target: 'service:db', timing: 'after_steady_state', duration_s: 3, percent: 50 });
  });
});
