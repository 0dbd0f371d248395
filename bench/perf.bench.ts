// Change-point detection speed: one batch analysis of a 10,000-point history (target < 100 ms), and
// the cost of appending one point to an already analysed history of 1k, 10k and 100k points (it
// should not grow with the history; appends that see a new shift cost more than quiet ones, so each
// size gets the same shift in its appended stretch). Prints figures; asserts nothing.
import { loadavg } from 'node:os';
import { ChangePointTracker, detectChangePoints } from '../shared/perf/change-points';
import { syntheticSeries, type Shift } from '../shared/perf/synthetic-series';

const APPENDS = 300;

/**
 * A history with a +15 % / −12 % shift every 2,000 points and 5 % log-normal noise; `alsoAt` adds
 * one more shift (the appended stretch gets one at the same place for every size).
 */
function history(length: number, seed: number, alsoAt?: number): Float64Array {
  const shifts: Shift[] = [];
  for (let at = 1000; at < length; at += 2000) if (Math.abs(at - (alsoAt ?? -1e9)) > 500) shifts.push({ index: at, relative: shifts.length % 2 ? -0.12 : 0.15 });
  if (alsoAt !== undefined) shifts.push({ index: alsoAt, relative: 0.2 });
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

// Warm-up, so the first size measured does not pay for compiling the append path.
const warm = ChangePointTracker.analysed(history(2_000, 3));
for (const v of history(600, 4)) warm.append(v);

for (const size of [1_000, 10_000, 100_000]) {
  const values = history(size + APPENDS, 2, size + APPENDS / 3);
  const start = performance.now();
  const tracker = ChangePointTracker.analysed(values.subarray(0, size));
  const analyseMs = performance.now() - start;
  const costs: number[] = [];
  const cpuCosts: number[] = [];
  for (let i = size; i < values.length; i++) {
    const cpu = process.cpuUsage();
    const t = performance.now();
    tracker.append(values[i]!);
    costs.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuCosts.push((used.user + used.system) / 1000);
  }
  console.log(
    `append to ${String(size).padStart(7)} points: median ${(median(costs) * 1000).toFixed(0)} µs, p95 ${(quantile(costs, 0.95) * 1000).toFixed(0)} µs, max ${(Math.max(...costs) * 1000).toFixed(0)} µs wall; CPU median ${(median(cpuCosts) * 1000).toFixed(0)} µs, p95 ${(quantile(cpuCosts, 0.95) * 1000).toFixed(0)} µs; ${APPENDS} appends, a +20 % shift ${APPENDS / 3} points in (analysing the ${size} first: ${analyseMs.toFixed(0)} ms; ${tracker.changePoints().length} change points)`,
  );
}
