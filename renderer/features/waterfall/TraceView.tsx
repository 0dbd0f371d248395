// The Trace view: header facts, toolbar (find, expand/collapse, critical path, zoom), minimap,
// ruler, the waterfall and the span detail panel.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { CSSProperties, PointerEvent } from 'react';
import { useStudio } from '../../app/store';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { getEvidenceMarks, getLoadedTrace } from './trace-holder';
import type { EvidenceMarks, TraceProgress } from './store.waterfall';
import { Waterfall } from './Waterfall';
import { TimeRuler } from './TimeRuler';
import { Minimap } from './Minimap';
import { FindBar } from './FindBar';
import { SpanDetail } from './SpanDetail';
import { ExportButton } from '../../app/ExportButton';
import { ImportingNote } from './ImportingNote';
// The graph brings React Flow and ELK: loaded when first shown, like the service map.
const TraceGraph = lazy(() => import('./TraceGraph').then((m) => ({ default: m.TraceGraph })));
import { formatClock, formatDuration } from './format';
import { useFaultWindows } from '../fault-bands/use-fault-windows';
import './waterfall.css';
import '../fault-bands/fault-bands.css';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function TraceView({ theme }: { theme: 'light' | 'dark' }) {
  const traceLoad = useStudio((s) => s.traceLoad);
  const progress = useStudio((s) => s.traceProgress);
  useStudio((s) => s.traceVersion);
  const criticalPathOn = useStudio((s) => s.criticalPathOn);
  const zoom = useStudio((s) => s.zoom);
  const expandAll = useStudio((s) => s.expandAll);
  const collapseAll = useStudio((s) => s.collapseAll);
  const toggleCriticalPath = useStudio((s) => s.toggleCriticalPath);
  const setZoom = useStudio((s) => s.setZoom);
  const openTrace = useStudio((s) => s.openTrace);
  const setView = useStudio((s) => s.setView);
  const evidence = useStudio((s) => s.evidence);
  const clearEvidence = useStudio((s) => s.clearEvidence);
  const nextEvidenceTrace = useStudio((s) => s.nextEvidenceTrace);
  const traceMode = useStudio((s) => s.traceMode);
  const setTraceMode = useStudio((s) => s.setTraceMode);
  const api = useApi();
  const findRef = useRef<HTMLInputElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const [nameWidth, setNameWidth] = useState<number | null>(null);
  // Spans keep arriving while a test runs: say so, and let the user reload when it suits them
  // (reloading under their hands would move rows while they read).
  const [arrived, setArrived] = useState<{ traceId: string; spanCount: number } | null>(null);
  const openId = traceLoad.status === 'idle' ? null : traceLoad.traceId;
  useEffect(() => {
    setArrived(null);
    if (api instanceof Error || !openId) return;
    return api.on('spansAdded', (batch) => {
      const summary = batch.traces.find((t) => t.traceId === openId);
      if (summary) setArrived({ traceId: openId, spanCount: summary.spanCount });
    });
  }, [api, openId]);
  const resizing = useRef(false);
  const onSplitter = {
    onPointerDown(e: PointerEvent<HTMLElement>) {
      e.currentTarget.setPointerCapture(e.pointerId);
      resizing.current = true;
    },
    onPointerMove(e: PointerEvent<HTMLElement>) {
      const box = sectionRef.current?.querySelector('.wf')?.getBoundingClientRect();
      if (!resizing.current || !box) return;
      setNameWidth(Math.round(Math.max(180, Math.min(box.width * 0.7, e.clientX - box.left))));
    },
    onPointerUp() {
      resizing.current = false;
    },
  };

  // The faults active while the open trace ran: bands on the ruler and behind the rows.
  const loaded = traceLoad.status === 'ready' ? getLoadedTrace() : undefined;
  const faults = useFaultWindows(loaded && loaded.tree.size > 0 ? { fromUs: loaded.tree.traceStartUs, toUs: loaded.tree.traceEndUs } : null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !isTyping(e.target))) {
        e.preventDefault();
        findRef.current?.focus();
        findRef.current?.select();
      } else if (!isTyping(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (e.key === 'c') toggleCriticalPath();
        else if (e.key === '0') setZoom([0, 1]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleCriticalPath, setZoom]);

  if (traceLoad.status === 'idle')
    return (
      <EmptyState title="No trace open">
        <p>Pick a trace in the Traces list (or press Enter on one) to see its spans here.</p>
        <button className="btn btn-primary" onClick={() => setView('traces')}>
          Go to Traces
        </button>
      </EmptyState>
    );
  if (traceLoad.status === 'loading') return <Loading label={`Loading trace ${traceLoad.traceId}…`} />;
  if (traceLoad.status === 'error')
    return (
      <ErrorState title="This trace could not be opened" problem={traceLoad.problem}>
        {!(api instanceof Error) && (
          <button className="btn" onClick={() => void openTrace(api, traceLoad.traceId)}>
            Try again
          </button>
        )}
      </ErrorState>
    );

  const trace = getLoadedTrace();
  if (!trace) return null;
  const { tree } = trace;
  if (tree.size === 0) return <EmptyState title="This trace has no spans">It was stored without spans; nothing to draw.</EmptyState>;
  const root = tree.spans[tree.roots[0]!]!;
  const totalUs = tree.traceEndUs - tree.traceStartUs;
  const zoomed = zoom[0] > 0 || zoom[1] < 1;

  return (
    <section className="trace-view" aria-label="Trace" ref={sectionRef} style={nameWidth ? ({ '--name-w': `${nameWidth}px` } as CSSProperties) : undefined}>
      <header className="trace-head">
        <div className="trace-title">
          <span className="trace-root-service">{root.serviceName}</span>
          <h1 className="view-title">{root.name}</h1>
        </div>
        <dl className="trace-facts">
          <div>
            <dt>Started</dt>
            <dd>{formatClock(tree.traceStartUs)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(totalUs)}</dd>
          </div>
          <div>
            <dt>Spans</dt>
            <dd data-testid="span-count">{tree.size.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Depth</dt>
            <dd>{(tree.maxDepth + 1).toLocaleString()}</dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>{trace.services.length}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd className={trace.errorCount > 0 ? 'wf-err-text' : ''}>{trace.errorCount.toLocaleString()}</dd>
          </div>
        </dl>
        <span className="trace-id mono faint" title="Trace id">
          {trace.traceId}
        </span>
        <ImportingNote key={trace.traceId} traceId={trace.traceId} />
        <div className="trace-modes" role="tablist" aria-label="Show the trace as">
          <button role="tab" className="btn btn-small" aria-selected={traceMode === 'waterfall'} onClick={() => setTraceMode('waterfall')}>
            Waterfall
          </button>
          <button role="tab" className="btn btn-small" aria-selected={traceMode === 'graph'} onClick={() => setTraceMode('graph')}>
            Operations graph
          </button>
        </div>
      </header>
      {progress && progress.traceId === trace.traceId && <LoadProgress progress={progress} />}
      {arrived && arrived.spanCount !== tree.size && (
        <div className="trace-arrived" role="status">
          This trace now has {arrived.spanCount.toLocaleString()} spans ({(arrived.spanCount - tree.size).toLocaleString()} new).
          <button className="btn btn-small" onClick={() => !(api instanceof Error) && void openTrace(api, arrived.traceId)}>
            Reload
          </button>
        </div>
      )}
      {evidence && evidence.traceId === trace.traceId && (
        <EvidenceBanner evidence={evidence} onBack={() => setView('tests')} onClear={clearEvidence} onNextTrace={() => !(api instanceof Error) && void nextEvidenceTrace(api)} />
      )}
      {traceMode === 'graph' && (
        <Suspense fallback={<Loading label="Loading the operations graph…" />}>
          <TraceGraph theme={theme} />
        </Suspense>
      )}
      {traceMode === 'waterfall' && (
        <>
          <div className="trace-toolbar" role="toolbar" aria-label="Waterfall tools">
            <FindBar ref={findRef} />
            <span className="toolbar-sep" />
            <button className="btn" onClick={expandAll} title="Expand every span">
              Expand all
            </button>
            <button className="btn" onClick={collapseAll} title="Collapse every span">
              Collapse all
            </button>
            <button className="btn" aria-pressed={criticalPathOn} onClick={toggleCriticalPath} title="Highlight the critical path (C)">
              Critical path
            </button>
            <button className="btn" onClick={() => setZoom([0, 1])} disabled={!zoomed} title="Show the whole trace (0)">
              Reset zoom
            </button>
            <ExportButton traceIds={[trace.traceId]} fileName={`trace-${trace.traceId}.otlp.json`} />
            <span className="toolbar-legend" title={trace.services.join(', ')}>
              {trace.services.slice(0, 8).map((name) => {
                const c = trace.colors.get(name);
                return (
                  <span key={name} className="chip">
                    <span className="dot" style={{ background: theme === 'dark' ? c?.dark : c?.light }} />
                    {name}
                  </span>
                );
              })}
              {trace.services.length > 8 && <span className="chip">+{trace.services.length - 8}</span>}
            </span>
          </div>
          <div className="trace-body">
            <div className="wf">
              <div className="wf-top">
                <div className="wf-top-label faint">
                  Overview {zoomed && <span>· zoomed to {formatDuration((zoom[1] - zoom[0]) * totalUs)}</span>}
                </div>
                <Minimap theme={theme} />
              </div>
              <div className="wf-header">
                <div className="wf-header-name">
                  Service &amp; operation
                  <span className="wf-splitter" role="separator" aria-orientation="vertical" aria-label="Resize the name column" title="Drag to resize; double-click to reset" onDoubleClick={() => setNameWidth(null)} {...onSplitter} />
                </div>
                <TimeRuler totalUs={totalUs} startUs={tree.traceStartUs} faults={faults} />
              </div>
              <Waterfall theme={theme} faults={faults} />
            </div>
            <SpanDetail theme={theme} />
          </div>
        </>
      )}
    </section>
  );
}

/** Says which check's evidence is marked, how much of it is in this trace, and leads back to the Tests view. */
function EvidenceBanner({ evidence, onBack, onClear, onNextTrace }: { evidence: EvidenceMarks; onBack: () => void; onClear: () => void; onNextTrace: () => void }) {
  const shown = getEvidenceMarks(evidence.spanIds).indices.length;
  const elsewhere = evidence.all.length - evidence.spanIds.length;
  const absent = evidence.spanIds.length - shown;
  return (
    <div className="trace-evidence" role="status" aria-label="Evidence">
      <span>
        Evidence for <strong>{evidence.label}</strong>: {shown} span{shown === 1 ? '' : 's'} marked
        {absent > 0 && `, ${absent} not stored in this trace`}
        {elsewhere > 0 && `, ${elsewhere} in other traces`}
      </span>
      {elsewhere > 0 && (
        <button className="btn btn-small" onClick={onNextTrace}>
          Next trace with evidence
        </button>
      )}
      <button className="btn btn-small" onClick={onBack}>
        Back to Tests
      </button>
      <button className="btn btn-small" onClick={onClear}>
        Clear marks
      </button>
    </div>
  );
}

/** How much of a streamed trace is in: "n of N spans" while it fills in, then "all loaded". */
function LoadProgress({ progress }: { progress: TraceProgress }) {
  return (
    <div className="trace-progress" role="status" data-testid="trace-progress" data-done={progress.done}>
      {progress.done ? (
        `All ${progress.total.toLocaleString()} spans loaded`
      ) : (
        <>
          <progress max={progress.total} value={progress.loaded} aria-label="Spans loaded" />
          Loading spans: {progress.loaded.toLocaleString()} of {progress.total.toLocaleString()} — the waterfall, minimap and critical path fill in as they arrive
        </>
      )}
    </div>
  );
}
