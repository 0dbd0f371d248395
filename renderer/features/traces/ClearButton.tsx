// "Clear…" for the Traces view: deleting every stored trace cannot be undone, so the button first
// asks, in place, with the count; the answer says how much went. Test runs (history) are kept.
import { useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { toProblem } from '../../../shared/errors';

export function ClearButton({ api, total, onCleared }: { api: StudioApi; total: number; onCleared: () => void }) {
  const [state, setState] = useState<{ kind: 'idle' | 'asking' | 'busy' | 'done' | 'error'; message?: string }>({ kind: 'idle' });
  const clear = async () => {
    setState({ kind: 'busy' });
    try {
      const { removedTraces, removedSpans } = await api.clearAll({});
      setState({ kind: 'done', message: `Deleted ${removedTraces.toLocaleString()} trace${removedTraces === 1 ? '' : 's'} (${removedSpans.toLocaleString()} span${removedSpans === 1 ? '' : 's'})` });
      onCleared();
    } catch (error) {
      setState({ kind: 'error', message: `Nothing was deleted: ${toProblem(error).message}` });
    }
  };
  if (state.kind === 'asking' || state.kind === 'busy')
    return (
      <span className="clear-confirm" role="group" aria-label="Confirm clearing">
        <span>Delete every stored trace? This cannot be undone; test runs are kept.</span>
        <button className="btn btn-small btn-danger" onClick={() => void clear()} disabled={state.kind === 'busy'}>
          Delete all traces
        </button>
        <button className="btn btn-small" onClick={() => setState({ kind: 'idle' })} disabled={state.kind === 'busy'}>
          Cancel
        </button>
      </span>
    );
  return (
    <>
      {state.message && (
        <span className={state.kind === 'error' ? 'wf-err-text' : 'muted'} role="status">
          {state.message}
        </span>
      )}
      <button className="btn" onClick={() => setState({ kind: 'asking' })} disabled={total === 0} title="Delete every stored trace (asks first)">
        Clear…
      </button>
    </>
  );
}
