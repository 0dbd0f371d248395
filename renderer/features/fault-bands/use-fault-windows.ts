// The fault windows overlapping a view's time range: the stored ones (the `faultWindows` call) and, for the
// executions of runs started here that have not stored theirs yet, the live ones read from their `fault` run
// events (./live-fault-windows.ts). Windows are stored when an execution ends, so the answer is asked again when
// one does, when a run finishes, and when the history changes (a `clnrm run` storing through the studio).
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApi } from '../../api/api-context';
import { useStudio } from '../../app/store';
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { nanoRange } from './fault-bands';
import { isFaultWindowEvent, liveFaultWindows, liveWindowsIn, mergeFaultWindows, type ShownFaultWindow } from './live-fault-windows';

export interface FaultRange {
  /** µs since the epoch. */
  readonly fromUs: number;
  readonly toUs: number;
  readonly executionIds?: readonly string[];
}

const NONE: FaultWindow[] = [];

/** Windows for `range` (none while it is null; stored ones none while the call fails: logged, the view still draws). */
export function useFaultWindows(range: FaultRange | null): readonly ShownFaultWindow[] {
  const api = useApi();
  const [windows, setWindows] = useState<FaultWindow[]>(NONE);
  const { fromUnixNano, toUnixNano } = range ? nanoRange(range.fromUs, range.toUs) : { fromUnixNano: '', toUnixNano: '' };
  const ids = range?.executionIds?.join(',') ?? '';
  const byRun = range?.executionIds !== undefined;
  useEffect(() => {
    // A run with no execution (yet) had no fault.
    if (api instanceof Error || fromUnixNano === '' || (byRun && ids === '')) {
      setWindows(NONE);
      return;
    }
    let alive = true;
    const request = { fromUnixNano, toUnixNano, ...(ids !== '' ? { executionIds: ids.split(',') } : {}) };
    const load = (): void => {
      api.faultWindows(request).then(
        (answer) => alive && setWindows(answer.windows.length === 0 ? NONE : answer.windows),
        (error: unknown) => console.warn('fault windows could not be read:', error),
      );
    };
    load();
    const offExecution = api.on('runEvent', (e) => e.type === 'execution-finished' && load());
    const offFinished = api.on('runFinished', load);
    const offChanged = api.on('runsChanged', load);
    return () => {
      alive = false;
      offExecution();
      offFinished();
      offChanged();
    };
  }, [api, fromUnixNano, toUnixNano, ids, byRun]);
  // The events are kept objects: the shallow compare leaves the list as it was until a fault event arrives.
  const events = useStudio(useShallow((s) => Object.values(s.runs).flatMap((r) => r.events.filter(isFaultWindowEvent))));
  const live = useMemo(() => liveFaultWindows(events), [events]);
  return useMemo(() => {
    if (fromUnixNano === '' || (byRun && ids === '')) return windows;
    return mergeFaultWindows(windows, liveWindowsIn(live, { fromUnixNano, toUnixNano, ...(byRun ? { executionIds: ids.split(',') } : {}) }));
  }, [windows, live, fromUnixNano, toUnixNano, ids, byRun]);
}
