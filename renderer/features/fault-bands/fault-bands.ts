// Fault windows as the views draw them: bands clipped to a view's time window (as fractions of its width),
// what a band says about its fault, and which services and calls of the service map a fault touched.
// Pure, so the px mapping and the marking are tested without a browser.
import { windowMicros } from '../../../shared/chaos/fault-windows';
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { nanoToMicros } from '../../../shared/model/time';
import { formatClock, formatDuration } from '../waterfall/format';
import { isActiveNow, type ShownFaultWindow } from './live-fault-windows';

export interface FaultBand {
  readonly key: string;
  /** Fractions of the view's width (0 = its left edge); both within [0, 1]. */
  readonly left: number;
  readonly width: number;
  /** The fault's short name on the band, and everything about it for its tooltip and accessible name. */
  readonly label: string;
  readonly description: string;
  /** The fault is still in (a live window): its band runs on to the view's end. */
  readonly ongoing: boolean;
}

/** µs since the epoch → the range form the fault-window call takes (unix ns, widened to whole µs). */
export function nanoRange(fromUs: number, toUs: number): { fromUnixNano: string; toUnixNano: string } {
  const lo = Math.max(0, Math.floor(Math.min(fromUs, toUs)));
  const hi = Math.max(0, Math.ceil(Math.max(fromUs, toUs)));
  return { fromUnixNano: (BigInt(lo) * 1000n).toString(), toUnixNano: (BigInt(hi) * 1000n).toString() };
}

/** Where a window ends on screen: its end, else (never undone) its execution's end, else the view's end. */
function spanOf(w: FaultWindow, viewEndUs: number): { startUs: number; endUs: number } {
  return windowMicros(w, w.executionEndUnixNano !== undefined ? nanoToMicros(w.executionEndUnixNano) : viewEndUs);
}

export function faultLabel(w: FaultWindow): string {
  return `${w.fault} on ${w.serviceName}${w.peerName !== undefined ? ` ↔ ${w.peerName}` : ''}`;
}

/**
 * e.g. "container_pause on db, 18:00:01.000 to 18:00:03.000 (2.00 s), undone; scenario fault at scenario[0].chaos_injection";
 * a window read from a running execution's events ends "(live)", and says "on, ongoing" while the fault is in.
 */
export function faultDescription(w: ShownFaultWindow, viewEndUs: number): string {
  const { startUs, endUs } = spanOf(w, viewEndUs);
  const params = w.params !== '' ? ` (${w.params})` : '';
  const ending =
    w.endUnixNano !== undefined
      ? `to ${formatClock(endUs)} (${formatDuration(endUs - startUs)}), undone`
      : w.irreversible
        ? 'on, irreversible (a kill: nothing to undo)'
        : w.revertError === undefined && isActiveNow(w)
          ? 'on, ongoing'
          : `on, never undone${w.revertError !== undefined ? `: ${w.revertError}` : ''}`;
  return `${faultLabel(w)}${params}, from ${formatClock(startUs)} ${ending}; ${w.source} fault at ${w.path}${w.live ? ' (live)' : ''}`;
}

/** Bands for the windows overlapping [fromUs, toUs], clipped to it; a zero-width view or window gets none. */
export function bandsIn(windows: readonly ShownFaultWindow[], fromUs: number, toUs: number): FaultBand[] {
  const span = toUs - fromUs;
  if (!(span > 0)) return [];
  return windows.flatMap((w, i): FaultBand[] => {
    const { startUs, endUs } = spanOf(w, toUs);
    const a = Math.max(startUs, fromUs);
    const b = Math.min(endUs, toUs);
    if (b < a) return [];
    return [{ key: `${w.executionId}:${w.path}:${i}`, left: (a - fromUs) / span, width: (b - a) / span, label: w.fault, description: faultDescription(w, toUs), ongoing: isActiveNow(w) }];
  });
}

/**
 * The windows the service map marks: a live map (its time is now) marks only the faults in right now, so a
 * mark clears when its fault is reverted; a map of a time range or of a run marks every fault in it.
 */
export function windowsOnMap(windows: readonly ShownFaultWindow[], atNow: boolean): readonly ShownFaultWindow[] {
  return atNow ? windows.filter(isActiveNow) : windows;
}

/** Each service (by the name its spans carry) with the faults on it. */
export function faultedServices(windows: readonly FaultWindow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const w of windows) {
    const list = out.get(w.serviceName) ?? [];
    if (!list.includes(w.fault)) list.push(w.fault);
    out.set(w.serviceName, list);
  }
  return out;
}

/** Whether a call from → to went through a fault: into or out of a faulted service, or between a peer fault's pair. */
export function isFaultedEdge(windows: readonly FaultWindow[], from: string, to: string): boolean {
  return windows.some((w) =>
    w.peerName !== undefined ? (w.serviceName === from && w.peerName === to) || (w.serviceName === to && w.peerName === from) : w.serviceName === from || w.serviceName === to,
  );
}
