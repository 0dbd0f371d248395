import { describe, expect, it } from 'vitest';
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { isActiveNow, isFaultWindowEvent, liveFaultWindows, liveWindowsIn, mergeFaultWindows, type FaultWindowEvent } from './live-fault-windows';

const T0 = 1_765_130_400_000; // epoch ms of the experiment's time zero
const EX = 'exec00000001';
const base = { runId: 'run000000001', test: 't', executionId: EX };
const identity = { serviceName: 'demo-db', params: '', path: 'scenario[0].chaos_injection', source: 'scenario' as const };
const started: FaultWindowEvent = { type: 'experiment-started', at: T0 + 2, ...base, experiment: 'e', startedAtMs: T0, totalMs: 5000 };
const fault = (state: 'injected' | 'reverted' | 'failed', offsetMs: number, extra: Partial<FaultWindowEvent> = {}): FaultWindowEvent =>
  ({ type: 'fault', at: T0 + offsetMs + 0.5, ...base, fault: 'container_pause', target: 'db', state, offsetMs, ...identity, ...extra }) as FaultWindowEvent;
const finished: FaultWindowEvent = { type: 'execution-finished', at: T0 + 9000, ...base, scenario: 's', iteration: 1, verdict: 'passed', spanCount: 3, expectations: 1, failedExpectations: 0, durationMs: 9500, problems: [] };
const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();

describe('liveFaultWindows', () => {
  it('opens a window at its injection, on the experiment clock, and leaves it open (ongoing) until its revert', () => {
    const [open] = liveFaultWindows([started, fault('injected', 1000.5)]);
    expect(open).toEqual({ fault: 'container_pause', service: 'db', ...identity, startUnixNano: '1765130401000500000', executionId: EX, live: true });
    expect(isActiveNow(open!)).toBe(true);
    const [closed] = liveFaultWindows([started, fault('injected', 1000), fault('reverted', 3000)]);
    expect([closed!.startUnixNano, closed!.endUnixNano, isActiveNow(closed!)]).toEqual([ns(T0 + 1000), ns(T0 + 3000), false]);
  });

  it('reads events in any order: a revert before its injection, the start after both', () => {
    const windows = liveFaultWindows([fault('reverted', 3000), fault('injected', 1000), started]);
    expect(windows.map((w) => [w.startUnixNano, w.endUnixNano])).toEqual([[ns(T0 + 1000), ns(T0 + 3000)]]);
  });

  it('draws nothing for a revert without its injection, or for a failed injection', () => {
    expect(liveFaultWindows([started, fault('reverted', 3000)])).toEqual([]);
    expect(liveFaultWindows([started, fault('failed', 1000, { detail: 'service db has no running container' })])).toEqual([]);
  });

  it('keeps a fault whose revert failed in, with why, as the stored window does', () => {
    const [w] = liveFaultWindows([started, fault('injected', 1000), fault('failed', 3000, { detail: 'not undone: no such container' })]);
    expect([w!.endUnixNano, w!.revertError, isActiveNow(w!)]).toEqual([undefined, 'no such container', true]);
  });

  it('ends an open window with its execution, and tells the injections of one execution apart by path', () => {
    const other = { path: 'scenario[1].chaos_injection' };
    const windows = liveFaultWindows([started, fault('injected', 1000), fault('injected', 2000, other), fault('reverted', 2500, other), finished]);
    expect(windows.map((w) => [w.path, w.endUnixNano, w.executionEndUnixNano, isActiveNow(w)])).toEqual([
      ['scenario[0].chaos_injection', undefined, ns(T0 + 9000), false],
      ['scenario[1].chaos_injection', ns(T0 + 2500), ns(T0 + 9000), false],
    ]);
  });

  it('takes time zero from the first fault when the start event is gone, and keeps a peer', () => {
    const [w] = liveFaultWindows([fault('injected', 1000, { fault: 'network_partition', peer: 'cache', peerName: 'demo-cache' })]);
    // The fault's `at` is stamped 0.5 ms after its offset was measured.
    expect([w!.startUnixNano, w!.peer, w!.peerName]).toEqual([(BigInt(T0 + 1000) * 1_000_000n + 500_000n).toString(), 'cache', 'demo-cache']);
  });

  it('picks the events windows are made from', () => {
    expect([started, fault('injected', 1), finished].every(isFaultWindowEvent)).toBe(true);
    expect(isFaultWindowEvent({ type: 'warning', at: 1, runId: base.runId, message: 'm' })).toBe(false);
  });
});

describe('liveWindowsIn and mergeFaultWindows', () => {
  const [closed] = liveFaultWindows([started, fault('injected', 1000), fault('reverted', 3000)]);
  const [open] = liveFaultWindows([started, fault('injected', 1000)]);
  const range = (fromMs: number, toMs: number, executionIds?: string[]) => ({ fromUnixNano: ns(fromMs), toUnixNano: ns(toMs), ...(executionIds ? { executionIds } : {}) });

  it('keeps the windows overlapping the range (an open one reaches now), of the executions asked for', () => {
    expect(liveWindowsIn([closed!], range(T0 + 3000, T0 + 4000))).toHaveLength(1);
    expect(liveWindowsIn([closed!], range(T0 + 3001, T0 + 4000))).toEqual([]);
    expect(liveWindowsIn([open!], range(T0 + 60_000, T0 + 70_000))).toHaveLength(1);
    expect(liveWindowsIn([open!], range(0, T0 + 999))).toEqual([]);
    expect(liveWindowsIn([open!], range(0, T0 + 5000, ['exec00000002']))).toEqual([]);
    expect(liveWindowsIn([open!], range(0, T0 + 5000, [EX]))).toHaveLength(1);
  });

  it('draws an execution once: its stored windows replace its live ones, others stay live', () => {
    const { live: _, ...stored } = closed!;
    const other = { ...open!, executionId: 'exec00000002' };
    expect(mergeFaultWindows([stored as FaultWindow], [closed!, other])).toEqual([stored, other]);
    const none: FaultWindow[] = [];
    expect(mergeFaultWindows(none, [])).toBe(none);
    expect(isActiveNow(stored as FaultWindow)).toBe(false);
  });
});
