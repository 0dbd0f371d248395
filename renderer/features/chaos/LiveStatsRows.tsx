// A Chaos run's success rate and p95 per second, as two rows under the timeline's lanes on the same time
// axis (so the phase bands and the now-marker cross them), with the fault windows as background bands
// and, beside each chart, its last value and its worst value while a fault was in.
import { scaleLinear } from '@visx/scale';
import { liveFigures, type SecondStats } from '../../../shared/chaos/live-stats';
import type { FaultWindow } from './timeline-edit';

const HEIGHT = 60;
const PAD = 6;

interface Props {
  seconds: readonly SecondStats[];
  windows: readonly FaultWindow[];
  /** The track's width in px and its scale: a second is `pxPerS` wide, as on the lanes. */
  width: number;
  pxPerS: number;
  running: boolean;
  nowMs?: number;
}

export const percent = (rate: number): string => `${Number((100 * rate).toFixed(1))} %`;
export const millis = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Number(ms.toFixed(ms < 10 ? 1 : 0))} ms`);

export function LiveStatsRows({ seconds, windows, width, pxPerS, running, nowMs }: Props) {
  // A fault that failed to go in did not disturb anything.
  const faults = windows.filter((w) => w.failed === undefined).map((w) => ({ startMs: w.startMs, ...(w.endMs !== undefined ? { endMs: w.endMs } : nowMs !== undefined ? { endMs: nowMs } : {}) }));
  const figures = liveFigures(seconds, faults);
  const maxP95 = Math.max(1, ...seconds.flatMap((s) => (s.p95Ms === null ? [] : [s.p95Ms])));
  const common = { seconds, faults, width, pxPerS, running };
  return (
    <>
      <StatRow {...common} title="Success rate" value={(s) => s.successRate} top={1} format={percent} last={figures.last?.successRate ?? undefined} worst={figures.minSuccessDuringChaos} worstKind="lowest" />
      <StatRow {...common} title="p95" value={(s) => s.p95Ms} top={maxP95} format={millis} last={figures.last?.p95Ms ?? undefined} worst={figures.maxP95DuringChaos} worstKind="highest" />
    </>
  );
}

interface RowProps {
  title: string;
  seconds: readonly SecondStats[];
  faults: readonly { startMs: number; endMs?: number }[];
  width: number;
  pxPerS: number;
  running: boolean;
  value: (s: SecondStats) => number | null;
  top: number;
  format: (v: number) => string;
  last?: number;
  worst?: number;
  worstKind: 'lowest' | 'highest';
}

function StatRow({ title, seconds, faults, width, pxPerS, running, value, top, format, last, worst, worstKind }: RowProps) {
  const x = (ms: number): number => (ms / 1000) * pxPerS;
  const y = scaleLinear<number>({ domain: [0, top], range: [HEIGHT - PAD, PAD] });
  const points = seconds.flatMap((s) => (value(s) === null ? [] : [{ second: s.second, v: value(s)! }]));
  // One line per run of consecutive seconds with requests: an empty second leaves a gap.
  const d = points.map((p, i) => `${i > 0 && points[i - 1]!.second === p.second - 1 ? 'L' : 'M'}${x((p.second + 0.5) * 1000).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const summary = `${title} per second${running ? ' (live)' : ''}: ${points.length} seconds with requests${last !== undefined ? `, last ${format(last)}` : ''}${worst !== undefined ? `, ${worstKind} while a fault was in ${format(worst)}` : ''}`;
  return (
    <div className="chaos-lane chaos-stat-lane" role="group" aria-label={title}>
      <div className="chaos-lane-name chaos-stat-name">
        <span className="mono">{title}</span>
        <span className="faint">last {last !== undefined ? format(last) : '–'}</span>
        {worst !== undefined && <span className="chaos-stat-worst">{`fault ${worstKind === 'lowest' ? 'min' : 'max'} ${format(worst)}`}</span>}
      </div>
      <div className="chaos-track">
        <svg width={width} height={HEIGHT} role="img" aria-label={summary}>
          {faults.map((f, i) => (
            <rect key={i} className="chaos-stat-fault" x={x(f.startMs)} width={Math.max(2, x((f.endMs ?? f.startMs) - f.startMs))} y={0} height={HEIGHT} />
          ))}
          <line className="chaos-stat-grid" x1={0} x2={width} y1={y(top)} y2={y(top)} />
          <line className="chaos-stat-grid" x1={0} x2={width} y1={y(0)} y2={y(0)} />
          <text className="chaos-stat-scale" x={2} y={y(top) + 9}>
            {format(top)}
          </text>
          <path className="chaos-stat-line" d={d} />
          {points.map((p) => (
            <circle key={p.second} className="chaos-stat-point" cx={x((p.second + 0.5) * 1000)} cy={y(p.v)} r={2.5}>
              <title>{`${p.second}–${p.second + 1} s: ${format(p.v)}`}</title>
            </circle>
          ))}
        </svg>
      </div>
    </div>
  );
}
