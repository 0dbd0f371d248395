// The Chaos view: a test file's experiment on a timeline (lanes per service, phase bands, fault blocks),
// edited with the palette, pointer and keyboard and the inspector; Save shows the diff first and writes
// only the experiment's injection tables (undoable); Run starts the file through the Tests view's run
// path and draws the faults as they go in and out and each phase's verdicts as they are decided (final when
// the run ends). Stop cancels the run, which reverts every fault.
import { useEffect, useReducer, useState } from 'react';
import { SNAP_STEPS_MS, timelineEndMs } from '../../../shared/chaos/timeline';
import { toProblem, type Problem } from '../../../shared/errors';
import type { CallResponse, StudioApi } from '../../../shared/ipc/contract';
import { useApi } from '../../api/api-context';
import { EmptyState, ErrorState, Loading } from '../../app/States';
import { useStudio } from '../../app/store';
import { ChaosRunControls, ChaosRunPanel, useChaosRun } from './ChaosRunPanel';
import { ChaosTimeline } from './ChaosTimeline';
import { FaultInspector, parameterErrors } from './FaultInspector';
import { FaultPalette } from './FaultPalette';
import { editReducer, initialEdit, isDirty } from './timeline-edit';
import './chaos.css';

type Experiment = CallResponse<'chaosExperiment'>;
type Loaded = { status: 'loading' } | { status: 'error'; problem: Problem } | { status: 'ready'; experiment: Experiment };

export function ChaosView() {
  const api = useApi();
  if (api instanceof Error) return <ErrorState title="Not connected" problem={api.problem} />;
  return <ConnectedChaosView api={api} />;
}

function ConnectedChaosView({ api }: { api: StudioApi }) {
  const file = useStudio((s) => s.chaosFile);
  const openChaos = useStudio((s) => s.openChaos);
  const testFiles = useStudio((s) => s.testFiles);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (file === null) return;
    let live = true;
    setLoaded({ status: 'loading' });
    api.chaosExperiment({ path: file }).then(
      (experiment) => live && setLoaded({ status: 'ready', experiment }),
      (error: unknown) => live && setLoaded({ status: 'error', problem: toProblem(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, file, version]);
  const choices = [...new Set([...(file ? [file] : []), ...testFiles.map((f) => f.path)])];
  return (
    <section className="chaos-view" aria-label="Chaos">
      <header className="view-head">
        <h1 className="view-title">Chaos</h1>
        <label className="chaos-head-field">
          Test file{' '}
          <select className="input" value={file ?? ''} onChange={(e) => openChaos(e.target.value || null)}>
            <option value="">Choose a test file…</option>
            {choices.map((f) => (
              <option key={f} value={f}>
                {f.split(/[\\/]/).pop()}
              </option>
            ))}
          </select>
        </label>
      </header>
      {file === null && (
        <EmptyState title="Choose a test file">
          <p>Open a folder in the Tests view, then pick one of its files: its services become lanes and its [chaos.experiment] the faults on them.</p>
        </EmptyState>
      )}
      {file !== null && loaded.status === 'loading' && <Loading label="Reading the experiment…" />}
      {file !== null && loaded.status === 'error' && <ErrorState title="Could not read the test file" problem={loaded.problem} />}
      {file !== null && loaded.status === 'ready' && <ChaosEditor key={`${file}|${version}`} api={api} experiment={loaded.experiment} onSaved={() => setVersion((v) => v + 1)} />}
    </section>
  );
}

type Saving = { step: 'idle' } | { step: 'diff'; diff: string } | { step: 'saved'; diff: string; token: string } | { step: 'undone'; diff: string };

function ChaosEditor({ api, experiment, onSaved }: { api: StudioApi; experiment: Experiment; onSaved: () => void }) {
  const [state, dispatch] = useReducer(editReducer, experiment.timeline, (t) => initialEdit(t));
  const [saving, setSaving] = useState<Saving>(() => lastSave.get(experiment.path) ?? { step: 'idle' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useChaosRun(api, experiment.path, timelineEndMs(state.saved));
  const { path, services, faults } = experiment;
  const specOf = (id: string) => faults.find((f) => f.id === id);
  const selected = state.timeline.blocks.find((b) => b.id === state.selected);
  const invalid = state.timeline.blocks.filter((b) => Object.keys(parameterErrors(b, specOf(b.fault))).length > 0);
  const dirty = isDirty(state);
  const attempt = async (what: () => Promise<void>) => {
    setProblem(null);
    try {
      await what();
    } catch (error) {
      setProblem(toProblem(error));
    }
  };
  const preview = () => attempt(async () => setSaving({ step: 'diff', diff: (await api.chaosPreview({ path, timeline: state.timeline })).diff }));
  const write = (diff: string) =>
    attempt(async () => {
      const saved = await api.chaosSave({ path, timeline: state.timeline, diff });
      lastSave.set(path, { step: 'saved', diff: saved.diff, token: saved.undoToken });
      onSaved();
    });
  const undo = (token: string) =>
    attempt(async () => {
      const undone = await api.chaosUndo({ token });
      lastSave.set(path, { step: 'undone', diff: undone.diff });
      onSaved();
    });
  return (
    <div className="chaos-body">
      <div className="chaos-toolbar">
        <label className="chaos-head-field">
          Snap{' '}
          <select className="input" value={state.stepMs} onChange={(e) => dispatch({ type: 'step', stepMs: Number(e.target.value) })}>
            {SNAP_STEPS_MS.map((s) => (
              <option key={s} value={s}>
                {s / 1000} s
              </option>
            ))}
          </select>
        </label>
        <span className="faint mono">{state.timeline.name}</span>
        <button className="btn btn-primary" disabled={!dirty || invalid.length > 0 || experiment.notEditable !== undefined || saving.step === 'diff'} onClick={() => void preview()}>
          Save…
        </button>
        <button className="btn" disabled={!dirty} onClick={() => dispatch({ type: 'reset', timeline: state.saved })}>
          Discard changes
        </button>
        <ChaosRunControls run={run} disabled={dirty} />
        {experiment.notEditable && <span className="chaos-warn">Not editable here: {experiment.notEditable}</span>}
        {invalid.length > 0 && <span className="chaos-error">Fix the parameters of {invalid.map((b) => b.fault).join(', ')} to save.</span>}
        {dirty && <span className="faint">Unsaved: Run uses the file on disk, save first.</span>}
      </div>
      {problem && (
        <div className="chaos-problem" role="alert">
          {problem.message} <span className="faint mono">{problem.code}</span>
        </div>
      )}
      {saving.step === 'diff' && (
        <section className="chaos-diff" role="region" aria-label="Save diff">
          <header>
            <strong>Save writes this to {path.split(/[\\/]/).pop()}</strong>
            <button className="btn btn-primary" onClick={() => void write(saving.diff)}>
              Write file
            </button>
            <button className="btn" onClick={() => setSaving({ step: 'idle' })}>
              Cancel
            </button>
          </header>
          <pre className="mono">{saving.diff}</pre>
        </section>
      )}
      {(saving.step === 'saved' || saving.step === 'undone') && (
        <section className="chaos-diff" role="region" aria-label={saving.step === 'saved' ? 'Saved diff' : 'Undone diff'}>
          <header>
            <strong role="status">{saving.step === 'saved' ? 'Saved' : 'Undone'}</strong>
            {saving.step === 'saved' && (
              <button className="btn" onClick={() => void undo(saving.token)}>
                Undo
              </button>
            )}
            <button className="btn" onClick={() => (lastSave.delete(path), setSaving({ step: 'idle' }))}>
              Close
            </button>
          </header>
          <pre className="mono">{saving.diff}</pre>
        </section>
      )}
      <div className="chaos-main">
        <FaultPalette faults={faults} services={services} state={state} dispatch={dispatch} />
        <ChaosTimeline services={services} state={state} dispatch={dispatch} live={run.live} nowMs={run.nowMs} {...(run.series ? { series: run.series } : {})} />
        {selected ? <FaultInspector block={selected} spec={specOf(selected.fault)} services={services} dispatch={dispatch} /> : <aside className="chaos-inspector faint">Select a fault to edit it; drag one from the palette onto a lane to add it.</aside>}
      </div>
      <ChaosRunPanel run={run} />
    </div>
  );
}

/** The last save or undo per file, so its diff and Undo survive the editor's reload after writing. */
const lastSave = new Map<string, Saving>();
