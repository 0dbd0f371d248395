// Property tests: the indexed/sweeping algorithms agree with brute force on random small traces,
// and verdicts don't depend on the order spans arrive in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateExpectations } from './evaluate';
import { spans } from './testing';
import type { SpanSpec } from './testing';
import { clnrmTrace } from './test-trace';

const interval = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 50 })).map(([s, d]) => ({ s, e: s + d }));

function flat(name: string, xs: { s: number; e: number }[], prefix: string): SpanSpec[] {
  return xs.map((x, k) => ({ id: `${prefix}${k}`, name, startMs: x.s, endMs: x.e }));
}

describe('algorithms agree with brute force', () => {
  it('window containment', () => {
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 6 }), fc.array(interval, { minLength: 1, maxLength: 6 }), (outer, inner) => {
        const s = spans([...flat('outer', outer, 'o'), ...flat('inner', inner, 'i')]);
        const [r] = evaluateExpectations(s, { expect: { window: [{ outer: 'outer', contains: ['inner'] }] } });
        const brute = inner.every((i) => outer.some((o) => o.s <= i.s && i.e <= o.e));
        expect(r!.passed).toBe(brute);
      }),
      { numRuns: 300 },
    );
  });

  it('concurrent overlap finds the best common overlap', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { minLength: 1, maxLength: 4 }),
        fc.array(interval, { minLength: 1, maxLength: 4 }),
        fc.array(interval, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 40 }),
        (a, b, c, minOverlap) => {
          const s = spans([...flat('a', a, 'a'), ...flat('b', b, 'b'), ...flat('c', c, 'c')]);
          const [r] = evaluateExpectations(s, {
            temporal: { constraint: [{ type: 'concurrent_overlap', spans: ['a', 'b', 'c'], min_overlap_ms: minOverlap }] },
          });
          let best = -Infinity;
          for (const x of a) for (const y of b) for (const z of c) best = Math.max(best, Math.min(x.e, y.e, z.e) - Math.max(x.s, y.s, z.s));
          expect(r!.passed).toBe(best > 0 && best >= minOverlap);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('happens_before with a maximum gap', () => {
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 5 }), fc.array(interval, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 60 }), (first, second, gap) => {
        const s = spans([...flat('first', first, 'f'), ...flat('second', second, 's')]);
        const [r] = evaluateExpectations(s, { temporal: { constraint: [{ type: 'happens_before', first: 'first', second: 'second', max_gap_ms: gap }] } });
        const brute = second.every((y) => first.some((x) => x.e <= y.s && y.s - x.e <= gap));
        expect(r!.passed).toBe(brute);
      }),
      { numRuns: 300 },
    );
  });

  it('latency percentiles are nearest-rank', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 40 }), fc.constantFrom(50, 90, 95, 99), (durations, p) => {
        const s = spans(durations.map((d, k) => ({ id: `l${k}`, name: 'op', startMs: 0, endMs: d })));
        const sorted = [...durations].sort((x, y) => x - y);
        const want = sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
        const key = `p${p}` as 'p50';
        const ok = evaluateExpectations(s, { temporal: { constraint: [{ type: 'latency_percentiles', span: 'op', [key]: { max_ms: want } }] } });
        const tight = evaluateExpectations(s, { temporal: { constraint: [{ type: 'latency_percentiles', span: 'op', [key]: { max_ms: want - 0.5 } }] } });
        expect(ok[0]!.passed).toBe(true);
        expect(tight[0]!.passed).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('verdicts do not depend on span order', () => {
  it('every family gives the same pass/fail for any permutation', () => {
    const base = clnrmTrace();
    const config = {
      expect: {
        span: [{ name: 'clnrm.step:*', parent: 'clnrm.run', events: { any: ['container.exec'] } }, { name: 'container.exec', kind: 'server' }],
        graph: { must_include: [['clnrm.run', 'clnrm.cleanup']] as [string, string][], acyclic: true },
        counts: { spans_total: { eq: 5 }, by_name: { 'clnrm.*': { gte: 4 } } },
        window: [{ outer: 'clnrm.run', contains: ['container.exec'] }],
        order: { must_precede: [['clnrm.plugin.registry', 'clnrm.cleanup']] as [string, string][] },
        status: { all: 'OK' },
      },
      temporal: { constraint: [{ type: 'causal_ordering' as const, spans: ['clnrm.run', 'container.exec'] }] },
    };
    const want = evaluateExpectations(base, config).map((r) => r.passed);
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }), (order) => {
        const got = evaluateExpectations(order.map((i) => base[i]!), config).map((r) => r.passed);
        expect(got).toEqual(want);
      }),
    );
  });
});
