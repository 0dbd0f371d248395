// Running the file from the Chaos view, through the Tests view's run path (validation, host-access
// question, run events in the Tests slice): the fault windows and a now-marker while it runs, then the
// experiment's verdicts per phase. Stop is the runner's cancel, which reverts every fault at once.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StudioApi } from '../../../shared/ipc/contract';
import { useStudio } from '../../app/store';
import { liveRun, type LiveRun, type PhaseVerdict } from './timeline-edit';

export interface ChaosRun {
  runId: string | null;
  running: boolean;
  outcome: string | null;
  live: LiveRun | undefined;
  nowMs: number | undefined;
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

export function useChaosRun(api: StudioApi, path: string): ChaosRun {
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
  const f = state?.finished;
  const outcome = f ? (f.cancelled ? 'stopped: every fault reverted' : f.passed ? 'passed' : `failed${f.problem ? `: ${f.problem.message}` : ''}`) : null;
  return {
    runId,
    running,
    outcome,
    live,
    nowMs,
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
                    <li key={v.name} className={v.passed ? 'chaos-pass' : 'chaos-fail'}>
                      <span aria-label={v.passed ? 'passed' : 'failed'}>{v.passed ? '✓' : '✗'}</span> <span className="mono faint">{v.name}</span> {v.message}
                    </li>
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
