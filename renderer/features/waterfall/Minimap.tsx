// Minimap: the whole trace (all visible rows, top to bottom) squeezed onto a canvas strip, with
// the zoomed window outlined. Drag on it to zoom; double-click to reset.
import { useEffect, useMemo, useRef } from 'react';
import { useStudio } from '../../app/store';
import { rowBuckets } from '../../../shared/trace';
import { getLoadedTrace, getRows } from './trace-holder';
import { useRangeDrag } from './use-range-drag';

const HEIGHT = 56;

export function Minimap({ theme }: { theme: 'light' | 'dark' }) {
  const collapseVersion = useStudio((s) => s.collapseVersion);
  const traceVersion = useStudio((s) => s.traceVersion);
  const zoom = useStudio((s) => s.zoom);
  const setZoom = useStudio((s) => s.setZoom);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const trace = getLoadedTrace();
  const buckets = useMemo(() => (trace ? rowBuckets(trace.tree, getRows(collapseVersion), HEIGHT / 2) : []), [trace, collapseVersion, traceVersion]);
  const drag = useRangeDrag((a, b) => setZoom([a, b]));

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !trace) return;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, HEIGHT);
    const t0 = trace.tree.traceStartUs;
    const total = Math.max(trace.tree.traceEndUs - t0, 1e-9);
    const h = HEIGHT / Math.max(buckets.length, 1);
    buckets.forEach((b, k) => {
      const s = trace.tree.spans[b.dominant]!;
      const c = trace.colors.get(s.serviceName);
      ctx.fillStyle = (theme === 'dark' ? c?.dark : c?.light) ?? '#888';
      const x = ((b.startUs - t0) / total) * width;
      const w = Math.max(1, ((b.endUs - b.startUs) / total) * width);
      ctx.fillRect(x, k * h + 0.5, w, Math.max(1, h - 1));
      if (b.errors > 0) {
        // Errors: a red notch at the left edge of the strip, so they are findable at any size.
        ctx.fillStyle = theme === 'dark' ? '#f06262' : '#d93a3a';
        ctx.fillRect(0, k * h + 0.5, 3, Math.max(1, h - 1));
      }
    });
  }, [buckets, trace, theme]);

  return (
    <div className="wf-minimap" {...drag.handlers} onDoubleClick={() => setZoom([0, 1])} title="Drag to zoom, double-click to reset" data-testid="minimap">
      <canvas ref={canvasRef} style={{ height: HEIGHT }} aria-label="Trace overview" role="img" />
      {(zoom[0] > 0 || zoom[1] < 1) && (
        <>
          <span className="wf-minimap-shade" style={{ left: 0, width: `${zoom[0] * 100}%` }} />
          <span className="wf-minimap-shade" style={{ left: `${zoom[1] * 100}%`, right: 0 }} />
          <span className="wf-minimap-window" style={{ left: `${zoom[0] * 100}%`, width: `${(zoom[1] - zoom[0]) * 100}%` }} />
        </>
      )}
      {drag.range && <span className="wf-drag" style={{ left: `${Math.min(...drag.range) * 100}%`, width: `${Math.abs(drag.range[1] - drag.range[0]) * 100}%` }} />}
    </div>
  );
}
