// Fault windows drawn as translucent bands over a time axis: a handful of absolutely placed divs (never
// one per row), each named for assistive tech and titled with its fault, service and exact times; a fault
// still in runs on to the axis' end with an open (fading) right edge. Its styles
// (./fault-bands.css) are imported by the views that use it, so server-rendered tests need no CSS loader.
import { bandsIn } from './fault-bands';
import type { ShownFaultWindow } from './live-fault-windows';

interface Props {
  readonly windows: readonly ShownFaultWindow[];
  /** The axis' time window, µs since the epoch. */
  readonly fromUs: number;
  readonly toUs: number;
  /** Labelled bands (the ruler, the scatter); bare ones behind rows are hidden from assistive tech. */
  readonly labelled: boolean;
}

export function FaultBands({ windows, fromUs, toUs, labelled }: Props) {
  const bands = bandsIn(windows, fromUs, toUs);
  if (bands.length === 0) return null;
  return (
    <div className={'fault-bands' + (labelled ? ' is-labelled' : '')} role={labelled ? 'list' : undefined} aria-label={labelled ? 'Fault windows' : undefined} aria-hidden={labelled ? undefined : true}>
      {bands.map((b) => (
        <div
          key={b.key}
          className={'fault-band' + (b.ongoing ? ' is-ongoing' : '')}
          role={labelled ? 'listitem' : undefined}
          aria-label={labelled ? `Fault window: ${b.description}` : undefined}
          title={labelled ? b.description : undefined}
          style={{ left: `${b.left * 100}%`, width: `max(2px, ${b.width * 100}%)` }}
        >
          {labelled && <span className="fault-band-label">⚡ {b.label}</span>}
        </div>
      ))}
    </div>
  );
}
