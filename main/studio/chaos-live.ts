// The Chaos view's live figures from the trace store: one execution's requests in the seconds asked for,
// read as columns (main/store/experiment-traffic.ts) and turned into per-second figures by the judge's
// rules (shared/chaos/live-stats.ts). The runner's own spans are not the system's traffic.
import { secondStats, trafficSample } from '../../shared/chaos/live-stats';
import type { CallArgs, CallResponse } from '../../shared/ipc/contract';
import { RUNNER_SCOPE } from '../runner/self-trace';
import type { TraceStore } from '../store';

/** Most requests one answer reads: ~100 s of 200 requests/s, a few ms of DuckDB and JS. */
export const LIVE_ROW_LIMIT = 20_000;

export async function chaosLiveStats(store: TraceStore, q: CallArgs<'chaosLiveStats'>, rowLimit = LIVE_ROW_LIMIT): Promise<CallResponse<'chaosLiveStats'>> {
  const { executionId, startUs, fromSecond, toSecond } = q;
  const { rows, truncated } = await store.experimentTraffic({ executionId, fromUs: startUs + fromSecond * 1e6, toUs: startUs + toSecond * 1e6, exceptScope: RUNNER_SCOPE, limit: rowLimit });
  const samples = rows.map((r) => trafficSample(r, startUs));
  if (!truncated) return { seconds: secondStats(samples, fromSecond, toSecond), untilSecond: toSecond, sampled: false };
  // The rows read are the earliest: every second before the last one they reach is complete.
  const lastRead = Math.floor(samples[samples.length - 1]!.startMs / 1000);
  const untilSecond = Math.max(fromSecond + 1, lastRead);
  return { seconds: secondStats(samples, fromSecond, untilSecond), untilSecond, sampled: lastRead <= fromSecond };
}
