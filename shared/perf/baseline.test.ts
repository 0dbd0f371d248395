import { describe, expect, it } from 'vitest';
import type { Span } from '../model';
import { span } from '../trace/test-spans';
import { BaselineRecordSchema, summariseSpans, summariseThroughput, type BaselineRecord } from './baseline';

/** `n` spans named `name`, one every `gapMs` from `atMs`, each lasting `durMs`, ids from `firstId`. */
function spaced(name: string, n: number, gapMs: number, durMs: number, firstId: number, atMs = 0): Span[] {
  return Array.from({ length: n }, (_, i) => span(firstId + i, undefined, (atMs + i * gapMs) * 1000, (atMs + i * gapMs + durMs) * 1000, { name }));
}

describe('a baseline\'s throughput', () => {
  it('is each span name\'s rate over its own window, executions pooled without the time between them', () => {
    // Execution 1: 11 spans in 1000 + 10 ms; execution 2, a minute later: 6 spans in 1000 + 10 ms.
    const first = [...spaced('db.query', 11, 100, 10, 1), ...spaced('once', 1, 0, 5, 50)];
    const second = [...spaced('db.query', 6, 200, 10, 100, 60_000), ...spaced('once', 1, 0, 5, 150, 60_000)];
    const t = summariseThroughput([first, second]);
    expect(Object.keys(t)).toEqual(['db.query']);
    expect(t['db.query']).toEqual({ count: 17, windowMs: 2020, perSecond: 17 / 2.02 });
  });

  it('is kept beside the latencies; a baseline captured before it was kept still reads (no throughput)', () => {
    const spans = spaced('db.query', 5, 100, 10, 1);
    const record: BaselineRecord = {
      id: 'b0000000001a', testName: 't', testFile: 't.clnrm.toml', scenario: 's',
      environment: { host: 'h', platform: 'linux', engine: 'unix', clnrmVersion: '1', ci: false },
      runId: 'r0000000001a', executions: ['e0000000001a'], capturedAt: 0, mode: 'auto',
      spans: summariseSpans(spans), throughput: summariseThroughput([spans]),
    };
    expect(BaselineRecordSchema.parse(record).throughput).toEqual({ 'db.query': { count: 5, windowMs: 410, perSecond: 5 / 0.41 } });
    const { throughput: _, ...old } = record;
    expect(BaselineRecordSchema.parse(old).throughput).toBeUndefined();
    expect(BaselineRecordSchema.safeParse({ ...record, throughput: { 'db.query': { count: 1, windowMs: 0, perSecond: 0 } } }).success).toBe(false);
  });
});
