// The Chaos timeline: one lane per service of the file, the phase bands across them, the experiment's
// faults as blocks (pointer: drag to move, the right edge to resize; keyboard: see timeline-edit.ts),
// palette faults dropped onto a lane, and during a run the fault windows as they happened, a now-marker, each
// phase's verdict on its band as it is decided and, under the lanes, the traffic's success rate and p95 per
// second (./LiveStatsRows.tsx).
import { useEffect, useRef, type Dispatch, type DragEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { phaseBands, timelineEndMs, type TimelineBlock } from '../../../shared/chaos/timeline';
import type { PhaseName } from '../../../shared/chaos/experiment-plan';
import { LiveStatsRows } from './LiveStatsRows';
import type { PhaseVerdict } from './phase-verdicts';
import { keyAction, type EditAction, type EditState, type LiveRun } from './timeline-edit';
import type { LiveSeries } from './use-live-stats';

/** Horizontal scale: fixed, so a second is always as wide (a snap step stays easy to hit). */
export const PX_PER_S = 40;
export const FAULT_MIME = 'application/x-clnrm-fault';
const PHASE_LABELS = { steady_state: 'steady state', during_chaos: 'during chaos', recovery: 'recovery' } as const;

const px = (ms: number) => (ms / 1000) * PX_PER_S;
const sec = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

interface Props {
  services: readonly string[];
  state: EditState;
  dispatch: Dispatch<EditAction>;
  live?: LiveRun;
  /** Ms since the experiment's time zero while a run is going; undefined otherwise. */
  nowMs?: number;
  /** The run's traffic per second, once the experiment's time zero is known. */
  series?: LiveSeries;
}

export function ChaosTimeline({ services, state, dispatch, live, nowMs, series }: Props) {
  const { timeline } = state;
  const lastWindow = Math.max(0, ...(live?.windows ?? []).map((w) => w.endMs ?? w.startMs));
  const lengthMs = Math.ceil((Math.max(timelineEndMs(timeline), lastWindow, nowMs ?? 0) + 5000) / 5000) * 5000;
  const width = Math.max(px(lengthMs), px(20_000));
  const bands = phaseBands(timeline);
  return (
    <div className="chaos-timeline" role="group" aria-label="Experiment timeline">
      <div className="chaos-grid" style={{ width: width + 120 }}>
        <div className="chaos-ruler" aria-hidden="true">
          {Array.from({ length: Math.floor(width / PX_PER_S) + 1 }, (_, s) => (
            <span key={s} className={s % 5 === 0 ? 'chaos-tick chaos-tick-major' : 'chaos-tick'} style={{ left: 120 + s * PX_PER_S }}>
              {s % 5 === 0 ? `${s}s` : ''}
            </span>
          ))}
        </div>
        <div className="chaos-phases" style={{ left: 120 }}>
          {bands.map((b) => {
            const verdict = bandVerdict(live?.verdicts, b.name);
            const said = verdict ? `: ${verdict.passed ? 'passed' : 'failed'}${verdict.provisional ? ' (provisional)' : ''}` : '';
            return (
              <div key={b.name} className={`chaos-phase chaos-phase-${b.name}`} style={{ left: px(b.startMs), width: px(b.endMs - b.startMs) }} aria-label={`${PHASE_LABELS[b.name]} ${sec(b.startMs)} to ${sec(b.endMs)}${said}`}>
                <span className="chaos-phase-label">
                  {PHASE_LABELS[b.name]}
                  {/* A narrow band has no room for words: provisional is drawn faint (the list and the label say it). */}
                  {verdict && <span className={`${verdict.passed ? 'chaos-phase-verdict-pass' : 'chaos-phase-verdict-fail'}${verdict.provisional ? ' chaos-phase-verdict-provisional' : ''}`}>{` ${verdict.passed ? '✓' : '✗'}`}</span>}
                </span>
              </div>
            );
          })}
          {bands[1] && <div className="chaos-inject" style={{ left: px(bands[1].startMs) }} title="inject" aria-hidden="true" />}
          {nowMs !== undefined && <div className="chaos-now" style={{ left: px(nowMs) }} role="img" aria-label={`now: ${sec(nowMs)}`} />}
        </div>
        {services.map((service) => (
          <Lane key={service} service={service} state={state} dispatch={dispatch} services={services} live={live} />
        ))}
        {series && <LiveStatsRows seconds={series.seconds} windows={live?.windows ?? []} width={width} pxPerS={PX_PER_S} running={nowMs !== undefined} {...(nowMs !== undefined ? { nowMs } : {})} />}
      </div>
    </div>
  );
}

/** A band's verdict: whether every assertion of its phase held, and whether the run's end has judged them yet. */
function bandVerdict(verdicts: readonly PhaseVerdict[] | undefined, phase: PhaseName): { passed: boolean; provisional: boolean } | undefined {
  const mine = (verdicts ?? []).filter((v) => v.phase === phase);
  if (mine.length === 0) return undefined;
  return { passed: mine.every((v) => v.passed), provisional: mine.some((v) => v.state !== 'final') };
}

function Lane({ service, state, dispatch, services, live }: { service: string; state: EditState; dispatch: Dispatch<EditAction>; services: readonly string[]; live?: LiveRun }) {
  const onDragOver = (e: DragEvent) => {
    if (e.dataTransfer.types.includes(FAULT_MIME)) e.preventDefault();
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    const fault = e.dataTransfer.getData(FAULT_MIME);
    if (!fault) return;
    e.preventDefault();
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    dispatch({ type: 'add', fault, service, atMs: (x / PX_PER_S) * 1000 });
  };
  return (
    <div className="chaos-lane" role="group" aria-label={`Lane ${service}`}>
      <div className="chaos-lane-name mono">{service}</div>
      <div className="chaos-track" onDragOver={onDragOver} onDrop={onDrop} data-lane={service}>
        {(live?.windows ?? [])
          .filter((w) => w.service === service)
          .map((w, i) => (
            <div
              key={i}
              className={w.failed ? 'chaos-window chaos-window-failed' : 'chaos-window'}
              style={{ left: px(w.startMs), width: Math.max(3, px((w.endMs ?? w.startMs) - w.startMs)) }}
              role="img"
              aria-label={`${w.fault} on ${w.service}: in at ${sec(w.startMs)}${w.endMs === undefined ? ', still in' : w.failed ? `, failed: ${w.failed}` : `, out at ${sec(w.endMs)}`}`}
              title={w.failed ?? `${w.fault} ${sec(w.startMs)}–${w.endMs === undefined ? 'now' : sec(w.endMs)}`}
            />
          ))}
        {state.timeline.blocks
          .filter((b) => b.service === service)
          .map((b) => (
            <FaultBlock key={b.id} block={b} selected={state.selected === b.id} stepMs={state.stepMs} services={services} dispatch={dispatch} />
          ))}
      </div>
    </div>
  );
}

interface Drag {
  mode: 'move' | 'resize';
  x: number;
  from: TimelineBlock;
}

function FaultBlock({ block, selected, stepMs, services, dispatch }: { block: TimelineBlock; selected: boolean; stepMs: number; services: readonly string[]; dispatch: Dispatch<EditAction> }) {
  const drag = useRef<Drag | null>(null);
  const element = useRef<HTMLDivElement>(null);
  // Alt+Up/Down moves the block to another lane, which mounts it anew: keep the keyboard on it.
  useEffect(() => {
    const active = document.activeElement;
    if (selected && (active === null || active === document.body)) element.current?.focus();
  }, [selected]);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const mode = (e.target as HTMLElement).classList.contains('chaos-resize') ? 'resize' : 'move';
    drag.current = { mode, x: e.clientX, from: block };
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    dispatch({ type: 'select', id: block.id });
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (d) dispatch({ type: d.mode, id: block.id, deltaMs: ((e.clientX - d.x) / PX_PER_S) * 1000, from: d.from });
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const action = keyAction(e, block, stepMs, services);
    if (!action) return;
    e.preventDefault();
    dispatch(action);
  };
  return (
    <div
      ref={element}
      className="chaos-block"
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`${block.fault} on ${block.service}, ${sec(block.startMs)} to ${sec(block.startMs + block.durationMs)}`}
      aria-keyshortcuts="ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight Alt+ArrowUp Alt+ArrowDown Delete"
      style={{ left: px(block.startMs), width: px(block.durationMs) }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onFocus={() => dispatch({ type: 'select', id: block.id })}
      onKeyDown={onKeyDown}
    >
      <span className="chaos-block-name">{block.fault}</span>
      <span className="chaos-resize" aria-hidden="true" title="Drag to change the duration (Shift+arrows)" />
    </div>
  );
}
