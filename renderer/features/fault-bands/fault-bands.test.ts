import { describe, expect, it } from 'vitest';
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { bandsIn, faultDescription, faultedServices, isFaultedEdge, nanoRange, windowsOnMap } from './fault-bands';

const S = 1_765_130_400_000_000; // µs since the epoch
const ns = (us: number): string => (BigInt(us) * 1000n).toString();
const window = (extra: Partial<FaultWindow>): FaultWindow => ({
  fault: 'container_pause',
  service: 'db',
  serviceName: 'db',
  params: '',
  path: 'scenario[0].chaos_injection',
  source: 'scenario',
  startUnixNano: ns(S + 1_000_000),
  endUnixNano: ns(S + 3_000_000),
  executionId: 'exec00000001',
  executionEndUnixNano: ns(S + 10_000_000),
  ...extra,
});

describe('bandsIn', () => {
  it('maps a window inside the view to fractions of its width', () => {
    const [band] = bandsIn([window({})], S, S + 4_000_000);
    expect(band).toMatchObject({ left: 0.25, width: 0.5, label: 'container_pause' });
  });
  it('clips a window running past either edge, and leaves out one wholly outside', () => {
    expect(bandsIn([window({})], S + 2_000_000, S + 2_500_000).map((b) => [b.left, b.width])).toEqual([[0, 1]]);
    expect(bandsIn([window({})], S + 2_000_000, S + 6_000_000).map((b) => [b.left, b.width])).toEqual([[0, 0.25]]);
    expect(bandsIn([window({})], S + 3_500_000, S + 6_000_000)).toEqual([]);
  });
  it('runs a window never undone to its execution end, or to the view end without one', () => {
    const kill = window({ fault: 'container_kill', endUnixNano: undefined, irreversible: true });
    expect(bandsIn([kill], S, S + 20_000_000).map((b) => [b.left, b.width])).toEqual([[0.05, 0.45]]);
    const { executionEndUnixNano: _, ...open } = kill;
    expect(bandsIn([open], S, S + 20_000_000).map((b) => [b.left, b.width])).toEqual([[0.05, 0.95]]);
    expect(bandsIn([kill], S, S)).toEqual([]);
  });
  it('says the fault, its service, its times and how it ended', () => {
    expect(faultDescription(window({ params: 'signal=SIGSTOP' }), S)).toMatch(/^container_pause on db \(signal=SIGSTOP\), from .+ to .+ \(2(\.0+)? s\), undone; scenario fault at scenario\[0\]\.chaos_injection$/);
    expect(faultDescription(window({ endUnixNano: undefined, irreversible: true }), S)).toContain('irreversible');
    expect(faultDescription(window({ endUnixNano: undefined, revertError: 'gone' }), S)).toContain('never undone: gone');
  });
  it('draws a live fault still in as ongoing up to the view end, and names live windows', () => {
    const { executionEndUnixNano: _, ...running } = window({ endUnixNano: undefined });
    const [band] = bandsIn([{ ...running, live: true }], S, S + 4_000_000);
    expect(band).toMatchObject({ left: 0.25, width: 0.75, ongoing: true });
    expect(band!.description).toMatch(/^container_pause on db, from .+ on, ongoing; scenario fault at scenario\[0\]\.chaos_injection \(live\)$/);
    const [reverted] = bandsIn([{ ...window({}), live: true }], S, S + 4_000_000);
    expect(reverted).toMatchObject({ width: 0.5, ongoing: false });
    expect(reverted!.description).toMatch(/undone; scenario fault at scenario\[0\]\.chaos_injection \(live\)$/);
    expect(bandsIn([window({})], S, S + 4_000_000)[0]!.ongoing).toBe(false);
  });
});

describe('nanoRange', () => {
  it('widens fractional µs to whole ones and orders the ends', () => {
    expect(nanoRange(1.5, 0.2)).toEqual({ fromUnixNano: '0', toUnixNano: '2000' });
    expect(nanoRange(S, S + 1)).toEqual({ fromUnixNano: ns(S), toUnixNano: ns(S + 1) });
  });
});

describe('service map marking', () => {
  const pause = window({});
  it('marks, on a live map, only the faults in right now; on a range or a run, every fault in it', () => {
    const { executionEndUnixNano: _, ...running } = window({ endUnixNano: undefined, path: 'in' });
    const inNow = { ...running, live: true as const };
    const revertedLive = { ...window({ path: 'out' }), live: true as const };
    expect(windowsOnMap([pause, inNow, revertedLive], true).map((w) => w.path)).toEqual(['in']);
    expect(windowsOnMap([pause, inNow, revertedLive], false)).toHaveLength(3);
  });
  const partition = window({ fault: 'network_partition', service: 'api', serviceName: 'demo-api', peer: 'cache', peerName: 'demo-cache' });
  it('lists each faulted service once per fault', () => {
    expect([...faultedServices([pause, pause, partition])]).toEqual([
      ['db', ['container_pause']],
      ['demo-api', ['network_partition']],
    ]);
  });
  it('marks every call into or out of a faulted service, and only the pair for a peer fault', () => {
    expect(isFaultedEdge([pause], 'api', 'db')).toBe(true);
    expect(isFaultedEdge([pause], 'db', 'worker')).toBe(true);
    expect(isFaultedEdge([pause], 'api', 'cache')).toBe(false);
    expect(isFaultedEdge([partition], 'demo-api', 'demo-cache')).toBe(true);
    expect(isFaultedEdge([partition], 'demo-cache', 'demo-api')).toBe(true);
    expect(isFaultedEdge([partition], 'demo-api', 'db')).toBe(false);
  });
});
