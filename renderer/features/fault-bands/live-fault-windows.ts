// Fault windows of the executions still running, read from their `fault` run events (the stored windows
// arrive only when an execution ends), and merged with the stored ones: an execution's stored windows replace
// its live ones, so a band is never drawn twice. Pure, so event order and endings are tested without a page.
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { millisToUnixNano } from '../../../shared/model/time';
import type { RunEvent, RunEventOf } from '../../../shared/run/events';

/** A window as the views draw it: stored, or (`live`) read from the fault events of its execution. */
export type ShownFaultWindow = FaultWindow & { readonly live?: true };

/** The run events a live window is made from. */
export type FaultWindowEvent = RunEventOf<'experiment-started' | 'fault' | 'execution-finished'>;

export function isFaultWindowEvent(e: RunEvent): e is FaultWindowEvent {
  return e.type === 'experiment-started' || e.type === 'fault' || e.type === 'execution-finished';
}

/** What one execution's events told, in any order. */
interface ExecutionFaults {
  t0Ms?: number;
  endMs?: number;
  /** By injection path: its injected event, its reverted one, a failure. */
  readonly injections: Map<string, { injected?: RunEventOf<'fault'>; reverted?: RunEventOf<'fault'>; failed?: RunEventOf<'fault'> }>;
}

function byExecution(events: readonly FaultWindowEvent[]): Map<string, ExecutionFaults> {
  const out = new Map<string, ExecutionFaults>();
  for (const e of events) {
    const ex: ExecutionFaults = out.get(e.executionId) ?? { injections: new Map() };
    out.set(e.executionId, ex);
    if (e.type === 'experiment-started') ex.t0Ms = e.startedAtMs;
    else if (e.type === 'execution-finished') ex.endMs = e.at;
    else if (e.offsetMs !== undefined) {
      const seen = ex.injections.get(e.path) ?? {};
      ex.injections.set(e.path, { ...seen, [e.state]: e });
    }
  }
  return out;
}

/** The runner says a failed revert as `not undone: <why>`; the window keeps the why, as the stored one does. */
const revertErrorOf = (detail: string | undefined): string => (detail ?? 'failed').replace(/^not undone: /, '');

/**
 * One window per fault injected so far: from its `injected` event to its `reverted` one; open while neither a
 * revert nor the execution's end came; a `failed` after an injection is a revert that failed (the fault stays
 * in, as the stored window says). A failed injection, or a revert whose injection is not among the events,
 * draws nothing. Time zero is the experiment's start, else the first fault's `at` less its offset.
 */
export function liveFaultWindows(events: readonly FaultWindowEvent[]): ShownFaultWindow[] {
  const windows: ShownFaultWindow[] = [];
  for (const [executionId, ex] of byExecution(events)) {
    for (const [path, { injected, reverted, failed }] of ex.injections) {
      if (injected?.offsetMs === undefined) continue;
      const t0 = ex.t0Ms ?? injected.at - injected.offsetMs;
      const endOffset = reverted?.offsetMs !== undefined ? Math.max(injected.offsetMs, reverted.offsetMs) : undefined;
      windows.push({
        fault: injected.fault,
        service: injected.target,
        serviceName: injected.serviceName,
        ...(injected.peer !== undefined ? { peer: injected.peer } : {}),
        ...(injected.peerName !== undefined ? { peerName: injected.peerName } : {}),
        params: injected.params,
        path,
        source: injected.source,
        startUnixNano: millisToUnixNano(t0 + injected.offsetMs),
        ...(endOffset !== undefined ? { endUnixNano: millisToUnixNano(t0 + endOffset) } : {}),
        ...(endOffset === undefined && failed !== undefined ? { revertError: revertErrorOf(failed.detail) } : {}),
        executionId,
        ...(ex.endMs !== undefined ? { executionEndUnixNano: millisToUnixNano(ex.endMs) } : {}),
        live: true,
      });
    }
  }
  const start = (w: ShownFaultWindow): bigint => BigInt(w.startUnixNano);
  return windows.sort((a, b) => (start(a) < start(b) ? -1 : start(a) > start(b) ? 1 : 0));
}

/** A time range (unix ns as decimal strings) and, optionally, the executions asked for. */
export interface WindowRange {
  readonly fromUnixNano: string;
  readonly toUnixNano: string;
  readonly executionIds?: readonly string[];
}

/** The live windows overlapping the range, as the store answers for stored ones (an open window reaches its execution's end, or now). */
export function liveWindowsIn(windows: readonly ShownFaultWindow[], range: WindowRange): ShownFaultWindow[] {
  const [from, to] = [BigInt(range.fromUnixNano), BigInt(range.toUnixNano)];
  return windows.filter((w) => {
    if (range.executionIds !== undefined && !range.executionIds.includes(w.executionId)) return false;
    const end = w.endUnixNano ?? w.executionEndUnixNano;
    return BigInt(w.startUnixNano) <= to && (end === undefined || BigInt(end) >= from);
  });
}

/** The stored windows, then the live ones of every execution the stored answer does not cover yet. */
export function mergeFaultWindows(stored: readonly FaultWindow[], live: readonly ShownFaultWindow[]): readonly ShownFaultWindow[] {
  if (live.length === 0) return stored;
  const recorded = new Set(stored.map((w) => w.executionId));
  return [...stored, ...live.filter((w) => !recorded.has(w.executionId))];
}

/** Whether the fault is in right now: a live window not undone whose execution still runs (stored ones have ended). */
export function isActiveNow(w: ShownFaultWindow): boolean {
  return w.live === true && w.endUnixNano === undefined && w.executionEndUnixNano === undefined;
}
