// Seeded synthetic performance histories for the regression-injection suite and the benchmark:
// a base level, optional step changes, and realistic noise (normal, log-normal, outliers).
import { mulberry32 } from '../random';

export type NoiseKind = 'normal-2%' | 'normal-5%' | 'log-normal-5%' | 'log-normal-10%' | 'normal-3%+outliers';
export const NOISE_KINDS: readonly NoiseKind[] = ['normal-2%', 'normal-5%', 'log-normal-5%', 'log-normal-10%', 'normal-3%+outliers'];

export interface Shift {
  /** First index at the new level. */
  readonly index: number;
  /** Relative change of the level, e.g. 0.1 = +10 %. */
  readonly relative: number;
}

export interface SeriesSpec {
  readonly length: number;
  readonly level: number;
  readonly noise: NoiseKind;
  readonly shifts: readonly Shift[];
  readonly seed: number;
}

/** Standard normal deviates by Box-Muller from a seeded uniform generator. */
function gaussian(uniform: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Multiplicative noise factor around 1. */
function noiseFactor(kind: NoiseKind, uniform: () => number, normal: () => number): number {
  switch (kind) {
    case 'normal-2%':
      return 1 + 0.02 * normal();
    case 'normal-5%':
      return 1 + 0.05 * normal();
    case 'log-normal-5%':
      return Math.exp(0.05 * normal());
    case 'log-normal-10%':
      return Math.exp(0.1 * normal());
    case 'normal-3%+outliers':
      // 2 % of the points are slow outliers, 1.5–3 × the level (a GC pause, a noisy neighbour).
      return uniform() < 0.02 ? 1.5 + 1.5 * uniform() : 1 + 0.03 * normal();
  }
}

export function syntheticSeries(spec: SeriesSpec): Float64Array {
  const uniform = mulberry32(spec.seed);
  const normal = gaussian(uniform);
  const out = new Float64Array(spec.length);
  let level = spec.level;
  let next = 0;
  const shifts = [...spec.shifts].sort((a, b) => a.index - b.index);
  for (let i = 0; i < spec.length; i++) {
    while (next < shifts.length && shifts[next]!.index === i) level *= 1 + shifts[next++]!.relative;
    out[i] = level * noiseFactor(spec.noise, uniform, normal);
  }
  return out;
}
