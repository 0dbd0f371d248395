// The Suggestions panel of one test file in the Tests view: assertions mined from what it learns from
// (the file's stored runs, traces in the store, or Jaeger/Tempo: ./SourcePicker.tsx), grouped by kind, each with its confidence, support, evidence and verdict on every run; a
// threshold slider with "Accept all above"; the diff of the last accept with Undo; what accepted or
// available suggestions say about each failed run; what was accepted here before.
import { useEffect } from 'react';
import { formatProblem } from '../../../shared/errors';
import { SUGGESTION_KINDS } from '../../../shared/intelligence/types';
import type { StudioApi } from '../../../shared/ipc/contract';
import { useStudio } from '../../app/store';
import { SourcePicker } from './SourcePicker';
import { RunPreview, SuggestionItem } from './SuggestionItem';
import type { SuggestionsData } from './store.suggestions';
import './suggestions.css';

export function SuggestionsPanel({ api, path, name }: { api: StudioApi; path: string; name: string }) {
  const data = useStudio((s) => (s.suggestionsFile === path ? s.suggestionsData : null));
  const loading = useStudio((s) => s.suggestionsLoading);
  const problem = useStudio((s) => s.suggestionsProblem);
  const threshold = useStudio((s) => s.suggestionThreshold);
  const minSupport = useStudio((s) => s.suggestionMinSupport);
  const source = useStudio((s) => s.suggestionSource);
  const openTraceId = useStudio((s) => (s.traceLoad.status === 'ready' ? s.traceLoad.traceId : undefined));
  const lastAccept = useStudio((s) => s.lastAccept);
  const lastUndo = useStudio((s) => s.lastUndo);
  const open = useStudio((s) => s.openSuggestions);
  const setThreshold = useStudio((s) => s.setSuggestionThreshold);
  const setMinSupport = useStudio((s) => s.setSuggestionMinSupport);
  const setSource = useStudio((s) => s.setSuggestionSource);
  const accept = useStudio((s) => s.acceptSuggestions);
  const undo = useStudio((s) => s.undoLastAccept);
  const reject = useStudio((s) => s.rejectSuggestion);
  const openEvidence = useStudio((s) => s.openEvidence);
  useEffect(() => {
    void open(api, path);
  }, [api, path, open]);

  const acceptable = (data?.suggestions ?? []).filter((s) => !s.conflict);
  return (
    <section className="suggest-panel" aria-label={`Suggestions for ${name}`} aria-busy={loading}>
      <header className="suggest-head">
        <h3 className="suggest-title">Suggested assertions</h3>
        <span className="muted">{learnedLine(data)}</span>
        <label className="suggest-threshold">
          <span>confidence ≥ {threshold.toFixed(2)}</span>
          <input type="range" min={0.5} max={1} step={0.01} value={threshold} aria-label="Confidence threshold" onChange={(e) => void setThreshold(api, Number(e.target.value))} />
        </label>
        <label title="Runs a suggestion must hold in (2 = clnrm suggest's default; 1 learns from one trace alone)">
          support ≥ <input className="suggest-support" type="number" min={1} max={1000} value={minSupport} aria-label="Minimum support" onChange={(e) => void setMinSupport(api, Number(e.target.value))} />
        </label>
        <button className="btn btn-small" disabled={acceptable.length === 0} onClick={() => void accept(api, acceptable.map((s) => s.id))}>
          Accept all above {threshold.toFixed(2)} ({acceptable.length})
        </button>
      </header>
      <SourcePicker key={JSON.stringify(source)} source={source} openTraceId={openTraceId} onLearn={(next) => void setSource(api, next)} />
      {problem && <p className="tests-run-problem mono" role="alert">{formatProblem(problem)}</p>}
      {lastAccept && (
        <div className="suggest-written" role="region" aria-label="Accepted suggestions diff">
          <div className="suggest-written-head">
            <span>
              Wrote {lastAccept.written.length} suggestion{lastAccept.written.length === 1 ? '' : 's'}
              {lastAccept.skipped.length ? ` (${lastAccept.skipped.length} already there)` : ''}; the file still validates.
            </span>
            <button className="btn btn-small" onClick={() => void undo(api)}>
              Undo
            </button>
          </div>
          <pre className="suggest-diff mono">{lastAccept.diff || '(no change)'}</pre>
        </div>
      )}
      {lastUndo && (
        <div className="suggest-written" role="region" aria-label="Undone">
          <span>Undone: the file is as it was before that accept.</span>
        </div>
      )}
      {data && <Notes data={data} />}
      {data && <Failures data={data} />}
      {data &&
        SUGGESTION_KINDS.map((kind) => {
          const ofKind = data.suggestions.filter((s) => s.kind === kind);
          if (ofKind.length === 0) return null;
          return (
            <section key={kind} className="suggest-kind" aria-label={`${kind} suggestions`}>
              <h4 className="suggest-kind-title">
                {kind} <span className="muted">({ofKind.length})</span>
              </h4>
              <ul className="suggest-list">
                {ofKind.map((s) => (
                  <SuggestionItem
                    key={s.id}
                    suggestion={s}
                    runs={data.runs}
                    learnedFrom={data.learnedFrom}
                    evidenceInStore={data.learnedFromSource.evidenceInStore}
                    onAccept={(edited) => void accept(api, [s.id], edited === undefined ? {} : { [s.id]: edited })}
                    onReject={() => void reject(api, s.id)}
                    onEvidence={(label, evidence) => void openEvidence(api, label, evidence)}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      {data && data.accepted.length > 0 && <Accepted data={data} />}
    </section>
  );
}

function learnedLine(data: SuggestionsData | null): string {
  if (!data) return 'mining…';
  const runs = `${data.learnedFrom} run${data.learnedFrom === 1 ? '' : 's'}`;
  if (data.learnedFromSource.kind === 'runs') return `from ${data.learnedFrom} passed run${data.learnedFrom === 1 ? '' : 's'} of ${data.runs.length} stored`;
  const preview = data.runs.length === 0 ? 'no stored run of this file to preview on' : `previewed on ${data.runs.length} stored run${data.runs.length === 1 ? '' : 's'}`;
  return `from ${runs}: ${data.learnedFromSource.description}; ${preview}`;
}

function Notes({ data }: { data: SuggestionsData }) {
  const lines = [...data.notes];
  if (data.learnedFrom > 0 && data.suggestions.length === 0) lines.push('Nothing new to suggest at this threshold: lower it, or run the test more often.');
  if (data.belowThreshold > 0) lines.push(`${data.belowThreshold} more mined below the threshold.`);
  if (data.rejected.length > 0) lines.push(`${data.rejected.length} rejected for this file (not offered again).`);
  if (data.openTrace) lines.push(`“open trace” judges the open trace ${data.openTrace.traceId.slice(0, 8)}${data.openTrace.executionId ? ` with the rest of its execution (${data.openTrace.spanCount} spans)` : ''}.`);
  if (lines.length === 0) return null;
  return (
    <ul className="suggest-notes muted">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

/** Every failed run gets a sentence: never a silent "nothing to suggest". */
function Failures({ data }: { data: SuggestionsData }) {
  if (data.failures.length === 0) return null;
  return (
    <ul className="suggest-failures" aria-label="Failed runs">
      {data.failures.map((f) => (
        <li key={f.executionId}>
          <strong>Failed run {f.runId}</strong> <span className="muted mono">(execution {f.executionId})</span>:{' '}
          {f.caughtBy.length > 0 && <span>caught by accepted {f.caughtBy.join(', ')}. </span>}
          {f.wouldCatch.length > 0 && <span>would have been caught by {f.wouldCatch.join(', ')}. </span>}
          {f.caughtBy.length + f.wouldCatch.length === 0 && <span>no suggestion here says anything about this failure.</span>}
        </li>
      ))}
    </ul>
  );
}

function Accepted({ data }: { data: SuggestionsData }) {
  return (
    <section className="suggest-kind" aria-label="Accepted suggestions">
      <h4 className="suggest-kind-title">
        accepted here <span className="muted">({data.accepted.length})</span>
      </h4>
      <ul className="suggest-list">
        {data.accepted.map((a) => (
          <li key={a.id} className="suggest-item is-accepted" aria-label={`accepted ${a.id}`}>
            <div className="suggest-item-head">
              <code className="suggest-id">{a.id}</code>
              <span className="suggest-summary">{a.summary}</span>
              <RunPreview failsOn={a.failsOn} runs={data.runs} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
