// Duration over time: one dot per listed trace (start across, duration up; red with errors), so
// slow outliers and bursts stand out. Hover names a trace, a click opens it, and dragging across
// the plot narrows the list to that time range. Faults active in the plotted time are red bands behind the dots. The list below stays the keyboard path to every
// trace; the plot is a picture with a summary for assistive tech.
import { useMemo, useState } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { ParentSize } from '@visx/responsive';
import type { TraceSummary } from '../../../shared/ipc/contract';
import { formatClock, formatDuration } from '../waterfall/format';
import { rangeLabel, scatterScales, tickFormatter } from './scatter-scales';
import { bandsIn } from '../fault-bands/fault-bands';
import { ScatterFaultBands } from '../fault-bands/ScatterFaultBands';
import { useFaultWindows } from '../fault-bands/use-fault-windows';

const HEIGHT = 150;
const MARGIN = { top: 10, right: 16, bottom: 24, left: 64 };

type ScatterProps = {
  traces: readonly TraceSummary[];
  /** The dot colour of a trace without errors (its root service's). */
  colorOf: (t: TraceSummary) => string | undefined;
  onOpen: (traceId: string) => void;
  /** The time range the list is narrowed to, if any (µs since the epoch). */
  range: { sinceUs?: number | undefined; untilUs?: number | undefined };
  onRange: (sinceUs: number | undefined, untilUs: number | undefined) => void;
};

/** Height of the line above the plot. */
const HEAD = 24;

/** The scatter at the width of its container, measured by visx's ParentSize (which needs a set height). */
export function DurationScatter(props: ScatterProps) {
  return (
    <div className="scatter">
      <ParentSize parentSizeStyles={{ width: '100%', height: HEAD + HEIGHT }}>{({ width }) => <ScatterBody {...props} width={width} />}</ParentSize>
    </div>
  );
}

function ScatterBody({
  width,
  traces,
  colorOf,
  onOpen,
  range,
  onRange,
}: ScatterProps & { width: number }) {
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scales = useMemo(() => scatterScales(traces, plotW, plotH), [traces, plotW, plotH]);
  const [axisFrom, axisTo] = scales.xScale.domain() as [number, number];
  const xTickText = tickFormatter(scales.startSpanUs, axisFrom, axisTo);
  const faults = useFaultWindows(traces.length > 0 ? { fromUs: axisFrom, toUs: axisTo } : null);
  const bands = useMemo(() => bandsIn(faults, axisFrom, axisTo), [faults, axisFrom, axisTo]);
  const [hover, setHover] = useState<TraceSummary | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const longest = traces.reduce<TraceSummary | undefined>((m, t) => (!m || t.durationUs > m.durationUs ? t : m), undefined);
  const errors = traces.filter((t) => t.errorCount > 0).length;
  const summary =
    traces.length === 0
      ? 'No traces to plot.'
      : `Duration over time of ${traces.length} trace${traces.length === 1 ? '' : 's'}` +
        `${errors > 0 ? `, ${errors} with errors` : ''}; the longest is ${longest!.rootName} at ${formatDuration(longest!.durationUs)}.` +
        bands.map((b) => ` Fault window: ${b.description}.`).join('');
  const ranged = range.sinceUs !== undefined || range.untilUs !== undefined;

  const local = (e: React.PointerEvent) => e.clientX - (e.currentTarget as Element).getBoundingClientRect().left - MARGIN.left;

  return (
    <>
      <div className="scatter-head">
        <span className="muted">Duration over time{scales.log ? ' (log scale)' : ''} · drag across to narrow the list to a time range</span>
        {ranged && (
          <span className="scatter-range">
            {rangeLabel(range.sinceUs, range.untilUs)}
            <button className="btn btn-small" onClick={() => onRange(undefined, undefined)}>
              Clear time range
            </button>
          </span>
        )}
      </div>
      <div className="scatter-plot">
      {width > 0 && (
        <svg
          width={width}
          height={HEIGHT}
          role="img"
          aria-label={summary}
          onPointerDown={(e) => {
            if ((e.target as Element).tagName === 'circle') return;
            const x = local(e);
            if (x < 0 || x > plotW) return;
            (e.currentTarget as Element).setPointerCapture(e.pointerId);
            setDrag({ from: x, to: x });
          }}
          onPointerMove={(e) => drag && setDrag({ ...drag, to: Math.min(plotW, Math.max(0, local(e))) })}
          onPointerUp={() => {
            if (!drag) return;
            setDrag(null);
            const lo = Math.min(drag.from, drag.to);
            const hi = Math.max(drag.from, drag.to);
            if (hi - lo >= 4) onRange(Math.floor(scales.xToUs(lo)), Math.ceil(scales.xToUs(hi)));
          }}
        >
          <Group left={MARGIN.left} top={MARGIN.top}>
            <rect className="scatter-bg" width={plotW} height={plotH} />
            <ScatterFaultBands bands={bands} width={plotW} height={plotH} />
            {traces.map((t) => (
              <circle
                key={t.traceId}
                data-testid={`scatter-${t.traceId}`}
                className={'scatter-dot' + (t.errorCount > 0 ? ' is-error' : '') + (hover?.traceId === t.traceId ? ' is-hover' : '')}
                cx={scales.x(t.startUs)}
                cy={scales.y(t.durationUs)}
                r={hover?.traceId === t.traceId ? 6 : 4}
                style={t.errorCount > 0 ? undefined : { fill: colorOf(t) }}
                onPointerEnter={() => setHover(t)}
                onPointerLeave={() => setHover((h) => (h?.traceId === t.traceId ? null : h))}
                onClick={() => onOpen(t.traceId)}
              />
            ))}
            {drag && <rect className="scatter-brush" x={Math.min(drag.from, drag.to)} width={Math.abs(drag.to - drag.from)} height={plotH} />}
            <AxisBottom
              top={plotH}
              scale={scales.xScale}
              tickValues={scales.xTicks}
              tickFormat={(v) => xTickText(Number(v))}
              tickClassName="scatter-tick"
              axisClassName="scatter-axis"
            />
            <AxisLeft
              scale={scales.yScale}
              tickValues={scales.yTicks}
              tickFormat={(v) => formatDuration(Number(v))}
              tickClassName="scatter-tick"
              axisClassName="scatter-axis"
            />
          </Group>
        </svg>
      )}
      {hover && (
        <div
          className="scatter-tip"
          style={{
            // Beside the dot, inside the plot (the measured box clips what overflows it).
            left: Math.max(0, Math.min(width - 240, MARGIN.left + scales.x(hover.startUs) + 10)),
            top: Math.max(0, Math.min(HEIGHT - 64, MARGIN.top + scales.y(hover.durationUs) - 28)),
          }}
        >
          <strong>{hover.rootService}</strong> {hover.rootName}
          <br />
          {formatDuration(hover.durationUs)} · {hover.spanCount.toLocaleString()} span{hover.spanCount === 1 ? '' : 's'}
          {hover.errorCount > 0 && <span className="wf-err-text"> · {hover.errorCount} error{hover.errorCount === 1 ? '' : 's'}</span>}
          <br />
          <span className="muted">{formatClock(hover.startUs)}</span>
        </div>
      )}
      </div>
    </>
  );
}
