// The service map's time range picker: all time, a lookback, or the range the traces list already has
// (shown by its ends); Clear goes back to all time. It edits the traces list's filters, so the map, the
// list (and its scatter) and the URL always show the same range.
import { useStudio } from '../../app/store';
import { describeRange, lookbackRange, LOOKBACKS, type LookbackId, type TimeRange } from './time-range';

interface Props {
  range: TimeRange;
  /** The lookback the current range was chosen as (null: all time, or a range from elsewhere). */
  lookback: LookbackId | null;
}

export function TimeRangeControl({ range, lookback }: Props) {
  const setTracesQuery = useStudio((s) => s.setTracesQuery);
  const setMapLookback = useStudio((s) => s.setMapLookback);
  const ranged = range.sinceUs !== undefined || range.untilUs !== undefined;
  const value = !ranged ? 'all' : lookback ?? 'other';
  const choose = (id: string) => {
    if (id === 'all') {
      setTracesQuery({ sinceUs: undefined, untilUs: undefined });
      setMapLookback(null);
      return;
    }
    const preset = LOOKBACKS.find((l) => l.id === id);
    if (preset === undefined) return;
    const chosen = lookbackRange(preset.id, Date.now() * 1000);
    setTracesQuery(chosen);
    setMapLookback({ id: preset.id, sinceUs: chosen.sinceUs });
  };
  return (
    <span className="svc-range">
      <label>
        <span className="muted">Time range </span>
        <select aria-label="Time range" value={value} onChange={(e) => choose(e.target.value)}>
          <option value="all">All time</option>
          {LOOKBACKS.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
          {value === 'other' && (
            <option value="other" disabled>
              {describeRange(range, null)}
            </option>
          )}
        </select>
      </label>
      {ranged && (
        <button className="btn btn-small" onClick={() => choose('all')}>
          Clear range
        </button>
      )}
    </span>
  );
}
