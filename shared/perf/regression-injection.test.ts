// The regression-injection suite: seeded synthetic histories with known change points and realistic
// noise, run through the detector as it ships (default options). It asserts the targets and
// prints the confusion figures beside Mozilla Perfherder's published baseline.
import { describe, expect, it } from 'vitest';
import { detectChangePoints, DEFAULT_CHANGE_POINT_OPTIONS } from './change-points';
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
