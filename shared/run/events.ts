// The typed, timed events of a run. The runner emits them as things happen; the CLI's progress lines,
// the studio's run view and (later) the chaos timeline are renderers of the same stream, which crosses
// the IPC contract as the `runEvent` event. Every event has `at` (epoch ms, sub-ms precision) and the
// run's id; events about one execution carry its `executionId`.
import { z } from 'zod';
import { FaultIdentitySchema } from '../chaos/fault-windows';
import { RunIdSchema, StepRecordSchema, VerdictValueSchema } from './records';

const base = { at: z.number(), runId: RunIdSchema };
const inExecution = { ...base, test: z.string(), executionId: RunIdSchema };

/** The parts of an execution, in order; a timeline draws them as bands. */
export const ExecutionPhaseSchema = z.enum(['services', 'steps', 'collect', 'evaluate', 'cleanup']);
export type ExecutionPhase = z.infer<typeof ExecutionPhaseSchema>;

export const ServiceStateSchema = z.enum(['creating', 'started', 'ready', 'stopping', 'stopped', 'removed', 'failed']);

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run-started'), ...base, files: z.number().int(), tests: z.number().int(), receiver: z.string() }),
  z.object({
    type: z.literal('run-finished'),
    ...base,
    verdict: VerdictValueSchema,
    passed: z.number().int(),
    failed: z.number().int(),
    errors: z.number().int(),
    skipped: z.number().int(),
    durationMs: z.number(),
  }),
  z.object({ type: z.literal('test-started'), ...base, test: z.string(), file: z.string() }),
  z.object({ type: z.literal('test-finished'), ...base, test: z.string(), file: z.string(), verdict: VerdictValueSchema, durationMs: z.number(), reason: z.string().optional(), engine: z.string().optional() }),
  z.object({
    type: z.literal('execution-started'),
    ...inExecution,
    scenario: z.string(),
    iteration: z.number().int().positive(),
    iterations: z.number().int().positive(),
  }),
  z.object({ type: z.literal('phase'), ...inExecution, phase: ExecutionPhaseSchema, state: z.enum(['start', 'end']), durationMs: z.number().optional() }),
  z.object({ type: z.literal('service'), ...inExecution, service: z.string(), state: ServiceStateSchema, detail: z.string().optional() }),
  z.object({ type: z.literal('step-started'), ...inExecution, step: z.string(), index: z.number().int().nonnegative(), target: z.string() }),
  z.object({ type: z.literal('step-finished'), ...inExecution, index: z.number().int().nonnegative(), result: StepRecordSchema }),
  z.object({ type: z.literal('verdict'), ...inExecution, expectation: z.string(), kind: z.string(), passed: z.boolean(), message: z.string() }),
  z.object({
    type: z.literal('execution-finished'),
    ...inExecution,
    scenario: z.string(),
    iteration: z.number().int().positive(),
    verdict: VerdictValueSchema,
    spanCount: z.number().int().nonnegative(),
    expectations: z.number().int().nonnegative(),
    failedExpectations: z.number().int().nonnegative(),
    durationMs: z.number(),
    /** Why it could not run (services did not start, Docker errors), when it could not. */
    problems: z.array(z.string()).default([]),
  }),
  /** An experiment began: its time zero (epoch ms, the axis of `fault` events' offsets) and planned length. */
  z.object({ type: z.literal('experiment-started'), ...inExecution, experiment: z.string(), startedAtMs: z.number(), totalMs: z.number().nonnegative() }),
  /**
   * A fault put in or taken out (the chaos layer emits these), with its injection's identity (`path` tells the
   * injections of one execution apart) so the views draw its window while the execution runs.
   */
  z.object({ type: z.literal('fault'), ...inExecution, fault: z.string(), target: z.string(), state: z.enum(['injected', 'reverted', 'failed']), detail: z.string().optional(), offsetMs: z.number().nonnegative().optional(), ...FaultIdentitySchema.shape }),
  /**
   * An experiment's phase judged while the run goes on: once its window was final and its spans had time to
   * arrive. Provisional: the judgement when the execution ends is the authority (late spans can change it).
   */
  z.object({
    type: z.literal('phase-verdict'),
    ...inExecution,
    experiment: z.string(),
    phase: z.enum(['steady_state', 'during_chaos', 'recovery']),
    /** The window judged and when it was decided, in ms from the experiment's start. */
    startMs: z.number(),
    endMs: z.number(),
    decidedAtMs: z.number().nonnegative(),
    verdicts: z.array(
      z.object({
        path: z.string(),
        /** The assertion's type: success_rate, latency, max_downtime, … */
        type: z.string(),
        passed: z.boolean(),
        message: z.string(),
        measured: z.record(z.string(), z.number()),
        /** The spans that decided it (at most 20). */
        evidence: z.array(z.string()),
      }),
    ),
  }),
  z.object({ type: z.literal('warning'), ...base, message: z.string() }),
  z.object({ type: z.literal('log'), ...base, source: z.string(), message: z.string() }),
]);

export type RunEvent = z.output<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];
/** An event of one type, e.g. `RunEventOf<'step-finished'>`. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
