// The fault-window call (shared/ipc/contract.ts): the faults active during a time range, for the bands on
// the waterfall's ruler and the traces scatter and the faulted services on the service map. The range is
// unix nanoseconds as decimal strings (span timestamps' form), checked here so the store gets only sane ones.
import { z } from 'zod';
import { FaultWindowRecordSchema } from '../chaos/fault-windows';
import { RunIdSchema } from '../run/records';

/** Most windows one answer carries (a view draws a handful; more means the range is too wide). */
export const MAX_FAULT_WINDOWS = 2000;
/** The store's BIGINT ceiling: nanoseconds past it are not a time. */
const MAX_UNIX_NANO = 2n ** 63n - 1n;

const DECIMAL = /^\d{1,19}$/;
/** The value as a bigint, or undefined when it is not a decimal (zod runs refinements after a failed regex). */
const nanos = (v: string): bigint | undefined => (DECIMAL.test(v) ? BigInt(v) : undefined);

const UnixNano = z
  .string()
  .regex(DECIMAL, 'expected unix nanoseconds as a decimal string')
  .refine((v) => (nanos(v) ?? 0n) <= MAX_UNIX_NANO, 'is past the largest time the store holds (2^63 - 1 ns)');

export const FaultWindowRangeSchema = z
  .object({
    fromUnixNano: UnixNano,
    toUnixNano: UnixNano,
    /** Only these executions (a run's service map); absent: every execution. */
    executionIds: z.array(RunIdSchema).min(1).max(1000).optional(),
  })
  .strict()
  .refine((r) => (nanos(r.fromUnixNano) ?? 0n) <= (nanos(r.toUnixNano) ?? MAX_UNIX_NANO), { message: 'fromUnixNano must not be after toUnixNano', path: ['toUnixNano'] });

export const StoredFaultWindowSchema = FaultWindowRecordSchema.extend({
  executionId: RunIdSchema,
  executionEndUnixNano: z.string().regex(/^\d{1,20}$/).optional(),
});
export type FaultWindow = z.infer<typeof StoredFaultWindowSchema>;

export const faultWindowCalls = {
  /** Fault windows overlapping [from, to] (a window never undone lasts until its execution ended), oldest first. */
  faultWindows: {
    request: FaultWindowRangeSchema,
    response: z.object({ windows: z.array(StoredFaultWindowSchema).max(MAX_FAULT_WINDOWS), truncated: z.boolean() }),
  },
} as const;
