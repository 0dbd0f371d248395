// The live index keeps spans as their messages and decodes them when asked: what comes back must be
// the spans that went in (every field), in arrival order, also for spans added to a trace after it
// was first read, and a trace that leaves the index leaves every key it was filed under.
import { describe, expect, it } from 'vitest';
import type { Span } from '../../shared/model';
import { decodeOtlpProtobuf, encodeOtlpProtobuf, encodeSpanMessages } from '../../shared/otlp';
import { LiveIndex } from './live-index';
import { makeSpan, makeTraces, resourceFor } from './test-spans';

const plain = (spans: readonly Span[]): unknown => JSON.parse(JSON.stringify(spans));

describe('LiveIndex', () => {
  it('gives back exactly the spans that went in, from protobuf requests and from encoded spans', () => {
    const index = new LiveIndex(1000);
    const tagged = resourceFor('api', { 'clnrm.run_id': 'R', 'clnrm.execution_id': 'E', 'clnrm.scenario': 'S' });
    const fromRequest = decodeOtlpProtobuf(
      encodeOtlpProtobuf([
        makeSpan({ trace: 1, span: 1, name: 'root', resource: tagged, attrs: { 'http.method': 'GET', n: 3, ok: true, r: 0.5 } }),
        makeSpan({ trace: 1, span: 2, parent: 1, name: 'child', kind: 'client', status: 'error', resource: resourceFor('db') }),
      ]),
    );
    index.add(fromRequest.spans, fromRequest.wire!);
    const later = [makeSpan({ trace: 1, span: 3, parent: 1, name: 'late', resource: tagged })];
    const first = index.spans({ traceId: fromRequest.spans[0]!.traceId });
    expect(plain(first)).toEqual(plain(fromRequest.spans));
    // Spans that arrive after the trace was read are decoded on the next read, behind the others.
    index.add(later, encodeSpanMessages(later));
    expect(plain(index.trace(fromRequest.spans[0]!.traceId))).toEqual(plain([...fromRequest.spans, ...later]));
    expect(index.spans({ executionId: 'E' }).map((s) => s.name)).toEqual(['root', 'late']);
    expect(index.spans({ runId: 'R', spanName: 'late' })).toHaveLength(1);
    expect(index.spans({ service: 'db' }).map((s) => s.name)).toEqual(['child']);
    expect(index.size).toEqual({ spans: 3, traces: 1 });
  });

  it('forgets the oldest traces past its bound, under every key they were filed under', () => {
    const index = new LiveIndex(6);
    const add = (spans: Span[]): void => index.add(spans, encodeSpanMessages(spans));
    add(makeTraces(1, 3, resourceFor('old', { 'clnrm.scenario': 'gone' }), 1));
    add(makeTraces(2, 3, resourceFor('new'), 10));
    expect(index.size).toEqual({ spans: 6, traces: 2 });
    expect(index.spans({ service: 'old' })).toEqual([]);
    expect(index.spans({ scenario: 'gone' })).toEqual([]);
    expect(index.spans({ spanName: 'root' })).toHaveLength(2);
    index.remove(index.traceIds().slice(0, 1));
    expect(index.size).toEqual({ spans: 3, traces: 1 });
    expect(index.spans({ spanName: 'root' })).toHaveLength(1);
  });
});
