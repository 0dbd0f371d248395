// The studio's Chaos timeline as data: an experiment's faults as blocks on service lanes (start and
// duration in ms from the experiment's start), the phase bands they imply, and the edits the view makes
// (move, resize, snapping). Pure, so the view's arithmetic is tested here and the saved TOML
// (./experiment-toml.ts) is built from the same blocks. Phase semantics are experiment-plan.ts's:
// steady state until the first fault, during chaos until the last fault ends, then recovery.
import type { ExperimentTable } from '../spec/schema/chaos-experiment';
import { DEFAULT_FAULT_MS, DEFAULT_RECOVERY_MS, parseTiming, type PhaseName } from './experiment-plan';
import type { ParameterValue } from './fault-spec';

export interface TimelineBlock {
  /** Stable within one editing session (React keys, selection); not written to the file. */
  readonly id: string;
  readonly fault: string;
  readonly service: string;
  readonly startMs: number;
  readonly durationMs: number;
  /** The parameters the file gives (defaults are not written back unless the user sets them). */
  readonly params: Readonly<Record<string, ParameterValue>>;
  /** The timing text as the file wrote it, kept while the start is unchanged (a save then leaves it alone). */
  readonly timing?: string;
}

export interface Timeline {
  readonly name: string;
  /** `[chaos.experiment.steady_state] duration_s`: what `after_steady_state` is anchored to. */
  readonly steadyMs: number;
  readonly recoveryMs: number;
  readonly blocks: readonly TimelineBlock[];
}

export interface PhaseBand {
  readonly name: PhaseName;
  readonly startMs: number;
  readonly endMs: number;
}

/** Snap steps the view offers; a block never gets shorter than one step. */
export const SNAP_STEPS_MS = [500, 1000] as const;
/** The longest fault window the editor makes (10 minutes): beyond it a drag is a slip, not a plan. */
export const MAX_BLOCK_MS = 600_000;

const INJECTION_KEYS = new Set(['fault', 'target', 'timing', 'duration_s']);

export function snap(ms: number, stepMs: number): number {
  return Math.round(ms / stepMs) * stepMs;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The block moved by `deltaMs`, its start snapped and never before the experiment's start. */
export function moveBlock(block: TimelineBlock, deltaMs: number, stepMs: number): TimelineBlock {
  const startMs = clamp(snap(block.startMs + deltaMs, stepMs), 0, MAX_BLOCK_MS);
  return startMs === block.startMs ? block : { ...block, startMs, timing: undefined };
}

/** The block's duration changed by `deltaMs` (its right edge moved), snapped, at least one step long. */
export function resizeBlock(block: TimelineBlock, deltaMs: number, stepMs: number): TimelineBlock {
  const durationMs = clamp(snap(block.durationMs + deltaMs, stepMs), stepMs, MAX_BLOCK_MS);
  return durationMs === block.durationMs ? block : { ...block, durationMs };
}

/** The phase bands the blocks imply; none without a block (nothing to be steady before). */
export function phaseBands(t: Timeline): PhaseBand[] {
  if (t.blocks.length === 0) return [];
  const first = Math.min(...t.blocks.map((b) => b.startMs));
  const last = Math.max(...t.blocks.map((b) => b.startMs + b.durationMs));
  return [
    { name: 'steady_state', startMs: 0, endMs: first },
    { name: 'during_chaos', startMs: first, endMs: last },
    { name: 'recovery', startMs: last, endMs: last + t.recoveryMs },
  ];
}

/** Where the timeline ends: the end of recovery, or the steady state's length when there is no fault yet. */
export function timelineEndMs(t: Timeline): number {
  const bands = phaseBands(t);
  return bands.length > 0 ? bands[bands.length - 1]!.endMs : t.steadyMs;
}

/** The timing text for a start: `after_steady_state[_Ns]` from the steady state's end on, `at_Ns` before it. */
export function timingFor(startMs: number, steadyMs: number): string {
  const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))}s`;
  if (startMs === steadyMs) return 'after_steady_state';
  return startMs > steadyMs ? `after_steady_state_${seconds(startMs - steadyMs)}` : `at_${seconds(startMs)}`;
}

/** A block's start from its timing text; undefined when the text cannot be read (the validator says why). */
function startOf(timing: string | undefined, steadyMs: number): number | undefined {
  const t = parseTiming(timing);
  return typeof t === 'string' ? undefined : (t.anchor === 'steady' ? steadyMs : 0) + t.offsetMs;
}

function paramsOf(table: Readonly<Record<string, unknown>>): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const [k, v] of Object.entries(table)) {
    if (!INJECTION_KEYS.has(k) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) out[k] = v;
  }
  return out;
}

/** The timeline of an experiment as the file writes it (full or short form); an absent one is empty. */
export function timelineOf(e: ExperimentTable | undefined): Timeline {
  const steadyMs = (e?.steady_state?.duration_s ?? 0) * 1000;
  const recoveryMs = e?.recovery?.duration_s !== undefined ? e.recovery.duration_s * 1000 : DEFAULT_RECOVERY_MS;
  const tables: Record<string, unknown>[] = [...(e?.injection ?? [])];
  if (e?.fault !== undefined && e.target !== undefined) tables.push({ fault: e.fault, target: e.target, timing: e.timing, duration_s: e.duration_s });
  const blocks = tables.map((t, i): TimelineBlock => {
    const timing = typeof t.timing === 'string' ? t.timing : undefined;
    return {
      id: `b${i}`,
      fault: String(t.fault),
      service: String(t.target).replace(/^service:/, ''),
      startMs: startOf(timing, steadyMs) ?? steadyMs,
      durationMs: typeof t.duration_s === 'number' ? t.duration_s * 1000 : DEFAULT_FAULT_MS,
      params: paramsOf(t),
      ...(timing !== undefined ? { timing } : {}),
    };
  });
  return { name: e?.name ?? 'experiment', steadyMs, recoveryMs, blocks };
}

/** A new block for `fault` dropped on `service` at `atMs` (snapped), with the default fault window. */
export function newBlock(id: string, fault: string, service: string, atMs: number, stepMs: number): TimelineBlock {
  return { id, fault, service, startMs: clamp(snap(atMs, stepMs), 0, MAX_BLOCK_MS), durationMs: DEFAULT_FAULT_MS, params: {} };
}

/** A block as the `[[chaos.experiment.injection]]` table a save writes (its file's timing kept when still true). */
export function injectionEntries(block: TimelineBlock, steadyMs: number): Record<string, unknown> {
  const timing = block.timing !== undefined && startOf(block.timing, steadyMs) === block.startMs ? block.timing : timingFor(block.startMs, steadyMs);
  return { fault: block.fault, target: `service:${block.service}`, timing, duration_s: block.durationMs / 1000, ...block.params };
}
