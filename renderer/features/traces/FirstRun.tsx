// First start: an empty store offers the bundled demo (sample traces recorded from the examples'
// demo system) so a newcomer sees real traces in one click; once loaded, a notice offers the
// example tests that produced them.
import { useEffect, useRef } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { formatProblem } from '../../../shared/errors';
import { useStudio } from '../../app/store';

export function FirstRunCard({ api }: { api: StudioApi }) {
  const demo = useStudio((s) => s.demo);
  const loadDemo = useStudio((s) => s.loadDemo);
  const loading = demo.status === 'loading';
  return (
    <section className="first-run" aria-label="Get started">
      <h2>New to Cleanroom Studio?</h2>
      <p>
        Load the demo: traces recorded from the example system in <code>examples/demo</code> (an API, a cache, a database and a worker, with a few failures to
        find). Nothing leaves this machine.
      </p>
      <button className="btn btn-primary" onClick={() => void loadDemo(api)} disabled={loading} aria-busy={loading}>
        {loading && <span className="spinner spinner-inline" aria-hidden="true" />}
        {loading ? 'Loading the demo…' : 'Load the demo'}
      </button>
      {demo.status === 'error' && (
        <p className="first-run-error" role="alert">
          The demo could not be loaded: {demo.problem.message} <span className="mono faint">({demo.problem.code})</span>
        </p>
      )}
    </section>
  );
}

export function DemoNotice({ api }: { api: StudioApi }) {
  const demo = useStudio((s) => s.demo);
  const dismiss = useStudio((s) => s.dismissDemo);
  const openTestFolderAt = useStudio((s) => s.openTestFolderAt);
  const setView = useStudio((s) => s.setView);
  const next = useRef<HTMLButtonElement>(null);
  const done = demo.status === 'done';
  // The button that was clicked (on the first-run card) is gone: keep keyboard users on the next step.
  useEffect(() => {
    if (done && (document.activeElement === null || document.activeElement === document.body)) next.current?.focus();
  }, [done]);
  if (demo.status !== 'done') return null;
  return (
    <div className="notice" role="status">
      <span>
        Demo loaded: {demo.spanCount.toLocaleString()} spans in {demo.traceCount} trace{demo.traceCount === 1 ? '' : 's'}. The example tests that check this
        system are in <code title={demo.examplesFolder}>{demo.examplesFolder}</code>.
        {demo.refused.length > 0 && <span className="wf-err-text" title={demo.refused.map(formatProblem).join('\n')}> {demo.refused.length} sample file(s) refused.</span>}
      </span>
      <span className="notice-actions">
        <button
          ref={next}
          className="btn btn-primary"
          onClick={() => {
            setView('tests');
            void openTestFolderAt(api, demo.examplesFolder);
          }}
        >
          Open the example tests
        </button>
        <button className="btn btn-icon" onClick={dismiss} aria-label="Dismiss" title="Dismiss">
          ✕
        </button>
      </span>
    </div>
  );
}
