// The span waterfall: a windowed ARIA treegrid. Only the rows in view exist in the DOM; the row
// list itself is a typed array from shared/trace (flattened iteratively), so a million spans or a
// 50,000-deep chain cost the same per frame as a hundred.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { flushSync } from 'react-dom';
import { useStudio } from '../../app/store';
import { frameStats } from '../../app/frame-stats';
import { parseFindQuery, rowOf } from '../../../shared/trace';
import type { CriticalSection } from '../../../shared/trace';
import { getCriticalPath, getEvidenceMarks, getFindResult, getLoadedTrace, getRows, getSlack } from './trace-holder';
import { ROW_H, scrollTopFor, windowFor } from './geometry';
import { WaterfallRow } from './WaterfallRow';
import { ticks } from './format';
import type { ShownFaultWindow } from '../fault-bands/live-fault-windows';
import { FaultBands } from '../fault-bands/FaultBands';
import { afterPaint } from '../../app/after-paint';

const OVERSCAN = 5;

/** `faults`: the windows drawn as bands behind the rows (the ruler above labels them). */
export function Waterfall({ theme, faults }: { theme: 'light' | 'dark'; faults: readonly ShownFaultWindow[] }) {
  const traceVersion = useStudio((s) => s.traceVersion);
  const collapseVersion = useStudio((s) => s.collapseVersion);
  const selected = useStudio((s) => s.selected);
  const findQuery = useStudio((s) => s.findQuery);
  const matchCursor = useStudio((s) => s.matchCursor);
  const criticalPathOn = useStudio((s) => s.criticalPathOn);
  const zoom = useStudio((s) => s.zoom);
  const scrollRequest = useStudio((s) => s.scrollRequest);
  const evidence = useStudio((s) => s.evidence);
  const select = useStudio((s) => s.select);
  const toggleCollapsed = useStudio((s) => s.toggleCollapsed);

  const trace = getLoadedTrace();
  const rows = useMemo(() => getRows(collapseVersion), [collapseVersion, traceVersion]);
  const find = useMemo(() => getFindResult(findQuery), [findQuery, traceVersion]);
  const evidenceMarks = useMemo(() => (evidence && evidence.traceId === trace?.traceId ? getEvidenceMarks(evidence.spanIds).isEvidence : null), [evidence, traceVersion, trace]);
  const currentMatch = matchCursor >= 0 ? (find.matches[matchCursor] ?? -1) : -1;
  const sectionsBySpan = useMemo(() => {
    if (!criticalPathOn) return null;
    const cp = getCriticalPath();
    const map = new Map<number, CriticalSection[]>();
    for (const c of cp?.sections ?? []) {
      const list = map.get(c.span);
      if (list) list.push(c);
      else map.set(c.span, [c]);
    }
    return { map, onPath: cp?.onPath ?? new Uint8Array(0), slack: getSlack() };
  }, [criticalPathOn, traceVersion]);
  const q = parseFindQuery(findQuery);
  const highlight = q?.text ?? '';

  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const el = viewportRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // New trace: back to the top, and tell the harness when the first rows are on screen.
  useEffect(() => {
    if (viewportRef.current) viewportRef.current.scrollTop = 0;
    setScrollTop(0);
    if (traceVersion === 0) return;
    afterPaint(() => {
      performance.mark('waterfall:rows-painted');
      window.dispatchEvent(new CustomEvent('studio:rows-painted', { detail: { traceVersion } }));
    });
  }, [traceVersion]);

  useEffect(() => {
    const el = viewportRef.current;
    if (!scrollRequest || !el || scrollRequest.row < 0) return;
    const top = scrollTopFor(rows.length, el.clientHeight, el.scrollTop, scrollRequest.row);
    if (Math.abs(top - el.scrollTop) > 0.5) el.scrollTop = top;
  }, [scrollRequest, rows]);

  // Scroll events are coalesced into one render per animation frame, done synchronously at the
  // start of the frame: reading scrollTop there costs no forced layout, and the frame's own
  // layout and paint then happen once, with the new rows.
  const frameRequest = useRef(0);
  const onScroll = useCallback(() => {
    if (frameRequest.current) return;
    frameRequest.current = requestAnimationFrame(() => {
      frameRequest.current = 0;
      const el = viewportRef.current;
      if (!el) return;
      const t0 = performance.now();
      flushSync(() => setScrollTop(el.scrollTop));
      frameStats.record(performance.now() - t0);
    });
  }, []);
  useEffect(() => () => cancelAnimationFrame(frameRequest.current), []);

  const win = windowFor(rows.length, height, scrollTop);
  // A few extra rows above and below so fast scrolling shows rows, not gaps, before React catches up.
  const from = Math.max(0, win.first - OVERSCAN);
  const last = Math.min(rows.length, win.first + win.count + OVERSCAN);
  const selectedRow = useMemo(() => (selected >= 0 && trace ? rowOf(trace.tree, rows, selected) : -1), [rows, selected, trace]);

  const moveTo = useCallback(
    (row: number) => {
      if (rows.length === 0) return;
      const r = Math.max(0, Math.min(rows.length - 1, row));
      const el = viewportRef.current;
      select(rows[r]!);
      if (el) {
        const top = scrollTopFor(rows.length, el.clientHeight, el.scrollTop, r);
        if (Math.abs(top - el.scrollTop) > 0.5) el.scrollTop = top;
      }
    },
    [rows, select],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!trace) return;
    const page = Math.max(1, Math.floor(height / ROW_H) - 1);
    const cur = selectedRow === -1 ? 0 : selectedRow;
    const span = selected;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    switch (e.key) {
      case 'ArrowDown':
        handled();
        return moveTo(selectedRow === -1 ? 0 : cur + 1);
      case 'ArrowUp':
        handled();
        return moveTo(cur - 1);
      case 'PageDown':
        handled();
        return moveTo(cur + page);
      case 'PageUp':
        handled();
        return moveTo(cur - page);
      case 'Home':
        handled();
        return moveTo(0);
      case 'End':
        handled();
        return moveTo(rows.length - 1);
      case 'ArrowRight':
        handled();
        if (span < 0) return;
        if (trace.tree.descendants[span]! > 0 && trace.collapsed[span]) return toggleCollapsed(span, false);
        if (trace.tree.descendants[span]! > 0) return moveTo(cur + 1);
        return;
      case 'ArrowLeft': {
        handled();
        if (span < 0) return;
        if (trace.tree.descendants[span]! > 0 && !trace.collapsed[span]) return toggleCollapsed(span, true);
        const parent = trace.tree.parent[span]!;
        if (parent !== -1) moveTo(rowOf(trace.tree, rows, parent));
        return;
      }
      case 'Enter':
      case ' ':
        handled();
        if (span >= 0) toggleCollapsed(span);
        return;
    }
  };

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>('[data-span]');
    if (!row) return;
    const span = Number(row.dataset.span);
    if (target.closest('[data-toggle]')) toggleCollapsed(span);
    select(span);
    viewportRef.current?.focus({ preventScroll: true });
  };

  if (!trace) return null;
  const total = Math.max(trace.tree.traceEndUs - trace.tree.traceStartUs, 1e-9);
  const gridTicks = ticks(zoom[0] * total, zoom[1] * total, 6).map((t) => ((t - zoom[0] * total) / ((zoom[1] - zoom[0]) * total)) * 100);

  // Rows live in a fixed pool of slots: row r always uses slot r % pool, and slots are rendered in
  // slot order. Scrolling by k rows therefore rewrites only k slots in place; the rows that stay
  // on screen keep their props (memo skips them) and no DOM node is created, removed or moved.
  const pool = win.count + 2 * OVERSCAN;
  const rendered = [];
  for (let slot = 0; slot < pool; slot++) {
    const r = from + ((((slot - from) % pool) + pool) % pool);
    if (r >= last) {
      rendered.push(null);
      continue;
    }
    const span = rows[r]!;
    rendered.push(
      <WaterfallRow
        key={slot}
        trace={trace}
        span={span}
        rowIndex={r}
        top={win.rowBase + r * ROW_H}
        selected={span === selected}
        match={find.isMatch[span] === 1}
        currentMatch={span === currentMatch}
        evidenceFor={evidenceMarks?.[span] === 1 ? evidence!.label : undefined}
        collapsed={trace.collapsed[span] === 1}
        dimmed={sectionsBySpan !== null && sectionsBySpan.onPath[span] !== 1}
        sections={sectionsBySpan?.map.get(span)}
        slackUs={sectionsBySpan?.slack?.[span]}
        zoomFrom={zoom[0]}
        zoomTo={zoom[1]}
        highlight={highlight}
        theme={theme}
      />,
    );
  }

  return (
    <div
      ref={viewportRef}
      className="wf-viewport"
      role="treegrid"
      aria-label="Span waterfall"
      aria-rowcount={rows.length}
      aria-colcount={2}
      aria-multiselectable={false}
      aria-activedescendant={selected >= 0 && selectedRow >= from && selectedRow < last ? `wf-row-${selected}` : undefined}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      onClick={onClick}
      data-rows={rows.length}
      data-first-row={win.first}
    >
      <div className="wf-gridlines" aria-hidden="true" style={{ height, marginBottom: -height }}>
        {gridTicks.map((x, k) => (
          <span key={k} style={{ left: `${x}%` }} />
        ))}
        <FaultBands windows={faults} fromUs={trace.tree.traceStartUs + zoom[0] * total} toUs={trace.tree.traceStartUs + zoom[1] * total} labelled={false} />
      </div>
      <div className="wf-rows" style={{ height: win.spacer }}>
        {rendered}
      </div>
    </div>
  );
}
