// Traces list: filter by service, operation, attribute, duration, status and run; sort; a
// duration-over-time scatter above the list (drag across it to narrow to a time range); open a
// trace with a click (list or plot) or the keyboard (↑/↓ then Enter).
import { useCallback, useEffect, useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { useStudio } from '../../app/store';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { assignServiceColors } from '../../../shared/trace';
import { formatClock, formatDuration } from '../waterfall/format';
import { ImportButton, useFileDrop, useTraceImport } from './ImportButton';
import { DemoNotice, FirstRunCard } from './FirstRun';
import { ReceiverAddress } from '../../app/ReceiverHint';
import { DurationScatter } from './DurationScatter';
import { ClearButton } from './ClearButton';
import { ExportButton } from '../../app/ExportButton';
import { parseDurationBounds } from './duration-filter';
import './traces.css';

export function TracesView({ theme }: { theme: 'light' | 'dark' }) {
  const api = useApi();
  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  return <ConnectedTracesView api={api} theme={theme} />;
}

function ConnectedTracesView({ api, theme }: { api: StudioApi; theme: 'light' | 'dark' }) {
  const query = useStudio((s) => s.tracesQuery);
  const traces = useStudio((s) => s.traces);
  const total = useStudio((s) => s.tracesTotal);
  const status = useStudio((s) => s.tracesStatus);
  const problem = useStudio((s) => s.tracesProblem);
  const setQuery = useStudio((s) => s.setTracesQuery);
  const loadTraces = useStudio((s) => s.loadTraces);
  const openTrace = useStudio((s) => s.openTrace);
  const storeEmpty = useStudio((s) => s.storeEmpty);
  const checkStoreStatus = useStudio((s) => s.checkStoreStatus);
  const [cursor, setCursor] = useState(0);
  const [attributeText, setAttributeText] = useState(() => query.attributes?.map((a) => `${a.key}=${a.value}`).join(' ') ?? '');
  const attributeProblem = attributeText.trim() !== '' && parseAttributes(attributeText) === undefined;
  const listEmpty = status === 'ready' && traces.length === 0;
  const [durationText, setDurationText] = useState(() => ({ min: query.minDurationMs?.toString() ?? '', max: query.maxDurationMs?.toString() ?? '' }));
  const duration = parseDurationBounds(durationText.min, durationText.max);
  const setDuration = (text: { min: string; max: string }) => {
    setDurationText(text);
    const next = parseDurationBounds(text.min, text.max);
    // A bad bound leaves the last valid query in place; the field says what is wrong.
    if (next.problems.min === undefined && next.problems.max === undefined) setQuery({ minDurationMs: next.minDurationMs, maxDurationMs: next.maxDurationMs });
  };

  useEffect(() => {
    void loadTraces(api);
  }, [api, query, loadTraces]);
  useEffect(() => api.on('spansAdded', () => void loadTraces(api)), [api, loadTraces]);
  // An empty answer may mean a first start (offer the demo) or only too narrow filters.
  useEffect(() => {
    if (listEmpty) void checkStoreStatus(api);
  }, [api, listEmpty, checkStoreStatus]);
  const reload = useCallback(() => void loadTraces(api), [api, loadTraces]);
  const { status: importStatus, importFiles } = useTraceImport(api, reload);
  const onFiles = useCallback((files: FileList) => void importFiles(files), [importFiles]);
  const drop = useFileDrop(onFiles);

  const colors = assignServiceColors(traces.flatMap((t) => t.services));
  const maxDuration = traces.reduce((m, t) => Math.max(m, t.durationUs), 1);

  return (
    <section className={'traces-view' + (drop.over ? ' is-drop-target' : '')} aria-label="Traces" ref={drop.ref}>
      <header className="view-head">
        <h1 className="view-title">Traces</h1>
        <span className="muted">{status === 'ready' ? `${total.toLocaleString()} matching` : ''}</span>
        <span className="traces-head-actions">
          {importStatus.message && (
            <span className={importStatus.kind === 'error' ? 'wf-err-text' : 'muted'} role="status">
              {importStatus.message}
            </span>
          )}
          <ImportButton onFiles={onFiles} />
          <ExportButton
            traceIds={traces.map((t) => t.traceId)}
            fileName={`traces-${traces.length}.otlp.json`}
            label="Export listed"
            title="Export the listed traces as one OTLP JSON file"
          />
          <ClearButton
            api={api}
            total={total}
            onCleared={() => {
              reload();
              void checkStoreStatus(api);
            }}
          />
        </span>
      </header>
      {importStatus.details && importStatus.details.length > 0 && (
        <ul className="import-problems mono" aria-label="Import problems">
          {importStatus.details.map((line, k) => (
            <li key={k}>{line}</li>
          ))}
        </ul>
      )}
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Trace filters">
        <FilterText label="Service" placeholder="Service" value={query.service} onChange={(service) => setQuery({ service })} />
        <FilterText label="Operation" placeholder="Operation contains" value={query.spanName} onChange={(spanName) => setQuery({ spanName })} />
        <input
          className="input attr"
          placeholder="Attribute key=value"
          aria-label="Attribute"
          aria-invalid={attributeProblem}
          title={attributeProblem ? 'Write key=value (several separated by spaces), e.g. http.route=/items' : 'Every key=value must match a span of the trace or its resource'}
          value={attributeText}
          onChange={(e) => {
            setAttributeText(e.target.value);
            const parsed = parseAttributes(e.target.value);
            if (parsed !== undefined) setQuery({ attributes: parsed });
          }}
        />
        <DurationField label="Minimum duration in ms" placeholder="Min ms" text={durationText.min} problem={duration.problems.min} onChange={(min) => setDuration({ ...durationText, min })} />
        <DurationField label="Maximum duration in ms" placeholder="Max ms" text={durationText.max} problem={duration.problems.max} onChange={(max) => setDuration({ ...durationText, max })} />
        <FilterText className="run" label="Run id" placeholder="Run id" value={query.runId} onChange={(runId) => setQuery({ runId: runId?.toLowerCase() })} />
        <select className="input" aria-label="Status" value={query.status ?? 'any'} onChange={(e) => setQuery({ status: e.target.value as 'any' })}>
          <option value="any">Any status</option>
          <option value="error">With errors</option>
          <option value="no-errors">Without errors</option>
        </select>
        <select className="input" aria-label="Sort" value={query.sort ?? 'newest'} onChange={(e) => setQuery({ sort: e.target.value as 'newest' })}>
          <option value="newest">Newest first</option>
          <option value="oldest">Oldest first</option>
          <option value="longest">Longest first</option>
          <option value="shortest">Shortest first</option>
          <option value="most-spans">Most spans</option>
        </select>
      </form>
      {status === 'error' && problem && (
        <ErrorState title="Traces could not be listed" problem={problem}>
          <button className="btn" onClick={reload}>
            Try again
          </button>
        </ErrorState>
      )}
      {status === 'loading' && traces.length === 0 && <Loading label="Loading traces…" />}
      <DemoNotice api={api} />
      {listEmpty && storeEmpty === true && <FirstRunCard api={api} />}
      {listEmpty && (
        <EmptyState title="No traces match">
          <p>
            Run a test from the Tests view, point an OpenTelemetry exporter at <ReceiverAddress />, drop OTLP JSON files here, or loosen the filters
            above.
          </p>
        </EmptyState>
      )}
      {(traces.length > 0 || query.sinceUs !== undefined || query.untilUs !== undefined) && (
        <DurationScatter
          traces={traces}
          colorOf={(t) => (theme === 'dark' ? colors.get(t.rootService)?.dark : colors.get(t.rootService)?.light)}
          onOpen={(traceId) => void openTrace(api, traceId)}
          range={{ sinceUs: query.sinceUs, untilUs: query.untilUs }}
          onRange={(sinceUs, untilUs) => setQuery({ sinceUs, untilUs })}
        />
      )}
      {traces.length > 0 && (
        <div
          className="traces-table"
          role="grid"
          aria-label="Traces"
          aria-rowcount={traces.length}
          tabIndex={0}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setCursor((c) => Math.min(traces.length - 1, c + 1));
            else if (e.key === 'ArrowUp') setCursor((c) => Math.max(0, c - 1));
            else if (e.key === 'Enter' && traces[cursor]) void openTrace(api, traces[cursor].traceId);
            else return;
            e.preventDefault();
          }}
        >
          <div className="traces-row traces-headrow" role="row">
            <span role="columnheader">Root operation</span>
            <span role="columnheader">Started</span>
            <span role="columnheader">Duration</span>
            <span role="columnheader">Spans</span>
            <span role="columnheader">Services</span>
          </div>
          {traces.map((t, k) => {
            const c = colors.get(t.rootService);
            return (
              <div
                key={t.traceId}
                role="row"
                aria-selected={k === cursor}
                aria-busy={t.importing ? true : undefined}
                className={'traces-row' + (k === cursor ? ' is-cursor' : '')}
                onClick={() => {
                  setCursor(k);
                  void openTrace(api, t.traceId);
                }}
              >
                <span role="gridcell" className="traces-root">
                  <span className="dot" style={{ background: theme === 'dark' ? c?.dark : c?.light }} />
                  <strong>{t.rootService}</strong>
                  <span className="muted">{t.rootName}</span>
                  {t.errorCount > 0 && <span className="chip badge-error">{t.errorCount} error{t.errorCount === 1 ? '' : 's'}</span>}
                </span>
                <span role="gridcell" className="muted">
                  {formatClock(t.startUs)}
                </span>
                <span role="gridcell" className="traces-duration">
                  <span className="traces-duration-track">
                    <span className="traces-duration-bar" style={{ width: `${Math.max(2, (t.durationUs / maxDuration) * 100)}%` }} />
                  </span>
                  <span>{formatDuration(t.durationUs)}</span>
                </span>
                <span role="gridcell">
                  {t.spanCount.toLocaleString()}
                  {t.importing && (
                    <span className="chip" data-testid="trace-importing" title={`Still importing ${t.importing.file}: the counts and the duration grow as its spans are stored`}>
                      importing {t.importing.percent} %
                    </span>
                  )}
                </span>
                <span role="gridcell" className="traces-services">
                  {t.services.slice(0, 4).map((s) => (
                    <span key={s} className="chip">
                      <span className="dot" style={{ background: theme === 'dark' ? colors.get(s)?.dark : colors.get(s)?.light }} />
                      {s}
                    </span>
                  ))}
                  {t.services.length > 4 && <span className="chip">+{t.services.length - 4}</span>}
                </span>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}

/**
 * A text filter: what the user types is kept as typed (spaces and all) and sent trimmed; a value
 * set from elsewhere (a link, the palette, the service map) replaces the text.
 */
function FilterText({ label, placeholder, value, onChange, className = '' }: { label: string; placeholder: string; value: string | undefined; onChange: (value: string | undefined) => void; className?: string }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => {
    setText((typed) => ((typed.trim() || undefined) === value ? typed : (value ?? '')));
  }, [value]);
  return (
    <input
      className={`input ${className}`.trim()}
      placeholder={placeholder}
      aria-label={label}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.trim() || undefined);
      }}
    />
  );
}

/** A duration bound with its problem, if any, written beside it (and named as its description). */
function DurationField({ label, placeholder, text, problem, onChange }: { label: string; placeholder: string; text: string; problem: string | undefined; onChange: (text: string) => void }) {
  const id = `filter-problem-${placeholder.replace(/\W/g, '')}`;
  return (
    <span className="filter-field">
      <input className="input num" placeholder={placeholder} aria-label={label} inputMode="decimal" value={text} aria-invalid={problem !== undefined} aria-describedby={problem ? id : undefined} onChange={(e) => onChange(e.target.value)} />
      {problem && (
        <span id={id} className="filter-problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}

/** `k=v k2=v2` into attribute filters; undefined when a part is not key=value. Empty text: no filter. */
export function parseAttributes(text: string): Array<{ key: string; value: string }> | undefined {
  const parts = text.trim().split(/\s+/).filter((p) => p !== '');
  const out: Array<{ key: string; value: string }> = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    out.push({ key: part.slice(0, eq), value: part.slice(eq + 1) });
  }
  return out;
}
