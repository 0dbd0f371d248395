// Which seconds the Chaos view asks for while an experiment runs: the complete seconds it has not asked
// for, plus the last few again, because a second's spans can arrive after it ended (a request still in
// flight, the sender's export batch, the store's flush).
import { MAX_LIVE_SECONDS } from '../../../shared/ipc/chaos-live-schema';

/** How long after a second ends its spans may still arrive: each poll asks this many seconds again. */
export const LATE_S = 5;
export const POLL_MS = 1000;

export interface SecondRange {
  readonly fromSecond: number;
  readonly toSecond: number;
}

/** The end (exclusive) of the seconds there is to ask for: the complete ones, not past the experiment's planned end. */
export function completeUntil(elapsedMs: number, endMs: number): number {
  return Math.min(Math.floor(elapsedMs / 1000), Math.ceil(endMs / 1000));
}

/** From `from` up to `completeUntil`, at most one answer's worth; undefined: nothing to ask yet. */
export function nextRange(from: number, elapsedMs: number, endMs: number): SecondRange | undefined {
  const toSecond = Math.min(completeUntil(elapsedMs, endMs), from + MAX_LIVE_SECONDS);
  return toSecond > from ? { fromSecond: from, toSecond } : undefined;
}

/** Where the next poll starts: where a cut-short answer stopped, else the late seconds of this one. */
export function resumeAt(asked: SecondRange, untilSecond: number): number {
  return untilSecond < asked.toSecond ? untilSecond : Math.max(asked.fromSecond, untilSecond - LATE_S);
}
