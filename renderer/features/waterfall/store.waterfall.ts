// Waterfall slice: what the user is doing with the open trace (selection, collapse state version,
// find, zoom, critical path). The trace itself is in ./trace-holder (not reactive, on purpose).
import type { StateCreator } from 'zustand';
import type { EvidenceSpan, StudioApi } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';
import type { Problem } from '../../../shared/errors';
import { collapseAll, revealSpan, rowOf } from '../../../shared/trace';
import { getEvidenceMarks, getFindResult, getLoadedTrace, getRows, growLoadedTrace, setLoadedTrace } from './trace-holder';
import { loadStreamedTrace } from './trace-stream-loader';
import { canStream } from '../../api/get-api';
import { nextPaint } from '../../app/after-paint';
import type { StudioStore } from '../../app/store';

/** Spans a test check pointed at, marked in the open trace (see openEvidence). */
export interface EvidenceMarks {
  traceId: string;
  /** The check they are evidence for, as the Tests view names it. */
  label: string;
  /** Evidence span ids in this trace. */
  spanIds: readonly string[];
  /** Every evidence span of the check, in all traces (to go on to the next trace holding some). */
  all: readonly EvidenceSpan[];
}

export type TraceLoad = { status: 'idle' } | { status: 'loading'; traceId: string } | { status: 'ready'; traceId: string } | { status: 'error'; traceId: string; problem: Problem };

/** How much of a streamed trace is loaded (null when it came whole). */
export interface TraceProgress {
  traceId: string;
  loaded: number;
  total: number;
  done: boolean;
}

export interface WaterfallSlice {
  traceLoad: TraceLoad;
  traceProgress: TraceProgress | null;
  /** Bumps when a new trace is loaded. */
  traceVersion: number;
  /** Bumps whenever the collapsed flags change. */
  collapseVersion: number;
  /** Selected span index, -1 for none. */
  selected: number;
  findQuery: string;
  /** Index into the match list of the current match, -1 before the first "next". */
  matchCursor: number;
  criticalPathOn: boolean;
  /** Zoomed time window as fractions [0..1] of the trace duration. */
  zoom: readonly [number, number];
  /** Row the waterfall should bring into view (set by keyboard/find; the view clears it). */
  scrollRequest: { row: number; nonce: number } | null;
  /** Evidence of a test check shown in the open trace; null when none (opening any trace clears it). */
  evidence: EvidenceMarks | null;
  openTrace(api: StudioApi, traceId: string): Promise<void>;
  /** Opens the trace (unless it is open already) and selects the span with this id, revealed and in view; false when the span is not there. */
  openSpan(api: StudioApi, traceId: string, spanId: string): Promise<boolean>;
  /** For callers that already hold the spans (import, harness). */
  showSpans(traceId: string, spans: Parameters<typeof setLoadedTrace>[1]): void;
  /** More spans of the open trace (a stream filling in): selection, collapse and zoom stay. */
  growSpans(traceId: string, spans: Parameters<typeof setLoadedTrace>[1]): void;
  toggleCollapsed(span: number, collapsed?: boolean): void;
  expandAll(): void;
  collapseAll(): void;
  select(span: number, scroll?: boolean): void;
  /** The open trace as its span waterfall or as its operation graph. */
  traceMode: 'waterfall' | 'graph';
  setTraceMode(mode: 'waterfall' | 'graph'): void;
  /** Back to the waterfall with span `span` revealed (its ancestors expanded), selected and scrolled to. */
  showSpan(span: number): void;
  setFindQuery(query: string): void;
  stepMatch(direction: 1 | -1): void;
  toggleCriticalPath(): void;
  setZoom(zoom: readonly [number, number]): void;
  /**
   * Opens the trace of `spans[0]` (unless it is open already), marks every evidence span of that
   * trace, reveals them, and selects and scrolls to the first one.
   */
  openEvidence(api: StudioApi, label: string, spans: readonly EvidenceSpan[]): Promise<void>;
  clearEvidence(): void;
  /** Opens the evidence of the same check in the next trace that holds some (wraps around). */
  nextEvidenceTrace(api: StudioApi): Promise<void>;
}

let nonce = 0;
/** Bumps with every openTrace: an older request's answer (or the rest of its stream) is dropped. */
let openRequest = 0;

export const createWaterfallSlice: StateCreator<StudioStore, [], [], WaterfallSlice> = (set, get) => ({
  traceLoad: { status: 'idle' },
  traceProgress: null,
  traceVersion: 0,
  collapseVersion: 0,
  selected: -1,
  traceMode: 'waterfall',
  findQuery: '',
  matchCursor: -1,
  criticalPathOn: false,
  zoom: [0, 1],
  scrollRequest: null,
  evidence: null,

  async openTrace(api, traceId) {
    const request = ++openRequest;
    set({ traceLoad: { status: 'loading', traceId }, traceProgress: null, view: 'trace' });
    // Superseded by a later openTrace, or by spans shown directly (an import) of another trace.
    const current = (): boolean => request === openRequest && (get().traceLoad as { traceId?: string }).traceId === traceId;
    try {
      performance.mark('trace:request');
      if (canStream(api)) {
        await loadStreamedTrace(api, traceId, {
          current,
          first: (spans) => get().showSpans(traceId, spans),
          grow: (spans) => get().growSpans(traceId, spans),
          progress: (loaded, total, done) => set({ traceProgress: { traceId, loaded, total, done } }),
          painted: () => nextPaint(),
        });
        return;
      }
      const { spans } = await api.getTrace({ traceId });
      if (current()) get().showSpans(traceId, spans);
    } catch (error) {
      if (current()) set({ traceLoad: { status: 'error', traceId, problem: toProblem(error) }, traceProgress: null });
    }
  },

  async openSpan(api, traceId, spanId) {
    const now = get().traceLoad;
    if (now.status === 'ready' && now.traceId === traceId && getLoadedTrace()?.traceId === traceId) set({ view: 'trace' });
    else await get().openTrace(api, traceId);
    const after = get().traceLoad;
    const t = getLoadedTrace();
    if (after.status !== 'ready' || after.traceId !== traceId || !t || t.traceId !== traceId) return false;
    const index = t.tree.spans.findIndex((s) => s.spanId === spanId);
    if (index >= 0) get().showSpan(index);
    return index >= 0;
  },

  showSpans(traceId, spans) {
    performance.mark('trace:build-start');
    const loaded = setLoadedTrace(traceId, spans);
    performance.mark('trace:build-end');
    set((s) => ({
      traceLoad: { status: 'ready', traceId },
      traceVersion: s.traceVersion + 1,
      collapseVersion: s.collapseVersion + 1,
      selected: loaded.tree.size > 0 ? loaded.tree.preorder[0]! : -1,
      findQuery: '',
      matchCursor: -1,
      zoom: [0, 1],
      scrollRequest: null,
      evidence: null,
      view: 'trace',
    }));
  },

  growSpans(traceId, spans) {
    if (getLoadedTrace()?.traceId !== traceId) return get().showSpans(traceId, spans);
    growLoadedTrace(traceId, spans);
    set((s) => ({ traceVersion: s.traceVersion + 1, collapseVersion: s.collapseVersion + 1 }));
  },

  toggleCollapsed(span, collapsed) {
    const t = getLoadedTrace();
    if (!t || span < 0 || t.tree.descendants[span] === 0) return;
    const next = collapsed ?? !t.collapsed[span];
    if (!!t.collapsed[span] === next) return;
    t.collapsed[span] = next ? 1 : 0;
    set((s) => ({ collapseVersion: s.collapseVersion + 1 }));
  },

  expandAll() {
    const t = getLoadedTrace();
    if (!t) return;
    t.collapsed.fill(0);
    set((s) => ({ collapseVersion: s.collapseVersion + 1 }));
  },

  collapseAll() {
    const t = getLoadedTrace();
    if (!t) return;
    collapseAll(t.tree, t.collapsed);
    // The selection moves to its root so it stays visible.
    let root = get().selected;
    while (root >= 0 && t.tree.parent[root]! !== -1) root = t.tree.parent[root]!;
    set((s) => ({ collapseVersion: s.collapseVersion + 1, selected: root }));
  },

  select(span, scroll = false) {
    const t = getLoadedTrace();
    if (!t) return;
    if (!scroll) return set({ selected: span });
    const rows = getRows(get().collapseVersion);
    set({ selected: span, scrollRequest: { row: rowOf(t.tree, rows, span), nonce: ++nonce } });
  },

  setTraceMode: (mode) => set({ traceMode: mode }),

  showSpan(span) {
    const t = getLoadedTrace();
    if (!t || span < 0 || span >= t.tree.size) return;
    const changed = revealSpan(t.tree, t.collapsed, span);
    const collapseVersion = get().collapseVersion + (changed ? 1 : 0);
    const rows = getRows(collapseVersion);
    set({ traceMode: 'waterfall', selected: span, collapseVersion, scrollRequest: { row: rowOf(t.tree, rows, span), nonce: ++nonce } });
  },

  setFindQuery(query) {
    set({ findQuery: query, matchCursor: -1 });
  },

  stepMatch(direction) {
    const t = getLoadedTrace();
    const { findQuery, matchCursor } = get();
    if (!t) return;
    const { matches } = getFindResult(findQuery);
    if (matches.length === 0) return;
    const cursor = matchCursor === -1 ? (direction === 1 ? 0 : matches.length - 1) : (matchCursor + direction + matches.length) % matches.length;
    const span = matches[cursor]!;
    const changed = revealSpan(t.tree, t.collapsed, span);
    const collapseVersion = get().collapseVersion + (changed ? 1 : 0);
    const rows = getRows(collapseVersion);
    set({ matchCursor: cursor, selected: span, collapseVersion, scrollRequest: { row: rowOf(t.tree, rows, span), nonce: ++nonce } });
  },

  toggleCriticalPath() {
    set((s) => ({ criticalPathOn: !s.criticalPathOn }));
  },

  async openEvidence(api, label, spans) {
    const first = spans[0];
    if (!first) return;
    const now = get().traceLoad;
    if (now.status === 'ready' && now.traceId === first.traceId && getLoadedTrace()?.traceId === first.traceId) set({ view: 'trace' });
    else await get().openTrace(api, first.traceId);
    // A failed load shows its error in the Trace view; a newer request wins over this one.
    const after = get().traceLoad;
    const t = getLoadedTrace();
    if (after.status !== 'ready' || after.traceId !== first.traceId || !t || t.traceId !== first.traceId) return;
    const spanIds = spans.filter((e) => e.traceId === first.traceId).map((e) => e.spanId);
    const { indices } = getEvidenceMarks(spanIds);
    let changed = false;
    for (let k = 0; k < indices.length; k++) changed = revealSpan(t.tree, t.collapsed, indices[k]!) || changed;
    const collapseVersion = get().collapseVersion + (changed ? 1 : 0);
    const evidence = { traceId: first.traceId, label, spanIds, all: spans };
    if (indices.length === 0) return set({ evidence, collapseVersion, traceMode: 'waterfall' });
    const target = indices[0]!;
    set({ evidence, collapseVersion, traceMode: 'waterfall', selected: target, scrollRequest: { row: rowOf(t.tree, getRows(collapseVersion), target), nonce: ++nonce } });
  },

  clearEvidence() {
    set({ evidence: null });
  },

  async nextEvidenceTrace(api) {
    const ev = get().evidence;
    if (!ev) return;
    const traces = [...new Set(ev.all.map((e) => e.traceId))];
    const next = traces[(traces.indexOf(ev.traceId) + 1) % traces.length];
    if (next === undefined || next === ev.traceId) return;
    // Same list, that trace's spans first: openEvidence opens the trace of the first span.
    await get().openEvidence(api, ev.label, [...ev.all.filter((e) => e.traceId === next), ...ev.all.filter((e) => e.traceId !== next)]);
  },

  setZoom(zoom) {
    const a = Math.max(0, Math.min(1, Math.min(zoom[0], zoom[1])));
    const b = Math.max(0, Math.min(1, Math.max(zoom[0], zoom[1])));
    // Keep a minimum window so bars never divide by ~0.
    set({ zoom: b - a < 1e-6 ? [Math.max(0, a - 5e-7), Math.min(1, a + 5e-7)] : [a, b] });
  },
});
