// The watch's bookkeeping, driven by hand (check() is what its interval calls): each phase reported once,
// the watch closing itself when all are decided, a close or a throw ending it without breaking the run.
import { afterEach, describe, expect, it } from 'vitest';
import { FaultCatalog } from '../../shared/chaos/catalog';
import type { DecidedPhase, ExperimentNow } from '../../shared/chaos/experiment-live';
import type { Request } from '../../shared/chaos/experiment-judge';
import { planExperiment } from '../../shared/chaos/experiment-plan';
import { PhaseWatch, type PhaseWatchOptions } from './phase-watch';

const plan = planExperiment({
  experiment: {
    name: 'e',
    steady_state: { duration_s: 2, assertion: [{ type: 'success_rate' }] },
    injection: [{ fault: 'container_pause', target: 'db', duration_s: 2 }],
    recovery: { duration_s: 2, assertion: [{ type: 'success_rate' }] },
  },
  services: ['db'],
  portsOf: () => [],
  catalog: new FaultCatalog(),
}).plan!;

const pause = { path: 'chaos.experiment.injection[0]', fault: 'container_pause', service: 'db' };
const requests: Request[] = Array.from({ length: 60 }, (_, i) => ({ spanId: `s${i}`, name: 'GET /', root: true, startMs: i * 100, durationMs: 3, ok: true, attrs: {} }));

let opened: PhaseWatch | undefined;
afterEach(() => opened?.close());

function watching(now: { current: ExperimentNow }, more: Partial<PhaseWatchOptions> = {}) {
  const decided: DecidedPhase[] = [];
  const logged: string[] = [];
  let reads = 0;
  const watch = new PhaseWatch({
    plan,
    now: () => now.current,
    requests: () => (reads++, requests),
    onDecided: (d) => decided.push(d),
    log: (m) => logged.push(m),
    ...more,
  });
  opened = watch;
  return { watch, decided, logged, reads: () => reads };
}

describe('PhaseWatch', () => {
  it('reports each phase once, as it becomes ready, reading the spans only then', () => {
    const now = { current: { elapsedMs: 2500, outcomes: [{ ...pause, startedMs: 2100 }], completeBeforeMs: 2500 } as ExperimentNow };
    const { watch, decided, reads } = watching(now);
    expect(watch.check()).toEqual([]);
    expect(reads()).toBe(0);
    now.current = { ...now.current, elapsedMs: 3200, completeBeforeMs: 3200 };
    expect(watch.check().map((d) => d.phase)).toEqual(['steady_state']);
    expect(watch.check()).toEqual([]);
    // Recovery: from the fault's real end to the planned end, decided once the last second is settled.
    now.current = { elapsedMs: 6900, outcomes: [{ ...pause, startedMs: 2100, endedMs: 4100 }], completeBeforeMs: 6900, stoppingAtMs: 6000 };
    expect(watch.check()).toEqual([]);
    now.current = { ...now.current, elapsedMs: 7000, completeBeforeMs: 7000 };
    expect(watch.check().map((d) => d.phase)).toEqual(['recovery']);
    expect(decided.map((d) => [d.phase, d.startMs, d.endMs, d.decidedAtMs, d.verdicts[0]!.passed])).toEqual([
      ['steady_state', 0, 2100, 3200, true],
      ['recovery', 4100, 6000, 7000, true],
    ]);
    expect(reads()).toBe(2);
  });

  it('decides nothing after close (the end judges every phase then)', () => {
    const now = { current: { elapsedMs: 9000, outcomes: [{ ...pause, startedMs: 2100, endedMs: 4100 }], completeBeforeMs: 9000 } as ExperimentNow };
    const { watch, decided } = watching(now);
    watch.close();
    expect(watch.check()).toEqual([]);
    expect(decided).toEqual([]);
  });

  it('a failure to read the spans is said and ends the watch, never thrown from its timer', () => {
    const now = { current: { elapsedMs: 9000, outcomes: [{ ...pause, startedMs: 2100, endedMs: 4100 }], completeBeforeMs: 9000 } as ExperimentNow };
    const { watch, logged } = watching(now, {
      requests: () => {
        throw new Error('The trace store is closed.');
      },
    });
    expect(watch.check()).toEqual([]);
    expect(logged).toEqual(['chaos: phase verdicts while running stopped: The trace store is closed. (the end still judges every phase)']);
  });
});
