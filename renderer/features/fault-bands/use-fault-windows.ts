// The fault windows overlapping a view's time range, from the store (the `faultWindows` call). Windows are
// recorded when an execution ends, so the answer is asked again when one does, when a run finishes, and when the
// history changes (a `clnrm run` storing through the studio).
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context';
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { nanoRange } from './fault-bands';

export interface FaultRange {
  /** µs since the epoch. */
  readonly fromUs: number;
  readonly toUs: number;
  readonly executionIds?: readonly string[];
}

const NONE: FaultWindow[] = [];

/** Windows for `range` (none while it is null or the call fails; a failure is logged, the view still draws). */
export function useFaultWindows(range: FaultRange | null): FaultWindow[] {
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
  return windows;
}
