// Tests: open a folder of .clnrm.toml files, validate them, run one and follow its progress.
import { useApi } from '../../api/api-context';
import { useStudio } from '../../app/store';
import { EmptyState, ErrorState } from '../../app/States';
import { formatProblem } from '../../../shared/errors';
import './tests.css';

export function TestsView() {
  const api = useApi();
  const folder = useStudio((s) => s.testFolder);
  const files = useStudio((s) => s.testFiles);
  const problem = useStudio((s) => s.testsProblem);
  const validations = useStudio((s) => s.validations);
  const runs = useStudio((s) => s.runs);
  const openTestFolder = useStudio((s) => s.openTestFolder);
  const validateTestFile = useStudio((s) => s.validateTestFile);
  const runTestFile = useStudio((s) => s.runTestFile);

  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  return (
    <section className="tests-view" aria-label="Tests">
      <header className="view-head">
        <h1 className="view-title">Tests</h1>
        <span className="muted mono">{folder ?? ''}</span>
        <button className="btn btn-primary" style={{ marginLeft: 'auto' }} onClick={() => void openTestFolder(api)}>
          Open folder…
        </button>
      </header>
      {problem && <ErrorState title="That did not work" problem={problem} />}
      {!problem && folder === null && (
        <EmptyState title="No test folder open">
          <p>Open a folder that contains <code>.clnrm.toml</code> files to validate and run them.</p>
        </EmptyState>
      )}
      {folder !== null && files.length === 0 && <EmptyState title="No .clnrm.toml files in this folder" />}
      <ul className="tests-list">
        {files.map((f) => {
          const v = validations[f.path];
          const fileRuns = Object.values(runs).filter((r) => r.file === f.path);
          return (
            <li key={f.path} className="tests-item">
              <div className="tests-item-head">
                <strong>{f.name}</strong>
                {v && (v.ok ? <span className="chip">valid</span> : <span className="chip badge-error">{v.problems.length} problems</span>)}
                <span className="tests-actions">
                  <button className="btn" onClick={() => void validateTestFile(api, f.path)}>
                    Validate
                  </button>
                  <button className="btn" onClick={() => void runTestFile(api, f.path)}>
                    Run
                  </button>
                </span>
              </div>
              {v && [...v.problems, ...v.warnings].length > 0 && (
                <ul className="tests-problems mono">
                  {[...v.problems, ...v.warnings].map((p, k) => (
                    <li key={k}>{formatProblem(p)}</li>
                  ))}
                </ul>
              )}
              {fileRuns.map((r) => (
                <div key={r.runId} className="tests-run mono">
                  <span>{r.runId}</span> {r.progress.at(-1)?.message ?? 'starting…'}{' '}
                  {r.finished && (r.finished.passed ? <span className="chip">passed</span> : <span className="chip badge-error">{r.finished.cancelled ? 'cancelled' : 'failed'}</span>)}
                </div>
              ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
