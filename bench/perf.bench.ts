// Change-point detection speed: one batch analysis of a 10,000-point history (target < 100 ms), and
// the cost of appending one point to an already analysed history of 1k, 10k and 100k points (it
// should not grow with the history). Prints figures; asserts nothing.
import { loadavg } from 'node:os';
import { ChangePointTracker, detectChangePoints } from '../shared/perf/change-points';
import { syntheticSeries, type Shift } from '../shared/perf/synthetic-series';

const APPENDS = 300;

/** A history with a +15 % / −12 % shift every 2,000 points and 5 % log-normal noise. */
function history(length: number, seed: number): Float64Array {
  const shifts: Shift[] = [];
  for (let at = 1000; at < length; at += 2000) shifts.push({ index: at, relative: shifts.length % 2 ? -0.12 : 0.15 });
  return syntheticSeries({ length, level: 100, noise: 'log-normal-5%', shifts, seed });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const tenK = history(10_000, 1);
detectChangePoints(tenK); // warm-up
const batch: number[] = [];
const batchCpu: number[] = [];
let found = 0;
for (let r = 0; r < 7; r++) {
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes' turns.
  const cpu = process.cpuUsage();
  const start = performance.now();
  found = detectChangePoints(tenK).length;
  batch.push(performance.now() - start);
  const used = process.cpuUsage(cpu);
  batchCpu.push((used.user + used.system) / 1000);
}
console.log(`batch, 10,000 points: median ${median(batch).toFixed(1)} ms wall, ${median(batchCpu).toFixed(1)} ms CPU, of 7 (target < 100 ms); ${found} change points`);

for (const size of [1_000, 10_000, 100_000]) {
  const values = history(size + APPENDS, 2);
  const start = performance.now();
  const tracker = ChangePointTracker.analysed(values.subarray(0, size));
  const analyseMs = performance.now() - start;
  const costs: number[] = [];
  for (let i = size; i < values.length; i++) {
    const t = performance.now();
    tracker.append(values[i]!);
    costs.push(performance.now() - t);
  }
  console.log(
    `append to ${String(size).padStart(7)} points: median ${(median(costs) * 1000).toFixed(0)} µs, p95 ${(quantile(costs, 0.95) * 1000).toFixed(0)} µs over ${APPENDS} appends (analysing the ${size} first: ${analyseMs.toFixed(0)} ms; ${tracker.changePoints().length} change points)`,
  );
}
