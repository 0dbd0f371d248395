// The store host's API: what CLI commands ask of a running studio that holds their data folder
// (main/host). Every call is declared once here (name → zod request and response schemas); the
// studio checks each request before its handler sees it and the CLI checks each answer before it
// uses it. One call is not JSON: `ingest` carries spans as an OTLP/protobuf request, checked by the
// receiver's own decoder (spans enter the store one way, transformed once, and their bytes are kept). Calls mirror the TraceStore methods the commands use, so a command cannot tell a remote
// store from a local one except by the line saying which it uses.
import { z } from 'zod';
import { ExecutionRecordSchema, RunIdSchema, RunQuerySchema, RunRecordSchema, ContainerStatsRowSchema } from '../run/records';
import { IpcErrorSchema, ProblemSchema, TraceSummarySchema } from './contract';
import type { Span } from '../model';
import type { SpanWire } from '../otlp';
import { SpanSchema, TraceIdSchema } from './span-schema';
import { BaselineRecordSchema } from '../perf/baseline';

/** Bumped when a call changes shape: a CLI and a studio of different versions refuse to talk. */
export const HOST_API_VERSION = 1;
/** Most spans one `ingest` call carries (the CLI sends larger batches in pieces). */
export const MAX_INGEST_SPANS = 5000;
/** How `ingest` bodies are sent. */
export const INGEST_CONTENT_TYPE = 'application/x-protobuf';
/** Largest request body the host reads (a full `ingest` batch of large spans fits). */
export const MAX_HOST_BODY_BYTES = 64 * 1024 * 1024;

const nonNegative = z.number().nonnegative();
const timeBound = z.union([z.number(), z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date/time')]);

/** The store's trace query (main/store/queries.ts ListTracesQuery), every field checked. */
export const HostTraceQuerySchema = z
  .object({
    service: z.string().min(1).optional(),
    spanName: z.string().min(1).optional(),
    spanNameContains: z.string().min(1).optional(),
    attribute: z.object({ key: z.string().min(1), value: z.string() }).strict().optional(),
    minDurationMs: nonNegative.optional(),
    maxDurationMs: nonNegative.optional(),
    status: z.enum(['unset', 'ok', 'error']).optional(),
    withoutErrors: z.boolean().optional(),
    since: timeBound.optional(),
    until: timeBound.optional(),
    runId: RunIdSchema.optional(),
    executionId: RunIdSchema.optional(),
    executionIds: z.array(RunIdSchema).max(1000).optional(),
    exceptScope: z.string().optional(),
    sort: z.enum(['start', 'duration', 'spans']).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    offset: z.number().int().nonnegative().optional(),
  })
  .strict();

const RunHistoryEntrySchema = z.object({ run: RunRecordSchema, executions: z.array(ExecutionRecordSchema) });

export const ImportResultSchema = z.object({
  file: z.string(),
  format: z.enum(['otlp-json', 'otlp-jsonl', 'jaeger-json', 'clnrm-ndjson']),
  imported: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  traces: z.number().int().nonnegative(),
  traceIds: z.array(TraceIdSchema),
  warnings: z.array(ProblemSchema),
});

const empty = z.object({}).strict();

/** The store's baseline query (main/store/baselines.ts BaselineQuery). */
const BaselineQuerySchema = z
  .object({ testName: z.string().min(1).optional(), scenario: z.string().optional(), nameOrId: z.string().min(1).max(200).optional(), limit: z.number().int().min(1).max(1000).optional() })
  .strict();

export const hostCalls = {
  /** Who answers: the CLI checks the pid and folder against the host file before it trusts the store. */
  hello: { request: empty, response: z.object({ version: z.number().int(), pid: z.number().int().positive(), dataDir: z.string(), path: z.string() }) },
  listTraces: { request: HostTraceQuerySchema, response: z.object({ traces: z.array(TraceSummarySchema), total: z.number().int().nonnegative() }) },
  getTrace: { request: z.object({ traceId: TraceIdSchema }).strict(), response: z.object({ spans: z.array(SpanSchema) }) },
  tracesWithIdPrefix: {
    request: z.object({ prefix: z.string().regex(/^[0-9a-f]{4,32}$/, 'expected 4 to 32 lowercase hex characters'), limit: z.number().int().min(1).max(100) }).strict(),
    response: z.object({ ids: z.array(TraceIdSchema) }),
  },
  listRuns: { request: RunQuerySchema.strict(), response: z.object({ runs: z.array(RunHistoryEntrySchema) }) },
  getRun: { request: z.object({ id: RunIdSchema }).strict(), response: z.object({ run: RunHistoryEntrySchema.optional() }) },
  /** The spans of several traces at once (`clnrm perf` reads a run's traces this way). */
  getSpans: { request: z.object({ traceIds: z.array(TraceIdSchema).max(10_000) }).strict(), response: z.object({ spans: z.array(SpanSchema) }) },
  /**
   * Imports a file the CLI names (absolute path). The caller proved it holds the secret in a file only
   * the user can read, so it is the user: the studio reads what the user's own shell could.
   */
  importFile: { request: z.object({ path: z.string().min(1).refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'expected an absolute path') }).strict(), response: ImportResultSchema },
  exportTraces: {
    request: z.object({ ids: z.union([z.literal('all'), z.array(TraceIdSchema).min(1).max(10_000)]), format: z.enum(['otlp-json', 'otlp-jsonl']) }).strict(),
    response: z.object({ text: z.string(), spans: z.number().int().nonnegative(), missing: z.array(z.string()) }),
  },
  /**
   * Spans a CLI run received or made, stored and announced to the studio's pages; answered once committed.
   * Sent as INGEST_CONTENT_TYPE (an OTLP ExportTraceServiceRequest); the request here is what the
   * decoder made of it, every span of it kept (a rejected span refuses the whole request).
   */
  ingest: {
    request: z.object({ spans: z.array(z.custom<Span>()).min(1).max(MAX_INGEST_SPANS), wire: z.custom<SpanWire>().optional() }),
    response: z.object({ stored: z.number().int().nonnegative() }),
  },
  recordRun: { request: RunRecordSchema.strict(), response: empty },
  finishRun: { request: z.object({ id: RunIdSchema, patch: RunRecordSchema.partial().strict() }).strict(), response: RunRecordSchema },
  recordExecution: { request: ExecutionRecordSchema.strict(), response: empty },
  finishExecution: { request: z.object({ id: RunIdSchema, patch: ExecutionRecordSchema.partial().strict() }).strict(), response: ExecutionRecordSchema },
  addContainerStats: { request: z.object({ rows: z.array(ContainerStatsRowSchema).max(100_000) }).strict(), response: empty },
  // perf: baselines kept in the studio's store (a run's `[[expect.regression]]`, auto capture, `clnrm perf baseline`)
  saveBaseline: { request: BaselineRecordSchema.strict(), response: empty },
  listBaselines: { request: BaselineQuerySchema, response: z.object({ baselines: z.array(BaselineRecordSchema) }) },
  /** `clnrm perf baseline delete` on a folder the studio holds: the whole id, as `listBaselines` gave it. */
  deleteBaseline: { request: z.object({ id: BaselineRecordSchema.shape.id }).strict(), response: z.object({ deleted: z.boolean() }) },
} as const;

export type HostCallName = keyof typeof hostCalls;
export type HostRequest<N extends HostCallName> = z.input<(typeof hostCalls)[N]['request']>;
export type HostArgs<N extends HostCallName> = z.output<(typeof hostCalls)[N]['request']>;
export type HostResponse<N extends HostCallName> = z.output<(typeof hostCalls)[N]['response']>;
export type HostHandlers = { readonly [N in HostCallName]: (args: HostArgs<N>) => Promise<HostResponse<N>> };

/** Every answer: the value, or an error with its code. */
export const HostReplySchema = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: IpcErrorSchema })]);

export function isHostCallName(name: string): name is HostCallName {
  return Object.prototype.hasOwnProperty.call(hostCalls, name);
}

/** The host file a studio writes into the data folder it holds (main/host/host-file.ts). */
export const HostFileSchema = z
  .object({
    version: z.number().int(),
    pid: z.number().int().positive(),
    /** `http://127.0.0.1:<port>`: loopback only. */
    url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/, 'expected http://127.0.0.1:<port>'),
    /** 32 random bytes, base64url. */
    secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 43 base64url characters'),
    dataDir: z.string(),
    startedAt: z.number(),
  })
  .strict();
export type HostFile = z.infer<typeof HostFileSchema>;
