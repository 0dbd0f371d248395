// Fault windows as recorded: when each injected fault of an execution was really active, on the spans'
// clock (unix nanoseconds, as decimal strings like span timestamps), with the service under the name its
// spans carry. Computed once the outcomes are known (main/runner/scenario-chaos.ts), kept in the
// execution's evidence, and drawn by the studio as bands on the waterfall, the scatter and the service map.
import { z } from 'zod';
import type { FaultParams } from './fault-spec';
import type { InjectionOutcome } from './experiment-results';
import type { PlannedInjection } from './experiment-plan';
import { millisToUnixNano, nanoToMicros } from '../model/time';

const UnixNanoSchema = z.string().regex(/^\d{1,20}$/, 'expected unix nanoseconds as a decimal string');
const name = z.string().min(1).max(200);

export const FAULT_WINDOW_SOURCES = ['experiment', 'scenario', 'phase', 'pattern'] as const;
export type FaultWindowSource = (typeof FAULT_WINDOW_SOURCES)[number];

export const FaultWindowRecordSchema = z.object({
  fault: name,
  /** The test file's service id (`[services.<id>]`) and the `service.name` its spans carry. */
  service: name,
  serviceName: name,
  /** The other side of a peer fault (a partition), when it names one. */
  peer: name.optional(),
  peerName: name.optional(),
  /** The fault's parameters as `key=value, …` (empty without any). */
  params: z.string().max(1000),
  /** Where it was declared, e.g. `chaos.experiment.injection[0]` or `scenario[0].chaos_injection`. */
  path: z.string().max(300),
  source: z.enum(FAULT_WINDOW_SOURCES),
  startUnixNano: UnixNanoSchema,
  /** Absent: never undone — a kill (`irreversible`) or a revert that failed (`revertError`). */
  endUnixNano: UnixNanoSchema.optional(),
  irreversible: z.boolean().optional(),
  revertError: z.string().max(2000).optional(),
});
export type FaultWindowRecord = z.infer<typeof FaultWindowRecordSchema>;

/**
 * What a window says about its fault besides its times: carried by each `fault` run event too
 * (shared/run/events.ts), so a view can draw the window while its execution still runs.
 */
export const FaultIdentitySchema = FaultWindowRecordSchema.pick({ serviceName: true, peer: true, peerName: true, params: true, path: true, source: true });
export type FaultIdentity = z.infer<typeof FaultIdentitySchema>;

/** What the windows of one execution's chaos are computed from. */
export interface FaultWindowInput {
  readonly injections: readonly PlannedInjection[];
  readonly outcomes: readonly InjectionOutcome[];
  /** Epoch ms of the experiment's time zero (outcomes are ms from it). */
  readonly startedAtMs: number;
  readonly source: FaultWindowSource;
  /** A service id → the `service.name` its spans carry (OTEL_SERVICE_NAME, else the id). */
  readonly nameOf: (service: string) => string;
}

/** `key=value, …` in the parameters' own order. */
export function paramsSummary(params: FaultParams): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ')
    .slice(0, 1000);
}

/** An injection's identity: its service and peer under the names their spans carry, its parameters and where it was declared. */
export function faultIdentityOf(injection: PlannedInjection, source: FaultWindowSource, nameOf: (service: string) => string): FaultIdentity {
  const peer = typeof injection.params.peer === 'string' ? injection.params.peer : undefined;
  return {
    serviceName: nameOf(injection.service),
    ...(peer !== undefined ? { peer, peerName: nameOf(peer) } : {}),
    params: paramsSummary(injection.params),
    path: injection.path,
    source,
  };
}

/** One window per fault that was injected; faults that failed to go in or never started have none. */
export function faultWindowsOf(input: FaultWindowInput): FaultWindowRecord[] {
  const at = (ms: number): string => millisToUnixNano(input.startedAtMs + ms);
  return input.outcomes.flatMap((o, i): FaultWindowRecord[] => {
    const injection = input.injections[i];
    if (!injection || o.startedMs === undefined || o.error !== undefined) return [];
    return [
      {
        fault: o.fault,
        service: o.service,
        ...faultIdentityOf(injection, input.source, input.nameOf),
        startUnixNano: at(o.startedMs),
        ...(o.endedMs !== undefined ? { endUnixNano: at(Math.max(o.startedMs, o.endedMs)) } : {}),
        ...(o.irreversible ? { irreversible: true } : {}),
        ...(o.revertError !== undefined ? { revertError: o.revertError.slice(0, 2000) } : {}),
      },
    ];
  });
}

/** A window on the µs axis the views draw with; an open end (never undone) runs to `openEndUs`. */
export function windowMicros(w: Pick<FaultWindowRecord, 'startUnixNano' | 'endUnixNano'>, openEndUs: number): { startUs: number; endUs: number } {
  const startUs = nanoToMicros(w.startUnixNano);
  return { startUs, endUs: w.endUnixNano !== undefined ? nanoToMicros(w.endUnixNano) : Math.max(startUs, openEndUs) };
}

/** Whether a window overlaps [fromNs, toNs] (both ends inclusive); an open end overlaps everything after its start. */
export function overlapsRange(w: Pick<FaultWindowRecord, 'startUnixNano' | 'endUnixNano'>, fromNs: bigint, toNs: bigint): boolean {
  if (BigInt(w.startUnixNano) > toNs) return false;
  return w.endUnixNano === undefined || BigInt(w.endUnixNano) >= fromNs;
}
