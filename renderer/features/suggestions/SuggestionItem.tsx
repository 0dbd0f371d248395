// One suggested assertion: what it says, its confidence and support, its evidence (a button that opens
// the spans marked in the waterfall; span ids only when they came from Jaeger/Tempo, not the store), its verdict on each stored run and on the open trace, its TOML
// snippet, and Accept / Edit (an editable snippet, then "Accept edited") / Reject.
import { useState } from 'react';
import type { EvidenceSpan, SuggestionView } from '../../../shared/ipc/contract';
import type { SuggestionsData } from './store.suggestions';

const pct = (f: number) => `${(f * 100).toFixed(f >= 0.999 ? 1 : 0)}%`;

interface Props {
  suggestion: SuggestionView;
  runs: SuggestionsData['runs'];
  learnedFrom: number;
  /** False: the evidence spans are not in the store (Jaeger/Tempo), so they are listed, not opened. */
  evidenceInStore: boolean;
  onAccept(edited?: string): void;
  onReject(): void;
  onEvidence(label: string, evidence: readonly EvidenceSpan[]): void;
}

/** ✓/✗ per stored execution (newest first): the live preview of what the file would say about each run. */
export function RunPreview({ failsOn, runs }: { failsOn: readonly string[]; runs: SuggestionsData['runs'] }) {
  if (runs.length === 0) return null;
  const failing = new Set(failsOn);
  const passes = runs.filter((r) => !failing.has(r.executionId)).length;
  return (
    <span className="suggest-preview" role="group" aria-label={`Preview on stored runs: passes on ${passes} of ${runs.length}`}>
      {runs.map((r) => {
        const ok = !failing.has(r.executionId);
        return (
          <span key={r.executionId} className={'suggest-run ' + (ok ? 'is-pass' : 'is-fail') + (r.verdict === 'passed' ? '' : ' of-failed-run')} title={`execution ${r.executionId} (${r.verdict} run): ${ok ? 'passes' : 'fails'}`}>
            {ok ? '✓' : '✗'}
          </span>
        );
      })}
    </span>
  );
}

/** Evidence from traces the store does not hold: their ids, to look up where they came from. */
function EvidenceIds({ evidence }: { evidence: readonly EvidenceSpan[] }) {
  return (
    <details className="suggest-evidence-ids">
      <summary>
        <strong>evidence</strong> {evidence.length} span id{evidence.length === 1 ? '' : 's'} (not in the store)
      </summary>
      <ul className="mono">
        {evidence.map((e) => (
          <li key={`${e.traceId}/${e.spanId}`}>
            trace {e.traceId} span {e.spanId} {e.name}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function SuggestionItem({ suggestion: s, runs, learnedFrom, evidenceInStore, onAccept, onReject, onEvidence }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const n = s.evidence.length;
  return (
    <li className={'suggest-item' + (s.conflict ? ' has-conflict' : '')} aria-label={s.id} data-suggestion={s.id}>
      <div className="suggest-item-head">
        <code className="suggest-id">{s.id}</code>
        <span className="suggest-summary">
          {s.summary}
          {s.conditional ? <span className="muted"> (when present)</span> : null}
        </span>
      </div>
      <div className="suggest-facts muted">
        <span title="How sure: see the README's Suggested assertions">confidence {pct(s.confidence)}</span>
        <span>
          support {s.support}/{learnedFrom} runs
        </span>
        {n > 0 && !evidenceInStore && <EvidenceIds evidence={s.evidence} />}
        {n > 0 && evidenceInStore && (
          <button className="tests-check" onClick={() => onEvidence(`suggestion ${s.id}`, s.evidence)} title="Open the spans that justify it, marked in the waterfall">
            <strong>evidence</strong>
            <span className="chip tests-evidence-count">
              {n} span{n === 1 ? '' : 's'}
            </span>
          </button>
        )}
        <RunPreview failsOn={s.failsOn} runs={runs} />
        {s.onOpenTrace !== undefined && (
          <span className={'chip ' + (s.onOpenTrace ? 'chip-ok' : 'badge-error')} aria-label={`On the open trace: ${s.onOpenTrace ? 'passes' : 'fails'}`}>
            open trace {s.onOpenTrace ? '✓' : '✗'}
          </span>
        )}
      </div>
      {s.conflict && <p className="suggest-conflict">Conflicts with the file: {s.conflict} (never written)</p>}
      {editing === null ? (
        <pre className="suggest-snippet mono">{s.snippet}</pre>
      ) : (
        <textarea className="suggest-snippet suggest-edit mono" aria-label={`Snippet of ${s.id}`} value={editing} rows={Math.max(3, editing.split('\n').length + 1)} onChange={(e) => setEditing(e.target.value)} spellCheck={false} />
      )}
      <div className="suggest-actions">
        {editing === null ? (
          <>
            <button className="btn btn-small btn-primary" onClick={() => onAccept()} disabled={Boolean(s.conflict)}>
              Accept
            </button>
            <button className="btn btn-small" onClick={() => setEditing(s.snippet)} disabled={Boolean(s.conflict)}>
              Edit
            </button>
            <button className="btn btn-small" onClick={onReject} title="Never offer it for this file again">
              Reject
            </button>
          </>
        ) : (
          <>
            <button className="btn btn-small btn-primary" onClick={() => onAccept(editing)}>
              Accept edited
            </button>
            <button className="btn btn-small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </>
        )}
      </div>
    </li>
  );
}
