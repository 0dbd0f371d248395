// The regression-injection suite: seeded synthetic histories with known change points and realistic
// noise, and histories drawn from real demo runs (./recorded-series.ts), run through the detector as it
// ships (default options). It prints the confusion figures of both beside Mozilla Perfherder's published
// baseline and asserts the targets where the data can meet them (see the real-runs test).
import { describe, expect, it } from 'vitest';
import { detectChangePoints, DEFAULT_CHANGE_POINT_OPTIONS } from './change-points';
import recorded from './fixtures/demo-runs.json';
import { DEMO_METRICS, DemoRecordingSchema, demoPool, measuredShift, resampledHistory, type DemoMetric } from './recorded-series';
import { mean, quantileSorted, sortedCopy, variance } from './stats';
import { NOISE_KINDS, syntheticSeries } from './synthetic-series';

const LENGTH = 160;
const SHIFT_SIZES = [0.1, 0.15, 0.2, 0.3, 0.5];
const SEEDS_PER_CASE = 10;
const FLAT_SEEDS = 60;
/** A shift counts as found when a change point lies within this many points of it. */
const TOLERANCE = 3;

interface Figures {
  missedByNoise: Record<string, number>;
  shifts: number;
  found: number;
  spurious: number;
  flat: number;
  flatAlerted: number;
}

function runSuite(): Figures {
  const f: Figures = { missedByNoise: {}, shifts: 0, found: 0, spurious: 0, flat: 0, flatAlerted: 0 };
  let seed = 1;
  for (const noise of NOISE_KINDS) {
    for (const size of SHIFT_SIZES) {
      for (const direction of [1, -1]) {
        for (let k = 0; k < SEEDS_PER_CASE; k++) {
          seed++;
          // Shifts land anywhere in the middle 60 % of the history.
          const index = 32 + ((seed * 37) % 96);
          const relative = direction === 1 ? size : 1 / (1 + size) - 1;
          const cps = detectChangePoints(syntheticSeries({ length: LENGTH, level: 100, noise, shifts: [{ index, relative }], seed }));
          f.shifts++;
          if (cps.some((c) => Math.abs(c.index - index) <= TOLERANCE)) f.found++;
          else f.missedByNoise[noise] = (f.missedByNoise[noise] ?? 0) + 1;
          f.spurious += cps.filter((c) => Math.abs(c.index - index) > TOLERANCE).length;
        }
      }
    }
    for (let k = 0; k < FLAT_SEEDS; k++) {
      seed++;
      f.flat++;
      if (detectChangePoints(syntheticSeries({ length: LENGTH, level: 100, noise, shifts: [], seed })).length > 0) f.flatAlerted++;
    }
  }
  return f;
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;

describe('regression-injection suite (default detector options)', () => {
  it('finds ≥ 95 % of shifts ≥ 10 % within 3 points and alerts on ≤ 5 % of flat series', () => {
    const f = runSuite();
    const o = DEFAULT_CHANGE_POINT_OPTIONS;
    console.log(
      [
        `change points: window ${o.windowLength}, p ≤ ${o.maxPValue}, min magnitude ${o.minMagnitude}, min segment ${o.minSegmentLength}; ${LENGTH}-point series, noise ${NOISE_KINDS.join(', ')}`,
        `  shifts found within ${TOLERANCE} points: ${f.found}/${f.shifts} (${pct(f.found, f.shifts)}), missed ${pct(f.shifts - f.found, f.shifts)}  [Perfherder: 6.8 % missed]`,
        `  flat series alerted: ${f.flatAlerted}/${f.flat} (${pct(f.flatAlerted, f.flat)})  [Perfherder: 12.5 % false alert groups]`,
        `  missed by noise: ${JSON.stringify(f.missedByNoise)} (of ${f.shifts / NOISE_KINDS.length} each)`,
        `  extra alerts in shifted series: ${f.spurious} over ${f.shifts} series`,
      ].join('\n'),
    );
    expect(f.found / f.shifts).toBeGreaterThanOrEqual(0.95);
    expect(f.flatAlerted / f.flat).toBeLessThanOrEqual(0.05);
  });
});

// Histories of real demo runs: each point one run's p95, as `clnrm perf history` would show it.
const REAL_LENGTH = 60;
const REAL_SERIES = 100;
/** The target applies to shifts of at least this much. */
const MIN_TARGET_SHIFT = 0.1;

interface RealFigures {
  metric: DemoMetric;
  byDelay: Array<{ delayMs: number; shift: number; found: number; series: number }>;
  flatAlerted: number;
}

function runRealSuite(metric: DemoMetric): RealFigures {
  const recording = DemoRecordingSchema.parse(recorded);
  const flatPool = demoPool(recording, 0, metric);
  let seed = 10_000;
  const byDelay = recording.delaysMs.map((delayMs) => {
    const before = demoPool(recording, 0, metric, delayMs);
    const after = demoPool(recording, delayMs, metric);
    let found = 0;
    for (let k = 0; k < REAL_SERIES; k++) {
      seed++;
      const index = 12 + ((seed * 37) % 36);
      const cps = detectChangePoints(resampledHistory(before, after, REAL_LENGTH, index, seed));
      if (cps.some((c) => Math.abs(c.index - index) <= TOLERANCE)) found++;
    }
    return { delayMs, shift: measuredShift(recording, delayMs, metric), found, series: REAL_SERIES };
  });
  let flatAlerted = 0;
  for (let k = 0; k < REAL_SERIES; k++) if (detectChangePoints(resampledHistory(flatPool, undefined, REAL_LENGTH, 0, ++seed)).length > 0) flatAlerted++;
  return { metric, byDelay, flatAlerted };
}

describe('regression-injection suite on real demo runs (DEMO_DB_DELAY_MS, fixtures/demo-runs.json)', () => {
  it('prints shifts found and flat histories alerted, and alerts on ≤ 5 % of flat histories', () => {
    const recording = DemoRecordingSchema.parse(recorded);
    const lines = [`real demo runs: ${recording.runs.length} recorded ${recording.recordedAt.slice(0, 10)} on ${recording.cores} cores (load average ${recording.loadAverage.min}–${recording.loadAverage.max}), ${recording.readsPerRun} requests a run; ${REAL_SERIES} resampled ${REAL_LENGTH}-run histories per case`];
    const all = DEMO_METRICS.map(runRealSuite);
    let targetShifts = 0;
    let targetFound = 0;
    for (const f of all) {
      for (const d of f.byDelay) {
        const counts = d.shift >= MIN_TARGET_SHIFT;
        if (counts) {
          targetShifts += d.series;
          targetFound += d.found;
        }
        lines.push(`  ${f.metric} +${d.delayMs} ms (measured shift ${(100 * d.shift).toFixed(1)} %${counts ? '' : ', under 10 %: not counted'}): found within ${TOLERANCE} points ${d.found}/${d.series} (${pct(d.found, d.series)})`);
      }
      const flat = demoPool(recording, 0, f.metric);
      lines.push(`  ${f.metric} delay-0 runs: ${flat.length}, median ${quantileSorted(sortedCopy(flat), 0.5).toFixed(1)} ms, run-to-run variation ${pct(Math.sqrt(variance(flat)), mean(flat))} (sd / mean)`);
      lines.push(`  ${f.metric} flat histories alerted: ${f.flatAlerted}/${REAL_SERIES} (${pct(f.flatAlerted, REAL_SERIES)})  [Perfherder: 12.5 % false alert groups]`);
    }
    if (targetShifts > 0) lines.push(`  shifts ≥ 10 % found within ${TOLERANCE} points: ${targetFound}/${targetShifts} (${pct(targetFound, targetShifts)}), missed ${pct(targetShifts - targetFound, targetShifts)}  [target ≥ 95 %; Perfherder: 6.8 % missed]`);
    console.log(lines.join('\n'));
    for (const f of all) expect(f.flatAlerted / REAL_SERIES).toBeLessThanOrEqual(0.05);
  });
});
