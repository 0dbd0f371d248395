// One proposed repair under review: what it changes and why, its diff hunk by hunk (each with a box to
// keep or leave out), "Apply and verify" (N reruns with the kept hunks on a copy; written only when
// every rerun passed) with the reruns' result, Reject, and Undo once applied. Nothing is written
// before the user presses Apply.
import { useState } from 'react';
import { formatProblem, toProblem, type Problem } from '../../../shared/errors';
import type { CallResponse, StudioApi } from '../../../shared/ipc/contract';
import type { RepairView } from '../../../shared/ipc/failures-schema';

type Applied = CallResponse<'applyRepair'>;

interface Props {
  api: StudioApi;
  repair: RepairView;
  /** After a write or a rejection: the view reads the failures and repairs again. */
  onChanged(): void;
}

/** Verification reruns offered by default: enough to catch a flip, short enough to wait for. */
const DEFAULT_RERUNS = 2;

function diffLineClass(line: string): string {
  if (line.startsWith('+')) return 'fail-diff-add';
  if (line.startsWith('-')) return 'fail-diff-del';
  return '';
}

function verificationText(a: Applied): string {
  const v = a.verification;
  const runs = v.runs === 0 ? 'not verified (0 reruns)' : `${v.passed} of ${v.runs} rerun${v.runs === 1 ? '' : 's'} passed`;
  return a.applied ? `Verified: ${runs}. Applied to ${a.path}.` : `Not applied: ${runs}${v.note ? ` (${v.note})` : ''}. The file is unchanged.`;
}

export function RepairItem({ api, repair, onChanged }: Props) {
  const [kept, setKept] = useState<boolean[]>(() => repair.hunks.map(() => true));
  const [reruns, setReruns] = useState(DEFAULT_RERUNS);
  const [busy, setBusy] = useState<null | 'verifying' | 'undoing' | 'rejecting'>(null);
  const [result, setResult] = useState<Applied | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const chosen = kept.flatMap((k, i) => (k ? [i] : []));

  const act = async (what: NonNullable<typeof busy>, call: () => Promise<void>) => {
    setBusy(what);
    setProblem(null);
    try {
      await call();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(null);
    }
  };
  const apply = () =>
    act('verifying', async () => {
      setResult(null);
      setResult(await api.applyRepair({ id: repair.id, hunks: chosen, verify: reruns }));
    });
  const undo = () =>
    act('undoing', async () => {
      await api.undoRepair({ id: repair.id });
      setResult(null);
      onChanged();
    });
  const reject = () =>
    act('rejecting', async () => {
      await api.rejectRepair({ id: repair.id });
      onChanged();
    });

  return (
    <li className="fail-repair" aria-label={`Repair ${repair.id}`}>
      <div className="fail-repair-head">
        <code className="muted">{repair.id}</code>
        <strong>{repair.description}</strong>
      </div>
      <p className="muted fail-repair-why">
        because {repair.reason} in {repair.path}
      </p>
      {repair.hunks.map((h, i) => (
        <div className="fail-hunk" key={i}>
          <label className="fail-hunk-pick">
            <input type="checkbox" checked={kept[i]} disabled={result?.applied === true} onChange={(e) => setKept(kept.map((k, j) => (j === i ? e.target.checked : k)))} />
            Hunk {i + 1} of {repair.hunks.length} <code className="muted">{h.header}</code>
          </label>
          <pre className="fail-diff mono" aria-label={`Hunk ${i + 1} diff`}>
            {h.lines.map((l, j) => (
              <span key={j} className={diffLineClass(l)}>
                {l}
                {'\n'}
              </span>
            ))}
          </pre>
        </div>
      ))}
      <div className="fail-repair-actions">
        {result?.applied ? (
          <button className="btn btn-small" disabled={busy !== null} onClick={() => void undo()}>
            Undo
          </button>
        ) : (
          <>
            <label className="muted">
              Reruns{' '}
              <input className="input fail-reruns" type="number" min={0} max={20} value={reruns} onChange={(e) => setReruns(Math.max(0, Math.min(20, Math.round(Number(e.target.value) || 0))))} />
            </label>
            <button className="btn btn-small btn-primary" disabled={busy !== null || chosen.length === 0} onClick={() => void apply()} title={chosen.length === 0 ? 'Keep at least one hunk' : 'Rerun the test with the kept hunks on a copy; write them only if every rerun passes'}>
              Apply and verify
            </button>
            <button className="btn btn-small" disabled={busy !== null} onClick={() => void reject()} title="Never propose this repair again">
              Reject
            </button>
          </>
        )}
      </div>
      <div role="status" aria-live="polite" className="fail-repair-status">
        {busy === 'verifying' && `Verifying: ${reruns} rerun${reruns === 1 ? '' : 's'} with the kept hunks…`}
        {result && <span className={result.applied ? 'fail-ok' : 'fail-bad'}>{verificationText(result)}</span>}
      </div>
      {result?.applied && result.diff && <pre className="fail-diff mono" aria-label="Written diff">{result.diff}</pre>}
      {problem && (
        <p className="fail-bad mono" role="alert">
          {formatProblem(problem)}
        </p>
      )}
    </li>
  );
}
