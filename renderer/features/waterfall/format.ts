// Human formats for durations and offsets, and "nice" tick steps for the time ruler.

export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '—';
  const a = Math.abs(us);
  if (a < 1) return `${(us * 1000).toFixed(0)} ns`;
  if (a < 1000) return `${trim(us)} µs`;
  if (a < 1_000_000) return `${trim(us / 1000)} ms`;
  if (a < 60_000_000) return `${trim(us / 1_000_000)} s`;
  const m = Math.floor(a / 60_000_000);
  return `${us < 0 ? '-' : ''}${m}m ${trim((a - m * 60_000_000) / 1_000_000)}s`;
}

function trim(v: number): string {
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A step from the 1-2-5 series so that `span / step` is about `target` ticks. */
export function niceStep(span: number, target: number): number {
  if (span <= 0) return 1;
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
}

/** Tick positions (µs offsets from the trace start) inside [fromUs, toUs]. */
export function ticks(fromUs: number, toUs: number, target = 6): number[] {
  const step = niceStep(toUs - fromUs, target);
  const out: number[] = [];
  for (let t = Math.ceil(fromUs / step) * step; t <= toUs + step * 1e-9 && out.length < 50; t += step) out.push(t);
  return out;
}

export function formatClock(us: number): string {
  const d = new Date(us / 1000);
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
