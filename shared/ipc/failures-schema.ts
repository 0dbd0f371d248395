// The Failures view's calls (shared/ipc/contract.ts): the stored runs' classified failures with their
// evidence, a run's repair proposals as diffs split into hunks, applying the chosen hunks after N
// verification reruns, undo, reject, and the quarantine list with each test's pass/fail history.
// Declared here as zod so both sides check them; the shapes are self-healing's own (shared/healing).
import { z } from 'zod';
import { ClassificationSchema } from '../healing/schema';
import { RunIdSchema } from '../run/records';
import { SpanIdSchema, TraceIdSchema } from './span-schema';

/** Most failures one `listFailures` answer holds (newest first). */
export const MAX_LISTED_FAILURES = 200;
/** Most log lines one failure carries (container log tails and step output, newest last). */
export const MAX_FAILURE_LOG_LINES = 60;
/** Most verification reruns one apply may ask for (`clnrm heal --verify` allows the same). */
export const MAX_VERIFY_RUNS = 20;

const ProposalIdSchema = z.string().regex(/^[0-9a-f]{8}$/, 'expected a proposal id: 8 hex digits');
const VerificationSchema = z.object({ runs: z.number().int().nonnegative(), passed: z.number().int().nonnegative(), note: z.string().optional() });

export const FailureViewSchema = z.object({
  executionId: RunIdSchema,
  runId: RunIdSchema,
  /** The test file's absolute path, as the run read it. */
  path: z.string(),
  test: z.string(),
  scenario: z.string(),
  /** The execution's own verdict (a determinism failure is written into a `passed` iteration). */
  verdict: z.string(),
  startedAt: z.number(),
  classification: ClassificationSchema,
  /** Spans the evidence names that are still in the store: the waterfall opens them marked. */
  evidenceSpans: z.array(z.object({ traceId: TraceIdSchema, spanId: SpanIdSchema, name: z.string() })).max(100),
  /** The execution's containers' log tails and its steps' output, `source: line`. */
  logLines: z.array(z.string()).max(MAX_FAILURE_LOG_LINES),
  /** Failed expectations, `expectation: message`. */
  failedChecks: z.array(z.string()),
});
export type FailureView = z.infer<typeof FailureViewSchema>;

export const RepairHunkSchema = z.object({ header: z.string(), lines: z.array(z.string()) });

export const RepairViewSchema = z.object({
  id: ProposalIdSchema,
  /** Absolute path of the file it changes. */
  path: z.string(),
  test: z.string(),
  kind: z.string(),
  description: z.string(),
  reason: z.string(),
  evidence: z.array(z.string()),
  diff: z.string(),
  /** The diff's hunks in order; applying takes the indices of the ones the user kept. */
  hunks: z.array(RepairHunkSchema).min(1),
});
export type RepairView = z.infer<typeof RepairViewSchema>;

export const failuresCalls = {
  /** The stored runs' classified failures, newest first. */
  listFailures: {
    request: z.object({ limit: z.number().int().min(1).max(MAX_LISTED_FAILURES).default(50) }),
    response: z.object({ failures: z.array(FailureViewSchema).max(MAX_LISTED_FAILURES), knowledgeDir: z.string() }),
  },
  /** The repairs self-healing proposes for a run's failures (rejected ones left out), saved for applying. */
  runRepairs: {
    request: z.object({ runId: RunIdSchema }),
    response: z.object({
      repairs: z.array(z.object({ executionId: RunIdSchema, proposals: z.array(RepairViewSchema), note: z.string().optional() })),
      /** Proposals applied to this run's files and not undone (newest last). */
      applied: z.array(z.object({ id: ProposalIdSchema, path: z.string(), test: z.string(), diff: z.string(), at: z.string() })),
    }),
  },
  /** Reruns the test with the chosen hunks applied to a copy `verify` times; writes them only if every rerun passed. */
  applyRepair: {
    request: z.object({ id: ProposalIdSchema, hunks: z.array(z.number().int().nonnegative()).min(1).max(1000), verify: z.number().int().min(0).max(MAX_VERIFY_RUNS).default(3) }),
    response: z.object({ id: ProposalIdSchema, path: z.string(), applied: z.boolean(), verification: VerificationSchema, diff: z.string() }),
  },
  /** Takes an applied repair back out of its file. */
  undoRepair: {
    request: z.object({ id: ProposalIdSchema }),
    response: z.object({ id: ProposalIdSchema, path: z.string() }),
  },
  /** Drops a proposal for good (`.clnrm/decisions.json`, as `clnrm heal --reject`). */
  rejectRepair: {
    request: z.object({ id: ProposalIdSchema }),
    response: z.object({ id: ProposalIdSchema }),
  },
  /** Every test's pass/fail history over its last executions, flakiest first, with its quarantine state. */
  quarantineList: {
    request: z.object({}),
    response: z.object({
      knowledgeDir: z.string(),
      tests: z.array(
        z.object({
          path: z.string(),
          test: z.string(),
          scenario: z.string(),
          /** `P`/`F`, oldest first. */
          outcomes: z.string().regex(/^[PF]*$/),
          score: z.number(),
          flaky: z.boolean(),
          quarantine: z.object({ since: z.string(), reason: z.string(), consecutivePasses: z.number().int().nonnegative() }).nullable(),
        }),
      ),
    }),
  },
} as const;
