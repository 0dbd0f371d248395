// Running the file from the Chaos view, through the Tests view's run path (validation, host-access
// question, run events in the Tests slice): the fault windows, a now-marker and the traffic per second
// (./use-live-stats.ts) while it runs, each phase's verdicts as they are decided (provisional until the run
// ends, then final: ./phase-verdicts.ts). Stop is the runner's cancel, which reverts every fault at once.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { useStudio } from '../../app/store';
import { millis, percent } from './LiveStatsRows';
import type { PhaseVerdict } from './phase-verdicts';
import { liveRun, type LiveRun } from './timeline-edit';
import { useLiveStats, type LiveSeries } from './use-live-stats';

export interface ChaosRun {
  runId: string | null;
  running: boolean;
  outcome: string | null;
  live: LiveRun | undefined;
  nowMs: number | undefined;
  series: LiveSeries | undefined;
  start(): void;
  stop(): void;
}

/** Ms since `t0` every quarter second while `on` (the now-marker's clock). */
function useClock(t0: number | undefined, on: boolean): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [on]);
  return on && t0 !== undefined ? Math.max(0, now - t0) : undefined;
}

/** `endMs`: the experiment's planned length, as saved (Run uses the file on disk). */
export function useChaosRun(api: StudioApi, path: string, endMs: number): ChaosRun {
  const runs = useStudio((s) => s.runs);
  const runTestFile = useStudio((s) => s.runTestFile);
  const cancelTestRun = useStudio((s) => s.cancelTestRun);
  // The runs of this file that existed before Run was pressed here: the new one is ours.
  const before = useRef<Set<string> | null>(null);
  const runId = useMemo(() => {
    const known = before.current;
    if (known === null) return null;
    return Object.values(runs).find((r) => r.file === path && !known.has(r.runId))?.runId ?? null;
  }, [runs, path]);
  const state = runId !== null ? runs[runId] : undefined;
  // Between Run and the runner's answer (validation, the host-access question) there is no run id yet.
  const [starting, setStarting] = useState(false);
  const running = state !== undefined ? state.finished === null : starting;
  const live = useMemo(() => (state ? liveRun(state.events, state.finished) : undefined), [state]);
  const nowMs = useClock(live?.t0, running);
  const series = useLiveStats(api, live, running, endMs);
  const f = state?.finished;
  const outcome = f ? (f.cancelled ? 'stopped: every fault reverted' : f.passed ? 'passed' : `failed${f.problem ? `: ${f.problem.message}` : ''}`) : null;
  return {
    runId,
    running,
    outcome,
    live,
    nowMs,
    series,
    start() {
      before.current = new Set(Object.values(useStudio.getState().runs).map((r) => r.runId));
      setStarting(true);
      void runTestFile(api, path).finally(() => setStarting(false));
    },
    stop() {
      if (runId !== null) void cancelTestRun(api, runId);
    },
  };
}

export function ChaosRunControls({ run, disabled }: { run: ChaosRun; disabled: boolean }) {
  return run.running ? (
    <button className="btn" onClick={run.stop} disabled={run.runId === null} title="Cancel the run: every fault is reverted at once">
      Stop
    </button>
  ) : (
    <button className="btn" onClick={run.start} disabled={disabled}>
      Run
    </button>
  );
}

const PHASES: { key: PhaseVerdict['phase']; label: string }[] = [
  { key: 'steady_state', label: 'Steady state' },
  { key: 'during_chaos', label: 'During chaos' },
  { key: 'recovery', label: 'Recovery' },
  { key: 'experiment', label: 'Experiment' },
];

export function ChaosRunPanel({ run }: { run: ChaosRun }) {
  const problem = useStudio((s) => s.testsProblem);
  if (run.runId === null && !run.running) return null;
  const verdicts = run.live?.verdicts ?? [];
  const windows = run.live?.windows ?? [];
  return (
    <section className="chaos-run" aria-label="Chaos run">
      <p role="status" className="chaos-run-status">
        {run.running ? (run.live?.t0 === undefined ? 'Running: services and steps first, then the experiment…' : 'Running the experiment…') : `Run ${run.outcome ?? ''}`}
        {run.runId && <span className="faint mono"> {run.runId}</span>}
      </p>
      {problem && run.runId === null && <p className="chaos-error">{problem.message}</p>}
      <ul className="chaos-run-faults" aria-label="Faults of the run">
        {windows.map((w, i) => (
          <li key={i}>
            <span className="mono">{w.fault}</span> on {w.service}: in at {(w.startMs / 1000).toFixed(1)} s
            {w.failed ? <span className="chaos-error"> — {w.failed}</span> : w.endMs === undefined ? ', still in' : `, out at ${(w.endMs / 1000).toFixed(1)} s`}
          </li>
        ))}
      </ul>
      {run.series && <SecondsTable series={run.series} />}
      {verdicts.length > 0 && (
        <div className="chaos-verdicts" aria-label="Phase verdicts">
          {PHASES.map(({ key, label }) => {
            const mine = verdicts.filter((v) => v.phase === key);
            if (mine.length === 0) return null;
            return (
              <section key={key} aria-label={`${label} verdicts`}>
                <h3>{label}</h3>
                <ul>
                  {mine.map((v) => (
                    <VerdictItem key={v.name} verdict={v} />
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </section>
  );
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function VerdictItem({ verdict: v }: { verdict: PhaseVerdict }) {
  return (
    <li className={v.passed ? 'chaos-pass' : 'chaos-fail'} data-state={v.state}>
      <span aria-label={v.passed ? 'passed' : 'failed'}>{v.passed ? '✓' : '✗'}</span> <span className="mono faint">{v.name}</span> {v.message}
      {v.state === 'provisional' && <span className="chaos-provisional"> — provisional: decided at {secs(v.decidedAtMs ?? 0)}, judged again when the run ends</span>}
      {v.state === 'unconfirmed' && <span className="chaos-provisional"> — decided at {secs(v.decidedAtMs ?? 0)}; the run ended without judging it again</span>}
      {v.changed && (
        <span className="chaos-changed">
          {' '}
          — changed at the end: {v.changed.passed ? 'passed' : 'failed'} when decided at {secs(v.changed.decidedAtMs)}, spans that arrived later changed it
        </span>
      )}
    </li>
  );
}

/** The charts' figures as a table (for screen readers, and to read exact values). */
function SecondsTable({ series }: { series: LiveSeries }) {
  return (
    <details className="chaos-seconds">
      <summary>
        Traffic per second ({series.seconds.filter((s) => s.requests > 0).length} seconds with requests)
        {series.sampled && <span className="chaos-warn"> — some seconds held more requests than one answer reads: their figures are from the earliest ones</span>}
        {series.problem && (
          <span className="chaos-error" role="alert">
            {' '}
            — could not read the traffic: {series.problem.message}
          </span>
        )}
      </summary>
      <table className="mono" aria-label="Traffic per second">
        <thead>
          <tr>
            <th scope="col">Second</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
            <th scope="col">Success</th>
            <th scope="col">p95</th>
          </tr>
        </thead>
        <tbody>
          {series.seconds.map((s) => (
            <tr key={s.second}>
              <td>{`${s.second}–${s.second + 1} s`}</td>
              <td>{s.requests}</td>
              <td>{s.errors}</td>
              <td>{s.successRate === null ? '–' : percent(s.successRate)}</td>
              <td>{s.p95Ms === null ? '–' : millis(s.p95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
