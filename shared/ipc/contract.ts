// The one IPC contract between the UI and the studio's back end. Every call and every event is
// declared here once (name → zod schemas); the Electron preload, the browser-mode WebSocket, the
// main-side handlers and the renderer all derive their types and checks from this file.
// Errors cross as `{ code, message, details }` (see ./validate.ts) because Electron keeps only
// `message` of a thrown Error.
import { z } from 'zod';
import type { ErrorCode } from '../errors';
import { RunEventSchema } from '../run/events';
import { ExecutionRecordSchema, RunIdSchema, RunQuerySchema, RunRecordSchema } from '../run/records';
import { failuresCalls } from './failures-schema';
import { perfCalls } from './perf-schema';
import { chaosCalls } from './chaos-schema';
import { faultWindowCalls } from './fault-window-schema';
import { chaosLiveCalls } from './chaos-live-schema';
import { EvidenceSpanSchema, MAX_EVIDENCE_PER_VERDICT, SpanSchema, TraceIdSchema } from './span-schema';
import { suggestionCalls } from './suggestions-schema';

export { EvidenceSpanSchema, MAX_EVIDENCE_PER_VERDICT, type EvidenceSpan } from './span-schema';
export { MAX_SUGGESTION_RUNS, MAX_SUGGESTION_TRACES, MAX_REMOTE_LIMIT, type SuggestionView, type SuggestionLearnSource } from './suggestions-schema';
import { uploadCalls } from './upload-schema';

const ErrorCodeSchema = z.custom<ErrorCode>(
  (v) => typeof v === 'string' && (v === 'internal' || /^[a-z]+(\.[a-z][a-z-]*)+$/.test(v)),
  'expected an error code such as "trace.invalid"',
);

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export const ProblemSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  path: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** 'ok' | 'error' | 'unset': some span of the trace has that status; 'no-errors': no span has status ERROR. */
const StatusFilter = z.enum(['any', 'ok', 'error', 'unset', 'no-errors']);
const nonNegative = z.number().nonnegative();

export const TraceSummarySchema = z.object({
  traceId: TraceIdSchema,
  rootName: z.string(),
  rootService: z.string(),
  startUs: z.number(),
  durationUs: nonNegative,
  spanCount: z.number().int().nonnegative(),
  errorCount: z.number().int().nonnegative(),
  services: z.array(z.string()),
  /**
   * Set while a file that holds this trace is still being imported (a studio upload): the summary
   * covers only the spans stored so far. `percent` is how much of the file has been read.
   */
  importing: z.object({ file: z.string(), percent: z.number().int().min(0).max(100) }).optional(),
});
export type TraceSummary = z.infer<typeof TraceSummarySchema>;

export const TraceSortSchema = z.enum(['newest', 'oldest', 'longest', 'shortest', 'most-spans']);

export const ListTracesRequestSchema = z
  .object({
    service: z.string().min(1).optional(),
    /** Some span's name contains this text, in any case. */
    spanName: z.string().min(1).optional(),
    /** Every pair must match some span (or its resource) of the trace. */
    attributes: z.array(z.object({ key: z.string().min(1), value: z.string() })).default([]),
    minDurationMs: nonNegative.optional(),
    maxDurationMs: nonNegative.optional(),
    status: StatusFilter.default('any'),
    sinceUs: z.number().optional(),
    untilUs: z.number().optional(),
    /** Traces of this run (what `runTest` answered, `clnrm run` printed, the Tests view shows). */
    runId: RunIdSchema.optional(),
    /** Traces of this scenario execution. */
    executionId: RunIdSchema.optional(),
    sort: TraceSortSchema.default('newest'),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().nonnegative().default(0),
  })
  .refine((q) => q.minDurationMs === undefined || q.maxDurationMs === undefined || q.minDurationMs <= q.maxDurationMs, {
    message: 'minDurationMs must not exceed maxDurationMs',
    path: ['minDurationMs'],
  });
export type TraceQuery = z.output<typeof ListTracesRequestSchema>;

export const ServiceEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  calls: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  p50Ms: nonNegative,
  p99Ms: nonNegative,
});
export type ServiceEdge = z.infer<typeof ServiceEdgeSchema>;

/** A host folder or socket a test file's service mounts (shared/spec/host-access.ts). */
export const HostAccessSchema = z.object({
  service: z.string(),
  kind: z.literal('mount'),
  hostPath: z.string(),
  containerPath: z.string(),
  readOnly: z.boolean(),
  risk: z.string().optional(),
});

export const TestFileSchema = z.object({
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  modifiedMs: z.number(),
});

/** Most trace ids one finished run lists. */
export const MAX_RUN_TRACES = 200;
/** Most scenario executions one run reports (matrix × scenarios × iterations beyond this are left out of the list). */
export const MAX_RUN_EXECUTIONS = 100;
/** Most runs one `listRuns` answer holds. */
export const MAX_LISTED_RUNS = 200;


export const VerdictSchema = z.object({
  name: z.string(),
  /** What was checked: the whole test (a summary), one step, one expectation, or the test's [determinism] iterations. */
  kind: z.enum(['test', 'step', 'expectation', 'determinism']).default('expectation'),
  passed: z.boolean(),
  message: z.string(),
  /** The spans the check found (failed: the offending ones); empty when it found none. */
  evidence: z.array(EvidenceSpanSchema).max(MAX_EVIDENCE_PER_VERDICT).default([]),
});
export type Verdict = z.output<typeof VerdictSchema>;

const ImportResultSchema = z.object({
  imported: z.array(
    z.object({
      file: z.string(),
      format: z.string(),
      /** Spans added to the store. */
      spanCount: z.number().int().nonnegative(),
      /** Spans skipped because the store already held them (same trace and span id). */
      duplicates: z.number().int().nonnegative(),
      /** Every trace the file holds, new or already stored. */
      traceIds: z.array(TraceIdSchema),
      warnings: z.array(ProblemSchema),
    }),
  ),
  problems: z.array(ProblemSchema),
});

/** Every request/response pair. Requests are objects so fields can be added compatibly. */
export const calls = {
  listTraces: {
    request: ListTracesRequestSchema,
    response: z.object({ traces: z.array(TraceSummarySchema), total: z.number().int().nonnegative() }),
  },
  getTrace: {
    request: z.object({ traceId: TraceIdSchema }),
    response: z.object({ traceId: TraceIdSchema, spans: z.array(SpanSchema) }),
  },
  serviceGraph: {
    request: z.object({
      sinceUs: z.number().optional(),
      untilUs: z.number().optional(),
      runId: RunIdSchema.optional(),
      /** Only spans of these scenario executions (a finished run's `executionIds`). */
      executionIds: z.array(RunIdSchema).min(1).max(MAX_RUN_EXECUTIONS).optional(),
    }),
    response: z.object({ services: z.array(z.string()), edges: z.array(ServiceEdgeSchema) }),
  },
  /** The services a test file declares (by the service name their spans carry) and the calls its dependencies imply. */
  testTopology: {
    request: z.object({ path: z.string().min(1) }),
    response: z.object({
      testName: z.string(),
      services: z.array(z.object({ id: z.string(), name: z.string() })),
      edges: z.array(z.object({ from: z.string(), to: z.string() })),
    }),
  },
  importFiles: {
    /** `paths` on the desktop; `files` (contents) where the page has no file system access. */
    request: z
      .object({
        paths: z.array(z.string().min(1)).optional(),
        files: z.array(z.object({ name: z.string().min(1), text: z.string() })).optional(),
      })
      .refine((r) => (r.paths?.length ?? 0) + (r.files?.length ?? 0) > 0, { message: 'give at least one path or file' }),
    response: ImportResultSchema,
  },
  // large trace files from a page, in chunks (./upload-schema.ts)
  ...uploadCalls(ImportResultSchema),
  /** Stored trace ids starting with a short id (the 8 characters the UI shows): one answer means it is unambiguous. */
  findTraceIds: {
    request: z.object({ prefix: z.string().regex(/^[0-9a-fA-F]{4,32}$/, 'give 4 to 32 hex characters of a trace id') }),
    response: z.object({ traceIds: z.array(TraceIdSchema).max(10) }),
  },
  /** Whether the store holds anything yet: a first start (empty) offers the bundled demo. */
  storeStatus: {
    request: z.object({}),
    response: z.object({
      empty: z.boolean(),
      traceCount: z.number().int().nonnegative(),
      /** Where SDKs send spans (`http://host:port`); absent when that receiver is off. */
      receiver: z.object({ http: z.string().optional(), grpc: z.string().optional() }).default({}),
    }),
  },
  /** Imports the bundled sample traces (recorded from examples/demo) and names the example tests' folder. */
  loadDemo: {
    request: z.object({}),
    response: ImportResultSchema.extend({ examplesFolder: z.string() }),
  },
  exportTraces: {
    request: z.object({
      traceIds: z.array(TraceIdSchema).min(1),
      format: z.enum(['otlp-json']).default('otlp-json'),
    }),
    /** The file's text: the page saves it as a download (the back end writes no file a page names). */
    response: z.object({ spanCount: z.number().int().nonnegative(), text: z.string() }),
  },
  clearAll: {
    request: z.object({}),
    response: z.object({ removedTraces: z.number().int().nonnegative(), removedSpans: z.number().int().nonnegative() }),
  },
  openFolder: {
    /** Without `path` the desktop app shows a folder picker; `folder` is null when cancelled. */
    request: z.object({ path: z.string().min(1).optional() }),
    response: z.object({ folder: z.string().nullable() }),
  },
  listTestFiles: {
    request: z.object({ folder: z.string().min(1) }),
    response: z.object({ files: z.array(TestFileSchema) }),
  },
  /** A test file's text, to show its source with the problems marked (only `.toml` files, at most 1 MiB). */
  readTestFile: {
    request: z.object({ path: z.string().min(1) }),
    response: z.object({ path: z.string(), text: z.string() }),
  },
  validateFile: {
    request: z.object({ path: z.string().min(1) }),
    response: z.object({
      ok: z.boolean(),
      problems: z.array(ProblemSchema),
      warnings: z.array(ProblemSchema),
      hostAccess: z.array(HostAccessSchema).default([]),
      /** SHA-256 (hex) of the text validated: a confirmation of the file's host access holds for this content only. */
      contentHash: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  },
  runTest: {
    request: z.object({
      path: z.string().min(1),
      scenario: z.string().min(1).optional(),
      vars: z.record(z.string(), z.string()).default({}),
    }),
    /** The run's id: what its spans carry as `clnrm.run_id` and what its history record is keyed by. */
    response: z.object({ runId: RunIdSchema }),
  },
  cancelRun: {
    request: z.object({ runId: RunIdSchema }),
    response: z.object({ cancelled: z.boolean() }),
  },
  /** Run history (the studio's and `clnrm run`'s), newest first; survives restarts. */
  listRuns: {
    request: RunQuerySchema.extend({ limit: z.number().int().positive().max(MAX_LISTED_RUNS).default(50) }),
    response: z.object({ runs: z.array(z.object({ run: RunRecordSchema, executions: z.array(ExecutionRecordSchema).max(MAX_RUN_EXECUTIONS) })) }),
  },
  ...perfCalls,
  // chaos view
  ...chaosCalls,
  // chaos live stats
  ...chaosLiveCalls,
  // suggested assertions (./suggestions-schema.ts)
  ...suggestionCalls,
  // failures view: self-healing's failures, repairs and quarantine (./failures-schema.ts)
  ...failuresCalls,
  // fault windows: bands on the waterfall, scatter and service map (./fault-window-schema.ts)
  ...faultWindowCalls,
} as const;

/** Every event the back end pushes to the UI. */
export const events = {
  /** A batch of spans was stored; `traces` are the new or changed summaries. */
  spansAdded: z.object({ spanCount: z.number().int().nonnegative(), traces: z.array(TraceSummarySchema), runId: z.string().optional() }),
  /** What a run is doing, as it happens (shared/run/events.ts): the Tests view's progress and timeline. */
  runEvent: RunEventSchema,
  runFinished: z.object({
    runId: RunIdSchema,
    file: z.string(),
    passed: z.boolean(),
    cancelled: z.boolean().default(false),
    durationMs: nonNegative,
    verdicts: z.array(VerdictSchema).default([]),
    /** The traces the run's scenarios produced (newest runs may list fewer than they made: bounded). */
    traceIds: z.array(TraceIdSchema).max(MAX_RUN_TRACES).default([]),
    /** Each scenario execution's id (what its spans carry as `clnrm.execution_id`). */
    executionIds: z.array(RunIdSchema).max(MAX_RUN_EXECUTIONS).default([]),
    problem: ProblemSchema.optional(),
  }),
  /** The run history changed outside this page (a `clnrm run` storing through the studio): re-read `listRuns`. */
  runsChanged: z.object({ runId: RunIdSchema }),
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
/** What a caller passes (defaults may be omitted). */
export type CallRequest<N extends CallName> = z.input<(typeof calls)[N]['request']>;
/** What a handler receives (defaults filled in). */
export type CallArgs<N extends CallName> = z.output<(typeof calls)[N]['request']>;
export type CallResponse<N extends CallName> = z.output<(typeof calls)[N]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** `window.api`: one method per call, plus event subscription (returns the unsubscribe function). */
export type StudioApi = {
  readonly [N in CallName]: (request: CallRequest<N>) => Promise<CallResponse<N>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** The main side implements these (arguments already validated, defaults applied). */
export type StudioHandlers = {
  readonly [N in CallName]: (request: CallArgs<N>) => Promise<CallResponse<N>> | CallResponse<N>;
};
