// The Chaos view's editing state and what a run shows on it, as pure functions the view calls: the
// reducer behind drag, keyboard and inspector edits (on shared/chaos/timeline.ts's snapped arithmetic),
// the key bindings, and a run's fault windows and phase verdicts read from its typed events (./phase-verdicts.ts).
import { moveBlock, newBlock, resizeBlock, type Timeline, type TimelineBlock } from '../../../shared/chaos/timeline';
import type { ParameterValue } from '../../../shared/chaos/fault-spec';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { RunEvent } from '../../../shared/run/events';
import { phaseVerdicts, type PhaseVerdict } from './phase-verdicts';

export interface EditState {
  /** As the file says it (Save is on when `timeline` differs). */
  readonly saved: Timeline;
  readonly timeline: Timeline;
  readonly selected: string | null;
  readonly stepMs: number;
  readonly nextId: number;
}

export type EditAction =
  | { type: 'reset'; timeline: Timeline }
  | { type: 'add'; fault: string; service: string; atMs: number }
  /** `from`: the block as it was when a pointer drag began (deltas are measured from there). */
  | { type: 'move' | 'resize'; id: string; deltaMs: number; from?: TimelineBlock }
  | { type: 'lane'; id: string; service: string }
  | { type: 'remove'; id: string }
  | { type: 'params'; id: string; params: Readonly<Record<string, ParameterValue>> }
  | { type: 'select'; id: string | null }
  | { type: 'step'; stepMs: number };

export function initialEdit(timeline: Timeline, stepMs = 500): EditState {
  return { saved: timeline, timeline, selected: null, stepMs, nextId: timeline.blocks.length };
}

function replace(s: EditState, id: string, change: (b: TimelineBlock) => TimelineBlock): EditState {
  const blocks = s.timeline.blocks.map((b) => (b.id === id ? change(b) : b));
  return { ...s, timeline: { ...s.timeline, blocks } };
}

export function editReducer(s: EditState, a: EditAction): EditState {
  switch (a.type) {
    case 'reset':
      return initialEdit(a.timeline, s.stepMs);
    case 'add': {
      const block = newBlock(`n${s.nextId}`, a.fault, a.service, a.atMs, s.stepMs);
      return { ...s, timeline: { ...s.timeline, blocks: [...s.timeline.blocks, block] }, selected: block.id, nextId: s.nextId + 1 };
    }
    case 'move':
      return replace(s, a.id, (b) => moveBlock(a.from ?? b, a.deltaMs, s.stepMs));
    case 'resize':
      return replace(s, a.id, (b) => resizeBlock(a.from ?? b, a.deltaMs, s.stepMs));
    case 'lane':
      return replace(s, a.id, (b) => (b.service === a.service ? b : { ...b, service: a.service }));
    case 'remove':
      return { ...s, timeline: { ...s.timeline, blocks: s.timeline.blocks.filter((b) => b.id !== a.id) }, selected: s.selected === a.id ? null : s.selected };
    case 'params':
      return replace(s, a.id, (b) => ({ ...b, params: a.params }));
    case 'select':
      return { ...s, selected: a.id };
    case 'step':
      return { ...s, stepMs: a.stepMs };
  }
}

/** Whether the timeline says something else than the file. */
export function isDirty(s: EditState): boolean {
  return JSON.stringify(s.timeline) !== JSON.stringify(s.saved);
}

/**
 * A key on a selected block: arrows move it by one step, Shift+arrows resize it, Alt+Up/Down move it to
 * the lane above or below, Delete and Backspace remove it.
 */
export function keyAction(key: { key: string; shiftKey: boolean; altKey: boolean }, block: TimelineBlock, stepMs: number, services: readonly string[]): EditAction | undefined {
  const id = block.id;
  const sign = key.key === 'ArrowRight' ? 1 : key.key === 'ArrowLeft' ? -1 : 0;
  if (sign !== 0) return { type: key.shiftKey ? 'resize' : 'move', id, deltaMs: sign * stepMs };
  if (key.altKey && (key.key === 'ArrowUp' || key.key === 'ArrowDown')) {
    const lane = services.indexOf(block.service) + (key.key === 'ArrowUp' ? -1 : 1);
    const service = services[lane];
    return service === undefined ? undefined : { type: 'lane', id, service };
  }
  if (key.key === 'Delete' || key.key === 'Backspace') return { type: 'remove', id };
  return undefined;
}

export interface FaultWindow {
  readonly fault: string;
  readonly service: string;
  readonly startMs: number;
  /** Undefined while the fault is in. */
  readonly endMs?: number;
  readonly failed?: string;
}

export interface LiveRun {
  /** Epoch ms of the experiment's time zero, once an event has told it. */
  readonly t0?: number;
  /** The execution whose event told it (its spans are the experiment's traffic). */
  readonly executionId?: string;
  readonly windows: readonly FaultWindow[];
  readonly verdicts: readonly PhaseVerdict[];
}

/**
 * The experiment's time zero and execution (from its `experiment-started` event, else its first fault's
 * offset), the fault windows (from its `fault` events) and each phase's verdicts as they are decided, then final.
 */
export function liveRun(events: readonly RunEvent[], finished: EventPayload<'runFinished'> | null): LiveRun {
  let t0: number | undefined;
  let executionId: string | undefined;
  const windows: FaultWindow[] = [];
  for (const e of events) {
    if (e.type === 'experiment-started' && t0 === undefined) [t0, executionId] = [e.startedAtMs, e.executionId];
    if (e.type !== 'fault' || e.offsetMs === undefined) continue;
    t0 ??= e.at - e.offsetMs;
    executionId ??= e.executionId;
    const open = windows.findIndex((w) => w.fault === e.fault && w.service === e.target && w.endMs === undefined && w.failed === undefined);
    if (e.state === 'injected') windows.push({ fault: e.fault, service: e.target, startMs: e.offsetMs });
    else if (open >= 0) windows[open] = { ...windows[open]!, endMs: e.offsetMs, ...(e.state === 'failed' ? { failed: e.detail ?? 'failed' } : {}) };
    else if (e.state === 'failed') windows.push({ fault: e.fault, service: e.target, startMs: e.offsetMs, endMs: e.offsetMs, failed: e.detail ?? 'failed' });
  }
  const verdicts = phaseVerdicts(events, finished, executionId);
  return { ...(t0 !== undefined ? { t0 } : {}), ...(executionId !== undefined ? { executionId } : {}), windows, verdicts };
}
