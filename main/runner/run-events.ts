// Stamps the runner's events with the time and the run's id, so each part of the runner says only
// what happened. The events themselves are declared once in shared/run/events.ts.
import type { RunEvent } from '../../shared/run';
import { nowMs } from './self-trace';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a part of the runner states it; `emit` adds `at` and `runId`. */
export type RunEventInput = DistributiveOmit<RunEvent, 'at' | 'runId'>;
export type Emit = (event: RunEventInput) => void;

export function eventEmitter(runId: string, sink: (event: RunEvent) => void): Emit {
  return (event) => sink({ ...event, at: nowMs(), runId } as RunEvent);
}
