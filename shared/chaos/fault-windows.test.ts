import { describe, expect, it } from 'vitest';
import type { InjectionOutcome } from './experiment-results';
import type { PlannedInjection } from './experiment-plan';
import { faultWindowsOf, overlapsRange, paramsSummary, windowMicros } from './fault-windows';

const injection = (fault: string, service: string, params: PlannedInjection['params'] = {}, path = 'chaos.experiment.injection[0]'): PlannedInjection => ({
  fault,
  family: 'container',
  service,
  params,
  startMs: 1000,
  durationMs: 2000,
  revertible: fault !== 'container_kill',
  path,
});

const T0 = 1_765_000_000_123.5;
const names: Record<string, string> = { db: 'demo-db', api: 'demo-api' };
const nameOf = (s: string): string => names[s] ?? s;

describe('faultWindowsOf', () => {
  it('puts each injected fault on the spans clock, with its service under its span name and its peer', () => {
    const outcomes: InjectionOutcome[] = [{ path: 'p0', fault: 'network_partition', service: 'api', startedMs: 1000.25, endedMs: 3000.5 }];
    const [w] = faultWindowsOf({ injections: [injection('network_partition', 'api', { peer: 'db' })], outcomes, startedAtMs: T0, source: 'experiment', nameOf });
    expect(w).toEqual({
      fault: 'network_partition',
      service: 'api',
      serviceName: 'demo-api',
      peer: 'db',
      peerName: 'demo-db',
      params: 'peer=db',
      path: 'chaos.experiment.injection[0]',
      source: 'experiment',
      startUnixNano: '1765000001123750000',
      endUnixNano: '1765000003124000000',
    });
  });

  it('keeps a kill and a failed revert open-ended, and leaves out faults never injected', () => {
    const outcomes: InjectionOutcome[] = [
      { path: 'a', fault: 'container_kill', service: 'db', startedMs: 10, irreversible: true },
      { path: 'b', fault: 'container_pause', service: 'db', startedMs: 20, revertError: 'no such container' },
      { path: 'c', fault: 'container_pause', service: 'api', error: 'service api has no running container' },
      { path: 'd', fault: 'container_pause', service: 'api' },
    ];
    const injections = [injection('container_kill', 'db'), injection('container_pause', 'db'), injection('container_pause', 'api'), injection('container_pause', 'api')];
    const windows = faultWindowsOf({ injections, outcomes, startedAtMs: 0, source: 'scenario', nameOf });
    expect(windows.map((w) => [w.fault, w.endUnixNano, w.irreversible, w.revertError])).toEqual([
      ['container_kill', undefined, true, undefined],
      ['container_pause', undefined, undefined, 'no such container'],
    ]);
    expect(windows.every((w) => w.source === 'scenario')).toBe(true);
  });
});

describe('overlapsRange and windowMicros', () => {
  const closed = { startUnixNano: '2000', endUnixNano: '5000' };
  const open = { startUnixNano: '2000' };
  it('counts touching ends as overlapping and ranges wholly before or after as not', () => {
    expect(overlapsRange(closed, 5000n, 9000n)).toBe(true);
    expect(overlapsRange(closed, 0n, 2000n)).toBe(true);
    expect(overlapsRange(closed, 5001n, 9000n)).toBe(false);
    expect(overlapsRange(closed, 0n, 1999n)).toBe(false);
    expect(overlapsRange(open, 10_000n, 20_000n)).toBe(true);
    expect(overlapsRange(open, 0n, 1000n)).toBe(false);
  });
  it('gives µs, an open end running to the given end (never before the start)', () => {
    expect(windowMicros(closed, 99)).toEqual({ startUs: 2, endUs: 5 });
    expect(windowMicros(open, 9)).toEqual({ startUs: 2, endUs: 9 });
    expect(windowMicros(open, 1)).toEqual({ startUs: 2, endUs: 2 });
  });
  it('summarises parameters in order', () => {
    expect(paramsSummary({ peer: 'db', direction: 'ingress', loss: 20 })).toBe('peer=db, direction=ingress, loss=20');
    expect(paramsSummary({})).toBe('');
  });
});
