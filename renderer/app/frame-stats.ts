// Opt-in per-frame timing of the waterfall's scroll renders (JS + React commit), switched on only
// by the performance harness, so the benchmark can separate our work per frame from the
// browser's layout/paint and from machine load.
export const frameStats = {
  enabled: false,
  samples: [] as number[],
  record(ms: number): void {
    if (this.enabled && this.samples.length < 100_000) this.samples.push(ms);
  },
};
