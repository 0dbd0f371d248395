import { describe, expect, it } from 'vitest';
import { buildSpan } from '../model';
import { buildTraceTree } from './tree';
import { findInTrace, parseFindQuery } from './find';
import { assignServiceColors } from './service-colors';
import { rowBuckets, timeDensity } from './minimap';
import { visibleRows } from './visible-rows';
import { span, TEST_TRACE } from './test-spans';

describe('findInTrace', () => {
  const withAttr = buildSpan({
    traceId: TEST_TRACE,
    spanId: '00000000000000aa',
    parentSpanId: '0000000000000001',
    name: 'SELECT orders',
    startTimeUnixNano: '1700000000000010000',
    endTimeUnixNano: '1700000000000020000',
    attributes: [{ key: 'http.response.status_code', value: { intValue: '503' } }],
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'db' } }, { key: 'host.name', value: { stringValue: 'box-7' } }] },
    scope: { name: 't' },
  });
  const tree = buildTraceTree([span(1, undefined, 0, 100, { name: 'GET /checkout', service: 'frontend' }), withAttr, span(3, 1, 50, 60, { name: 'charge', service: 'payment' })]);
  const names = (q: string) => [...findInTrace(tree, q)].map((i) => tree.spans[i]!.name);

  it('matches name, service and span id case-insensitively, in row order', () => {
    expect(names('checkout')).toEqual(['GET /checkout']);
    expect(names('PAYMENT')).toEqual(['charge']);
    expect(names('00000000000000aa')).toEqual(['SELECT orders']);
    expect(names('o')).toEqual(['GET /checkout', 'SELECT orders']);
  });

  it('matches attribute key=value (span and resource attributes) and bare keys', () => {
    expect(names('http.response.status_code=503')).toEqual(['SELECT orders']);
    expect(names('http.response.status_code=200')).toEqual([]);
    expect(names('host.name=')).toEqual(['SELECT orders']);
    expect(names('box-7')).toEqual(['SELECT orders']);
  });

  it('treats a blank query as no query', () => {
    expect(parseFindQuery('   ')).toBeUndefined();
    expect(findInTrace(tree, '').length).toBe(0);
  });
});

describe('assignServiceColors', () => {
  it('is stable whatever the order and distinct inside the palette size', () => {
    const a = assignServiceColors(['api', 'db', 'cache', 'queue']);
    const b = assignServiceColors(['queue', 'cache', 'db', 'api']);
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect(new Set([...a.values()].map((c) => c.hue)).size).toBe(4);
  });

  it('keeps colours distinct beyond the palette and never uses error red', () => {
    const many = assignServiceColors(Array.from({ length: 40 }, (_, i) => `svc-${i}`));
    expect(many.size).toBe(40);
    expect(new Set([...many.values()].map((c) => c.hue)).size).toBe(40);
    for (const c of many.values()) expect(c.hue >= 20 && c.hue <= 350).toBe(true);
  });
});

describe('minimap summaries', () => {
  const tree = buildTraceTree([span(1, undefined, 0, 100), span(2, 1, 0, 50, { error: true }), span(3, 1, 50, 100), span(4, 3, 80, 90)]);
  it('buckets rows with their time range, errors and dominant span', () => {
    const buckets = rowBuckets(tree, visibleRows(tree, new Uint8Array(3)), 2);
    expect(buckets.length).toBe(2);
    expect(buckets[0]!.endUs - buckets[0]!.startUs).toBe(100);
    expect(buckets[0]!.errors).toBe(1);
    expect(buckets[1]!.errors).toBe(0);
  });
  it('counts running spans per time slice', () => {
    expect([...timeDensity(tree, 4)]).toEqual([2, 2, 2, 3]);
  });
});
