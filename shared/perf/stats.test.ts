// Reference values: R's documentation examples (wilcox.test's Hollander & Wolfe data, t.test's
// `sleep` data) and SciPy 1.17.1 (`scipy.stats.mannwhitneyu`, `ttest_ind`, `t.cdf`, `numpy.percentile`).
import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from './mann-whitney';
import { histogram, mean, moments, percentiles, studentTTest, summarize, variance, welchTTest } from './stats';

// R: example(wilcox.test), "Hollander & Wolfe (1973), 69f."
const HW_X = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const HW_Y = [1.15, 0.88, 0.9, 0.74, 1.21];
// R: datasets::sleep, extra by group.
const SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
// numpy.random.default_rng(1): normal(10, 2, 60) and normal(11, 2, 70), rounded to 3 decimals.
const A = [10.691, 11.643, 10.661, 7.394, 11.811, 10.893, 8.926, 11.162, 10.729, 10.588, 10.057, 11.093, 8.527, 9.674, 9.036, 11.198, 10.079, 9.415, 8.436, 9.486, 10.016, 9.449, 12.588, 12.013, 4.578, 6.222, 9.65, 9.156, 10.427, 10.435, 14.236, 7.776, 9.245, 14.086, 11.293, 11.326, 8.972, 6.704, 10.335, 10.218, 7.545, 8.634, 9.856, 8.11, 9.803, 10.191, 10.071, 8.987, 11.187, 11.782, 10.642, 8.364, 11.463, 8.997, 11.758, 7.856, 11.829, 9.96, 7.503, 9.372];
const B = [11.108, 11.546, 9.036, 8.785, 11.399, 10.067, 11.471, 12.519, 7.702, 11.509, 13.449, 10.405, 9.378, 12.504, 11.507, 12.792, 10.31, 8.036, 10.78, 10.108, 12.551, 11.387, 7.738, 8.61, 12.768, 12.36, 9.72, 10.998, 11.891, 11.937, 12.752, 11.513, 10.81, 10.482, 13.111, 6.498, 10.723, 11.066, 8.149, 11.666, 9.697, 12.725, 10.749, 12.338, 13.438, 11.766, 9.249, 7.971, 14.507, 10.777, 9.623, 11.289, 10.617, 12.704, 11.068, 11.027, 9.571, 11.939, 8.932, 12.332, 14.048, 7.951, 6.068, 12.234, 16.096, 8.998, 8.499, 12.178, 9.319, 9.988];

describe('percentiles (type 7)', () => {
  it('matches numpy.percentile', () => {
    expect(percentiles([40, 15, 50, 35, 20], [5, 30, 40, 50, 100])).toEqual([16, 23, 29, 35, 50]);
  });
  it('is NaN for an empty sample and rejects p outside 0–100', () => {
    expect(percentiles([], [50])[0]).toBeNaN();
    expect(() => percentiles([1], [101])).toThrow(RangeError);
  });
});

describe('mean, variance, summary', () => {
  it('keeps precision on large offsets (Welford)', () => {
    const xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(mean(xs)).toBe(1e9 + 10);
    expect(variance(xs)).toBeCloseTo(30, 9);
  });
  it('summarizes', () => {
    const s = summarize([3, 1, 2, 4]);
    expect(s).toMatchObject({ count: 4, mean: 2.5, min: 1, max: 4, p50: 2.5 });
    expect(s.p95).toBeCloseTo(3.85, 12);
  });
});

describe('histogram', () => {
  it('counts equal-width bins, the maximum in the last bin', () => {
    const h = histogram([0, 1, 2, 3, 4, 4], 4);
    expect(h.edges).toEqual([0, 1, 2, 3, 4]);
    expect(h.counts).toEqual([1, 1, 1, 3]);
  });
  it('puts equal values into one bin and rejects bad bin counts', () => {
    expect(histogram([5, 5, 5], 10).counts).toEqual([3]);
    expect(() => histogram([1], 0)).toThrow(RangeError);
  });
});

describe('Mann-Whitney U', () => {
  it('exact without ties (R: W = 35, p-value = 0.2544)', () => {
    const r = mannWhitneyU(HW_X, HW_Y);
    expect(r).toMatchObject({ u: 35, method: 'exact' });
    expect(r.pValue).toBeCloseTo(0.2544122544122544, 12);
  });
  it('normal approximation with ties and continuity correction (SciPy 0.005625214779700691)', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 3, 3, 4, 5, 5, 6], [3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 9]);
    expect(r).toMatchObject({ u: 15.5, method: 'normal' });
    expect(r.pValue).toBeCloseTo(0.005625214779700691, 10);
  });
  it('normal approximation for large samples (SciPy U = 1456.5, p = 0.0026741405319553354)', () => {
    const r = mannWhitneyU(A, B);
    expect(r.u).toBe(1456.5);
    expect(r.pValue).toBeCloseTo(0.0026741405319553354, 10);
  });
  it('p = 1 when every value is equal; rejects an empty sample', () => {
    expect(mannWhitneyU([2, 2, 2], [2, 2]).pValue).toBe(1);
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});

describe('t-tests', () => {
  it("Welch on R's sleep data (t = -1.8608, df = 17.776, p-value = 0.07939)", () => {
    const r = welchTTest(moments(SLEEP_1), moments(SLEEP_2));
    expect(r.t).toBeCloseTo(-1.8608134674868526, 12);
    expect(r.df).toBeCloseTo(17.776473516178488, 10);
    expect(r.pValue).toBeCloseTo(0.0793941401873583, 12);
  });
  it('Student (pooled) on the sleep data (SciPy p = 0.07918671421593822)', () => {
    const r = studentTTest(moments(SLEEP_1), moments(SLEEP_2));
    expect(r.df).toBe(18);
    expect(r.pValue).toBeCloseTo(0.07918671421593822, 12);
  });
  it('large samples (SciPy Welch p = 0.003920554339805881, Student p = 0.004154940786168961)', () => {
    expect(welchTTest(moments(A), moments(B)).pValue).toBeCloseTo(0.003920554339805881, 12);
    expect(studentTTest(moments(A), moments(B)).pValue).toBeCloseTo(0.004154940786168961, 12);
  });
  it('no spread: equal means give p = 1, different means p = 0', () => {
    expect(welchTTest(moments([1, 1]), moments([1, 1, 1])).pValue).toBe(1);
    expect(studentTTest(moments([1, 1]), moments([2, 2, 2])).pValue).toBe(0);
  });
});
