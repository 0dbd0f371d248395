// The Chaos view's live figures (shared/ipc/contract.ts): while an experiment runs, the view asks once a
// second for the newest seconds of one execution's traffic (requests, errors, success rate, p95 per
// second; shared/chaos/live-stats.ts), on the experiment's time axis. Bounded: a call covers at most
// MAX_LIVE_SECONDS seconds.
import { z } from 'zod';
import { RunIdSchema } from '../run/records';

/** Most seconds one call may ask for (the view asks for the last few; a catch-up after a reload, more). */
export const MAX_LIVE_SECONDS = 120;
const second = z.number().int().nonnegative().max(24 * 3600);

export const SecondStatsSchema = z.object({
  second,
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  successRate: z.number().min(0).max(1).nullable(),
  p95Ms: z.number().nonnegative().nullable(),
});

export const chaosLiveCalls = {
  /** Seconds [fromSecond, toSecond) after `startUs` (the experiment's time zero, epoch µs) of an execution's requests. */
  chaosLiveStats: {
    request: z
      .object({ executionId: RunIdSchema, startUs: z.number().positive().finite(), fromSecond: second, toSecond: second })
      .refine((q) => q.toSecond >= q.fromSecond && q.toSecond - q.fromSecond <= MAX_LIVE_SECONDS, { message: `toSecond must be from fromSecond to fromSecond + ${MAX_LIVE_SECONDS}`, path: ['toSecond'] }),
    response: z.object({
      seconds: z.array(SecondStatsSchema).max(MAX_LIVE_SECONDS),
      /** Where the answer stops (exclusive): before toSecond when the seconds held more requests than one answer reads. */
      untilSecond: second,
      /** The one second answered held more requests than one answer reads: its figures are from its earliest ones. */
      sampled: z.boolean(),
    }),
  },
} as const;
