import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSpan } from '../model';
import type { Span } from '../model';
import { diffTraces, fnv1a64, normalizedTraceHash, normalizedTraceHashOfIndex } from './determinism';
import { buildTraceIndex } from './trace-index';
import { clnrmTrace } from './test-trace';
import { spans } from './testing';

function fnvReference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The same run with fresh ids, shifted timestamps, different durations and shuffled input order. */
function rerun(trace: readonly Span[], seed: number, order: number[]): Span[] {
  const remap = new Map<string, string>();
  const fresh = (id: string, width: number) => {
    let v = remap.get(id);
    if (!v) {
      v = (BigInt(seed + 1) * 7919n + BigInt(remap.size) * 104729n).toString(16).padStart(width, '0').slice(-width);
      remap.set(id, v);
    }
    return v;
  };
  const shift = BigInt(seed) * 1_000_003n;
  const moved = trace.map((s, k) =>
    buildSpan({
      ...s,
      traceId: fresh(`t${s.traceId}`, 32),
      spanId: fresh(s.spanId, 16),
      parentSpanId: s.parentSpanId ? fresh(s.parentSpanId, 16) : undefined,
      startTimeUnixNano: (BigInt(s.startTimeUnixNano) + shift).toString(),
      endTimeUnixNano: (BigInt(s.endTimeUnixNano) + shift + BigInt(k * seed)).toString(),
      attributes: [...s.attributes, { key: 'thread.id', value: { intValue: String(seed) } }].reverse(),
    }),
  );
  return order.map((i) => moved[i]!);
}

describe('fnv1a64', () => {
  it('matches a BigInt reference implementation', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => fnv1a64(s) === fnvReference(s)));
    expect(fnv1a64('')).toBe('cbf29ce484222325');
  });
});

describe('normalizedTraceHash', () => {
  const base = clnrmTrace();
  const baseHash = normalizedTraceHash(base);

  it('is invariant under ids, timestamps, durations, volatile attributes and span order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }), (seed, order) => {
        expect(normalizedTraceHash(rerun(base, seed, order))).toBe(baseHash);
      }),
      { numRuns: 200 },
    );
  });

  it('changes when a name, attribute, status, event or the tree shape changes', () => {
    const variants: Span[][] = [
      spans([{ id: 'run', name: 'clnrm.run', status: 'ok' }]),
      base.map((s) => (s.name === 'clnrm.cleanup' ? { ...s, status: { code: 'error' as const } } : s)),
      base.map((s) => (s.name === 'clnrm.cleanup' ? { ...s, name: 'clnrm.clean' } : s)),
      base.map((s) => (s.name === 'clnrm.cleanup' ? { ...s, parentSpanId: base[2]!.spanId } : s)),
      base.map((s) => (s.name === 'clnrm.cleanup' ? { ...s, attributes: [{ key: 'x', value: { stringValue: '1' } }] } : s)),
      base.map((s) => (s.name === 'clnrm.cleanup' ? { ...s, attributes: [{ key: 'x', value: { intValue: '1' } }] } : s)),
      base.map((s) => (s.name === 'clnrm.cleanup' ? { ...s, events: [{ name: 'e', timeUnixNano: '1', attributes: [] }] } : s)),
    ];
    const hashes = variants.map((v) => normalizedTraceHash(v));
    expect(new Set([baseHash, ...hashes]).size).toBe(variants.length + 1);
  });

  it('ignores excluded attributes', () => {
    const a = spans([{ id: 'a', name: 'x', attrs: { 'build.sha': 'abc', keep: 1 } }]);
    const b = spans([{ id: 'a', name: 'x', attrs: { 'build.sha': 'def', keep: 1 } }]);
    expect(normalizedTraceHash(a)).not.toBe(normalizedTraceHash(b));
    expect(normalizedTraceHash(a, { excludeAttributes: ['build.*'] })).toBe(normalizedTraceHash(b, { excludeAttributes: ['build.*'] }));
  });
});

describe('diffTraces', () => {
  const base = clnrmTrace();

  it('is empty for a rerun with fresh ids and timestamps', () => {
    expect(diffTraces(base, rerun(base, 42, [4, 3, 2, 1, 0]))).toEqual([]);
  });

  it('describes added, missing and changed spans by path', () => {
    const changed = base
      .filter((s) => s.name !== 'clnrm.cleanup')
      .map((s) =>
        s.name === 'container.exec'
          ? { ...s, status: { code: 'error' as const, message: 'exit 1' }, attributes: [{ key: 'exit', value: { intValue: '1' } }] }
          : s.name === 'clnrm.step:hello_world'
            ? { ...s, attributes: [{ key: 'result', value: { stringValue: 'fail' } }], events: s.events.slice(0, 2) }
            : s,
      );
    changed.push(...spans([{ id: 'new', name: 'clnrm.retry', parent: 'run' }]));
    const d = diffTraces(base, changed).map((x) => x.message).sort();
    expect(d).toEqual(
      [
        'span clnrm.run > clnrm.cleanup is missing',
        'span clnrm.run > clnrm.retry was added',
        'clnrm.run > clnrm.step:hello_world: attribute result changed from "pass" to "fail"',
        'clnrm.run > clnrm.step:hello_world: attribute http.status_code (was "200") is gone',
        'clnrm.run > clnrm.step:hello_world: event container.stop is missing',
        'clnrm.run > clnrm.step:hello_world > container.exec: status changed from OK to ERROR (exit 1)',
        'clnrm.run > clnrm.step:hello_world > container.exec: new attribute exit = "1"',
      ].sort(),
    );
  });

  it('handles a 50,000-deep chain and abbreviates the path', () => {
    const chain = (leaf: string) => {
      const out: Span[] = [];
      for (let i = 0; i < 50_000; i++) {
        out.push(
          buildSpan({
            traceId: 'a'.repeat(32),
            spanId: (i + 1).toString(16).padStart(16, '0'),
            parentSpanId: i ? i.toString(16).padStart(16, '0') : undefined,
            name: i === 49_999 ? leaf : `n${i}`,
            startTimeUnixNano: '1000',
            endTimeUnixNano: '2000',
            resource: { attributes: [] },
            scope: { name: 's' },
          }),
        );
      }
      return out;
    };
    const a = chain('leaf');
    expect(normalizedTraceHash(a)).toBe(normalizedTraceHash(chain('leaf')));
    const d = diffTraces(a, chain('leaf2'));
    expect(d.map((x) => x.kind).sort()).toEqual(['span-added', 'span-missing']);
    expect(d[0]!.path).toMatch(/^n0 > n1 > n2 > … \(49989 more\) > n49992 > .* > n49998 > leaf2?$/);
  });
});

/** clnrmTrace plus spans in a parent cycle, an orphan, non-hex and upper-case ids, event attributes and an ignored attribute. */
function goldenFixture(): Span[] {
  const res = { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] };
  const mk = (spanId: string, parentSpanId: string | undefined, name: string, extra: Partial<Parameters<typeof buildSpan>[0]> = {}) =>
    buildSpan({
      traceId: 'ab'.repeat(16), spanId, parentSpanId, name, kind: 'internal',
      startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000001000000',
      attributes: [], events: [], status: { code: 'unset' }, resource: res, scope: { name: 's' }, ...extra,
    });
  return [
    ...clnrmTrace(),
    mk('00000000000000A1', '00000000000000a2', 'cycle.a'),
    mk('00000000000000a2', '00000000000000A1', 'cycle.b'),
    mk('span-x', 'span-missing', 'orphan', { attributes: [{ key: 'thread.id', value: { intValue: '7' } }, { key: 'ok', value: { boolValue: true } }] }),
    mk('span-y', 'span-x', 'child', { status: { code: 'error', message: 'x' }, events: [{ name: 'e', timeUnixNano: '1700000000000000500', attributes: [{ key: 'n', value: { doubleValue: 1.5 } }] }] }),
  ];
}

describe('normalizedTraceHash values', () => {
  // Computed by the implementation before the hash was optimised (cached key and name states):
  // stored hashes of earlier runs must stay comparable.
  it('are unchanged by the optimisation', () => {
    expect(normalizedTraceHash(goldenFixture())).toBe('76dc79077f70450e');
    expect(normalizedTraceHash(goldenFixture(), { excludeAttributes: ['ok', 'n'] })).toBe('c42edc403db5881f');
    expect(normalizedTraceHash(clnrmTrace())).toBe('51675dca53cf4f2d');
  });
  it('over a prebuilt index equal the hash over the spans', () => {
    const trace = goldenFixture();
    expect(normalizedTraceHashOfIndex(buildTraceIndex(trace))).toBe(normalizedTraceHash(trace));
  });
});
