// Fault windows as vertical bands on the traces scatter's time axis: SVG rects drawn behind the dots (so a
// dot inside a band stays clickable and a drag may start on a band), each titled with its fault; a fault still
// in (ongoing) is drawn with a fading fill up to the axis' end.
import type { FaultBand } from './fault-bands';
import './fault-bands.css';

export function ScatterFaultBands({ bands, width, height }: { bands: readonly FaultBand[]; width: number; height: number }) {
  return (
    <g className="scatter-fault-bands">
      {bands.some((b) => b.ongoing) && (
        <defs>
          <linearGradient id="scatter-fault-ongoing">
            <stop offset="60%" className="scatter-fault-ongoing-stop" stopOpacity={0.12} />
            <stop offset="100%" className="scatter-fault-ongoing-stop" stopOpacity={0.02} />
          </linearGradient>
        </defs>
      )}
      {bands.map((b) => (
        <rect key={b.key} className={'scatter-fault-band' + (b.ongoing ? ' is-ongoing' : '')} data-testid="scatter-fault-band" x={b.left * width} width={Math.max(2, b.width * width)} height={height}>
          <title>{b.description}</title>
        </rect>
      ))}
    </g>
  );
}
