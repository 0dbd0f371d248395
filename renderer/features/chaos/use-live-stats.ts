// The experiment's traffic per second while a Chaos run goes: once a fault event has told the experiment's
// time zero and execution, the view asks `chaosLiveStats` once a second for the newest seconds (see
// ./live-poll.ts) and merges the answers; one more answer after the run ends covers its last seconds.
import { useEffect, useRef, useState } from 'react';
import { mergeSeconds, type SecondStats } from '../../../shared/chaos/live-stats';
import { toProblem, type Problem } from '../../../shared/errors';
import type { StudioApi } from '../../../shared/ipc/contract';
import { completeUntil, nextRange, POLL_MS, resumeAt } from './live-poll';
import type { LiveRun } from './timeline-edit';

export interface LiveSeries {
  readonly seconds: readonly SecondStats[];
  /** Some second held more requests than one answer reads: its figures are from its earliest ones. */
  readonly sampled: boolean;
  readonly problem?: Problem;
}

/** `endMs`: the experiment's planned length (no second after it is asked for). */
export function useLiveStats(api: StudioApi, live: LiveRun | undefined, running: boolean, endMs: number): LiveSeries | undefined {
  const executionId = live?.executionId;
  const t0 = live?.t0;
  const key = executionId !== undefined && t0 !== undefined ? `${executionId}@${t0}` : undefined;
  const [series, setSeries] = useState<(LiveSeries & { key: string }) | undefined>(undefined);
  // Read by the poll loop: the run's end ends the loop after one more answer, without restarting it.
  const runningNow = useRef(running);
  runningNow.current = running;
  useEffect(() => {
    if (key === undefined || executionId === undefined || t0 === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let from = 0;
    setSeries({ key, seconds: [], sampled: false });
    const poll = async (): Promise<void> => {
      const last = !runningNow.current;
      const elapsedMs = Date.now() - t0;
      const range = nextRange(from, elapsedMs, endMs);
      // Behind: the answer stopped short of what there is to read (its row or seconds bound): ask again at once.
      let behind = false;
      try {
        if (range) {
          const answer = await api.chaosLiveStats({ executionId, startUs: t0 * 1000, ...range });
          if (stopped) return;
          from = resumeAt(range, answer.untilSecond);
          behind = answer.untilSecond < completeUntil(elapsedMs, endMs);
          setSeries((s) => (s?.key === key ? { key, seconds: mergeSeconds(s.seconds, answer.seconds), sampled: s.sampled || answer.sampled } : s));
        }
      } catch (error) {
        if (!stopped) setSeries((s) => (s?.key === key ? { ...s, problem: toProblem(error) } : s));
        return;
      }
      if (!stopped && (!last || behind)) timer = setTimeout(() => void poll(), behind ? 0 : POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, key, executionId, t0, endMs]);
  return series?.key === key ? series : undefined;
}
