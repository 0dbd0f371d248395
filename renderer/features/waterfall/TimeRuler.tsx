// Time ruler above the timeline column: ticks for the zoomed window; drag across it to zoom in.
import { useStudio } from '../../app/store';
import { formatDuration, ticks } from './format';
import { useRangeDrag } from './use-range-drag';

export function TimeRuler({ totalUs }: { totalUs: number }) {
  const zoom = useStudio((s) => s.zoom);
  const setZoom = useStudio((s) => s.setZoom);
  const fromUs = zoom[0] * totalUs;
  const spanUs = (zoom[1] - zoom[0]) * totalUs;
  const drag = useRangeDrag((a, b) => setZoom([zoom[0] + a * (zoom[1] - zoom[0]), zoom[0] + b * (zoom[1] - zoom[0])]));
  return (
    <div className="wf-ruler" {...drag.handlers} title="Drag to zoom into a time range" data-testid="time-ruler">
      {ticks(fromUs, fromUs + spanUs, 6).map((t) => {
        const x = ((t - fromUs) / Math.max(spanUs, 1e-9)) * 100;
        return (
          <span key={t} className="wf-tick" style={{ left: `${x}%` }}>
            {x < 96 && <span className="label">{formatDuration(t)}</span>}
          </span>
        );
      })}
      {drag.range && <span className="wf-drag" style={{ left: `${Math.min(...drag.range) * 100}%`, width: `${Math.abs(drag.range[1] - drag.range[0]) * 100}%` }} />}
    </div>
  );
}
