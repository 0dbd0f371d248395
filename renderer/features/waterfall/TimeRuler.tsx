// Time ruler above the timeline column: ticks for the zoomed window, the faults active then as bands;
// drag across it to zoom in.
import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../../app/store';
import { formatDuration, ticks } from './format';
import { useRangeDrag } from './use-range-drag';
import type { ShownFaultWindow } from '../fault-bands/live-fault-windows';
import { FaultBands } from '../fault-bands/FaultBands';

/** Labels need ~70 px each: a narrow timeline (small window, wide name column) gets fewer ticks. */
const PX_PER_TICK = 70;

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

export function TimeRuler({ totalUs, startUs, faults }: { totalUs: number; startUs: number; faults: readonly ShownFaultWindow[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const target = width > 0 ? Math.max(2, Math.min(8, Math.floor(width / PX_PER_TICK))) : 6;
  const zoom = useStudio((s) => s.zoom);
  const setZoom = useStudio((s) => s.setZoom);
  const fromUs = zoom[0] * totalUs;
  const spanUs = (zoom[1] - zoom[0]) * totalUs;
  const drag = useRangeDrag((a, b) => setZoom([zoom[0] + a * (zoom[1] - zoom[0]), zoom[0] + b * (zoom[1] - zoom[0])]));
  return (
    <div className="wf-ruler" ref={ref} {...drag.handlers} title="Drag to zoom into a time range" data-testid="time-ruler">
      <FaultBands windows={faults} fromUs={startUs + fromUs} toUs={startUs + fromUs + spanUs} labelled />
      {ticks(fromUs, fromUs + spanUs, target).map((t) => {
        const x = ((t - fromUs) / Math.max(spanUs, 1e-9)) * 100;
        // A label needs ~48 px to its right, or it is cut at the edge.
        const showLabel = width > 0 ? ((100 - x) / 100) * width >= 48 : x < 96;
        return (
          <span key={t} className="wf-tick" style={{ left: `${x}%` }}>
            {showLabel && <span className="label">{formatDuration(t)}</span>}
          </span>
        );
      })}
      {drag.range && <span className="wf-drag" style={{ left: `${Math.min(...drag.range) * 100}%`, width: `${Math.abs(drag.range[1] - drag.range[0]) * 100}%` }} />}
    </div>
  );
}
