// A span's self time: its duration minus the time its children cover (each child clipped to the span,
// overlaps counted once). It is what a span spends on its own work, so it stays the same whichever
// children a run happens to have (a cache miss adds a db call, not self time): a bound on it catches a
// span that got slower even where its whole duration varies with its optional children.

/** Self time in µs of a span [start, end) whose children cover the intervals [s, e) in `children`. */
export function selfTimeUs(start: number, end: number, children: readonly (readonly [number, number])[]): number {
  const clipped = children
    .map(([s, e]) => [Math.max(s, start), Math.min(e, end)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let from = start;
  let to = start;
  for (const [s, e] of clipped) {
    if (s > to) {
      covered += to - from;
      from = s;
      to = e;
    } else if (e > to) to = e;
  }
  covered += to - from;
  return Math.max(0, end - start - covered);
}
