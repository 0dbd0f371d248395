// Tests: open a folder of .clnrm.toml files, validate them, run one and follow its progress, and see each
// file's earlier runs from the store's history.
// The desktop app picks folders with the system dialog; browser mode (no dialog) types a path,
// which the studio resolves against the folder it was started in.
import { useCallback, useEffect, useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { useApi } from '../../api/api-context';
import { isDesktop } from '../../api/get-api';
import { useStudio } from '../../app/store';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { formatProblem } from '../../../shared/errors';
import { HostAccessDialog } from './HostAccessDialog';
import { RunHistory, runsOfFile } from './RunHistory';
import { RunResult } from './RunResult';
import { TestSource } from './TestSource';
import { SuggestionsPanel } from '../suggestions/SuggestionsPanel';
import type { Validation } from './store.tests';
import './tests.css';

export function TestsView() {
  const api = useApi();
  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  return <ConnectedTestsView api={api} />;
}

function ConnectedTestsView({ api }: { api: StudioApi }) {
  const folder = useStudio((s) => s.testFolder);
  const files = useStudio((s) => s.testFiles);
  const loading = useStudio((s) => s.testsLoading);
  const problem = useStudio((s) => s.testsProblem);
  const validations = useStudio((s) => s.validations);
  const runs = useStudio((s) => s.runs);
  const runHistory = useStudio((s) => s.runHistory);
  const loadRunHistory = useStudio((s) => s.loadRunHistory);
  const setTracesQuery = useStudio((s) => s.setTracesQuery);
  const setView = useStudio((s) => s.setView);
  const openTestFolder = useStudio((s) => s.openTestFolder);
  const openTestFolderAt = useStudio((s) => s.openTestFolderAt);
  const validateTestFile = useStudio((s) => s.validateTestFile);
  const runTestFile = useStudio((s) => s.runTestFile);
  const clearProblem = useStudio((s) => s.clearTestsProblem);
  const cancelTestRun = useStudio((s) => s.cancelTestRun);
  const restoreTestFolder = useStudio((s) => s.restoreTestFolder);
  const openEvidence = useStudio((s) => s.openEvidence);
  const openTrace = useStudio((s) => s.openTrace);
  const showRunOnMap = useStudio((s) => s.showRunOnMap);
  const [path, setPath] = useState('');
  const selection = useStudio((s) => s.testSelection);
  const selectTest = useStudio((s) => s.selectTest);
  const sourceOf = selection.file;
  // A link to a file or a run brings it into view once it is listed, and again once the file's source is shown above its runs.
  const [sourcesShown, setSourcesShown] = useState(0);
  const onSourceShown = useCallback(() => setSourcesShown((n) => n + 1), []);
  useSelectionInView(selection, files.length, runHistory.length, sourcesShown);
  const runAllTestFiles = useStudio((s) => s.runAllTestFiles);
  const hostAccessPending = useStudio((s) => s.hostAccessPending);
  const confirmHostAccess = useStudio((s) => s.confirmHostAccess);
  const cancelHostAccess = useStudio((s) => s.cancelHostAccess);
  const suggestionsOf = useStudio((s) => s.suggestionsFile);
  const showSuggestions = useStudio((s) => s.showSuggestions);
  const writtenVersion = useStudio((s) => s.writtenVersion);
  useEffect(() => {
    void restoreTestFolder(api);
    void loadRunHistory(api);
  }, [api, restoreTestFolder, loadRunHistory]);
  // The run id finds the runner's own traces and the system's: the Traces view filtered by it.
  const showRunTraces = (runId: string): void => {
    setTracesQuery({ runId, offset: 0 });
    setView('traces');
  };

  return (
    <section className="tests-view" aria-label="Tests">
      <header className="view-head">
        <h1 className="view-title">Tests</h1>
        <span className="muted mono tests-folder" title={folder ?? undefined}>
          {folder ?? ''}
        </span>
        <form
          className="tests-open"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim() !== '') void openTestFolderAt(api, path.trim());
          }}
        >
          <input className="input mono" aria-label="Test folder path" placeholder="Folder path, e.g. examples" value={path} onChange={(e) => setPath(e.target.value)} />
          <button className={'btn' + (isDesktop() ? '' : ' btn-primary')} type="submit" disabled={path.trim() === ''}>
            Open
          </button>
        </form>
        {files.length > 0 && (
          <button className="btn" onClick={() => void runAllTestFiles(api)} title="Run every test file of this folder">
            Run all
          </button>
        )}
        {isDesktop() && (
          <button className="btn btn-primary" onClick={() => void openTestFolder(api)}>
            Open folder…
          </button>
        )}
      </header>
      {problem && (
        <ErrorState title="That did not work" problem={problem}>
          <button className="btn" onClick={clearProblem}>
            Dismiss
          </button>
        </ErrorState>
      )}
      {hostAccessPending && <HostAccessDialog files={hostAccessPending.files} onConfirm={() => void confirmHostAccess(api)} onCancel={cancelHostAccess} />}
      {loading && <Loading label="Reading the folder…" />}
      {!loading && !problem && folder === null && (
        <EmptyState title="No test folder open">
          <p>
            Type the path of a folder that contains <code>.clnrm.toml</code> files above (relative paths start where the studio was started), then validate
            and run them here. The bundled examples are in <code>examples</code>.
          </p>
        </EmptyState>
      )}
      {!loading && folder !== null && files.length === 0 && (
        <EmptyState title="No .clnrm.toml files in this folder">
          <p>Test files end in <code>.clnrm.toml</code>; sub-folders are searched too. Open another folder above.</p>
        </EmptyState>
      )}
      <ul className="tests-list" aria-label="Test files">
        {files.map((f) => {
          const v = validations[f.path];
          // The newest run started here shows live; the stored history lists the others.
          const latest = Object.values(runs)
            .filter((r) => r.file === f.path)
            .at(-1);
          const earlier = runsOfFile(runHistory, f.path).filter((h) => h.run.id !== latest?.runId);
          const running = latest !== undefined && latest.finished === null;
          return (
            <li key={f.path} className="tests-item" aria-label={f.name} data-test-file={f.path} aria-current={sourceOf === f.path ? 'true' : undefined}>
              <div className="tests-item-head">
                <strong>{f.name}</strong>
                <span className="faint mono tests-path" title={f.path}>
                  {f.path}
                </span>
                {v && <ValidationBadge validation={v} />}
                <span className="tests-actions">
                  <button className="btn" onClick={() => void validateTestFile(api, f.path)}>
                    Validate
                  </button>
                  <button className="btn" aria-pressed={sourceOf === f.path} onClick={() => selectTest({ file: sourceOf === f.path ? null : f.path, runId: null })}>
                    Source
                  </button>
                  <button
                    className="btn"
                    aria-pressed={suggestionsOf === f.path}
                    onClick={() => showSuggestions(suggestionsOf === f.path ? null : f.path)}
                    title="Assertions mined from this file's stored runs"
                  >
                    Suggestions
                  </button>
                  <button className="btn" onClick={() => void runTestFile(api, f.path)} disabled={running} aria-busy={running}>
                    {running ? 'Running…' : 'Run'}
                  </button>
                </span>
              </div>
              {v && [...v.problems, ...v.warnings].length > 0 && (
                <ul className="tests-problems mono">
                  {v.problems.map((p, k) => (
                    <li key={`p${k}`}>{formatProblem(p)}</li>
                  ))}
                  {v.warnings.map((p, k) => (
                    <li key={`w${k}`} className="tests-warning">
                      {formatProblem(p)}
                    </li>
                  ))}
                </ul>
              )}
              {sourceOf === f.path && <TestSource api={api} path={f.path} validation={v} version={writtenVersion} onShown={onSourceShown} />}
              {suggestionsOf === f.path && <SuggestionsPanel api={api} path={f.path} name={f.name} />}
              {latest && (
                <RunResult
                  key={latest.runId}
                  run={latest}
                  onCancel={() => void cancelTestRun(api, latest.runId)}
                  onEvidence={(label, evidence) => void openEvidence(api, label, evidence)}
                  onOpenTrace={(traceId) => void openTrace(api, traceId)}
                  onShowMap={() => latest.finished && showRunOnMap({ runId: latest.runId, file: latest.file, executionIds: latest.finished.executionIds })}
                  onShowTraces={() => showRunTraces(latest.runId)}
                  selected={selection.runId === latest.runId}
                  onSelect={() => selectTest({ file: f.path, runId: latest.runId })}
                />
              )}
              <RunHistory
                entries={earlier}
                onShowTraces={showRunTraces}
                selectedRunId={selection.runId}
                onSelect={(runId) => selectTest({ file: f.path, runId })}
              />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "valid", "valid · 2 warnings" or "3 problems": a warning is never hidden behind a plain "valid". */
function ValidationBadge({ validation: v }: { validation: Validation }) {
  const n = v.warnings.length;
  if (!v.ok) return <span className="chip badge-error">{v.problems.length} problem{v.problems.length === 1 ? '' : 's'}</span>;
  if (n > 0) return <span className="chip chip-warn">valid · {n} warning{n === 1 ? '' : 's'}</span>;
  return <span className="chip chip-ok">valid</span>;
}

/** Scrolls the selected run, else the selected file, into view when either changes, first appears, or the source above it is shown. */
function useSelectionInView(selection: { file: string | null; runId: string | null }, files: number, runs: number, sourcesShown: number): void {
  useEffect(() => {
    const target =
      (selection.runId !== null ? document.querySelector(`[data-run-id="${CSS.escape(selection.runId)}"]`) : null) ??
      (selection.file !== null ? document.querySelector(`[data-test-file="${CSS.escape(selection.file)}"]`) : null);
    target?.scrollIntoView({ block: 'nearest' });
  }, [selection.file, selection.runId, files, runs, sourcesShown]);
}
