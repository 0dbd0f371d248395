// The Suggestions panel's calls (shared/ipc/contract.ts): suggested assertions for a test file learned
// from one source — the file's stored runs, traces in the store (each one run), or a Jaeger or Tempo
// query API — each previewed on the file's stored executions and on the open trace; accepting, undoing
// and rejecting them.
import { z } from 'zod';
import { SUGGESTION_KINDS, type SuggestionKind } from '../intelligence/types';
import { RunIdSchema } from '../run/records';
import { EvidenceSpanSchema, MAX_EVIDENCE_PER_VERDICT, TraceIdSchema } from './span-schema';

/** Most stored runs the Suggestions panel learns from (each of their executions is one run to mine). */
export const MAX_SUGGESTION_RUNS = 100;
/** Most stored traces one request learns from (each one run). */
export const MAX_SUGGESTION_TRACES = 200;
/** Most traces fetched from Jaeger or Tempo for one request. */
export const MAX_REMOTE_LIMIT = 200;
/** Minimum support the panel may ask for: 1 (one trace alone) to this. */
const MAX_MIN_SUPPORT = 1000;

/** A suggestion id as `clnrm suggest` lists it: kind prefix and 8 hex digits of its content's hash. */
const SuggestionIdSchema = z.string().regex(/^[a-z]+-[0-9a-f]{8}$/, 'expected a suggestion id such as "order-580a2dea"');

/** A query API's base: http(s), a host, an optional path; no query or fragment (the back end adds /api/...). */
const QueryApiUrlSchema = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s/?#]+[^\s?#]*$/i, 'expected the http(s) base URL of the query API, without a query or fragment, e.g. http://localhost:16686');

/** Where the runs to learn from come from. */
export const SuggestionLearnSourceSchema = z.discriminatedUnion('kind', [
  /** The passed executions of the file's last `runs` stored runs (what `clnrm suggest --runs` takes). */
  z.object({ kind: z.literal('runs'), runs: z.number().int().min(1).max(MAX_SUGGESTION_RUNS).default(20) }),
  /** Traces in the store (the open one, picked ones, imported files): each is one run. */
  z.object({
    kind: z.literal('traces'),
    traceIds: z
      .array(TraceIdSchema)
      .min(1)
      .max(MAX_SUGGESTION_TRACES)
      .refine((ids) => new Set(ids).size === ids.length, 'each trace id once'),
  }),
  /** A Jaeger query service or Grafana Tempo: the newest `limit` traces of `service`, each one run. */
  z.object({
    kind: z.literal('remote'),
    system: z.enum(['jaeger', 'tempo']),
    url: QueryApiUrlSchema,
    service: z.string().trim().min(1).max(256),
    limit: z.number().int().min(1).max(MAX_REMOTE_LIMIT).default(20),
  }),
]);
export type SuggestionLearnSource = z.output<typeof SuggestionLearnSourceSchema>;

/** The thresholds and source a suggestion's id belongs to: accepting re-mines with the same ones. */
const SuggestionRequestSchema = z.object({
  path: z.string().min(1),
  minConfidence: z.number().min(0).max(1).default(0.99),
  minSupport: z.number().int().min(1).max(MAX_MIN_SUPPORT).default(2),
  source: SuggestionLearnSourceSchema.default({ kind: 'runs', runs: 20 }),
});

export const SuggestionViewSchema = z.object({
  id: SuggestionIdSchema,
  kind: z.enum(SUGGESTION_KINDS as [SuggestionKind, ...SuggestionKind[]]),
  summary: z.string(),
  snippet: z.string(),
  /** Runs it applies to (and holds in); confidence 0..1 (see shared/intelligence/confidence.ts). */
  support: z.number().int().nonnegative(),
  confidence: z.number().min(0).max(1),
  conditional: z.boolean(),
  /** Set when the file already says something else here: never written. */
  conflict: z.string().optional(),
  evidence: z.array(EvidenceSpanSchema).max(MAX_EVIDENCE_PER_VERDICT),
  /** Executions (of `runs`) it fails on; it passes on every other one. */
  failsOn: z.array(RunIdSchema),
  /** Its verdict on the open trace's execution (absent: no trace given). */
  onOpenTrace: z.boolean().optional(),
});
export type SuggestionView = z.infer<typeof SuggestionViewSchema>;

const SuggestionsResponseSchema = z.object({
  path: z.string(),
  /** What was learned from, in words ("3 traces from the store", "jaeger http://…: 20 traces of api"). */
  learnedFromSource: z.object({
    kind: z.enum(['runs', 'traces', 'remote']),
    description: z.string(),
    /** False for Jaeger/Tempo: their traces are not stored, so evidence is shown as ids only. */
    evidenceInStore: z.boolean(),
  }),
  /** Stored executions of the file, newest first: all are previewed; with the `runs` source the passed ones were learned from. */
  runs: z.array(z.object({ executionId: RunIdSchema, runId: RunIdSchema, verdict: z.string(), startedAt: z.number(), spanCount: z.number().int().nonnegative() })),
  learnedFrom: z.number().int().nonnegative(),
  /** Mined but under the threshold or the minimum support (lower the threshold to see them). */
  belowThreshold: z.number().int().nonnegative(),
  notes: z.array(z.string()),
  suggestions: z.array(SuggestionViewSchema),
  /** Ids rejected for this file (remembered in the data folder; not offered again). */
  rejected: z.array(z.string()),
  /** Suggestions accepted into this file through the panel, newest last. */
  accepted: z.array(z.object({ id: z.string(), kind: z.string(), summary: z.string(), snippet: z.string(), acceptedAt: z.number(), failsOn: z.array(RunIdSchema) })),
  /** Each failed execution: the accepted suggestions that caught it and the available ones that would have. */
  failures: z.array(z.object({ executionId: RunIdSchema, runId: RunIdSchema, caughtBy: z.array(z.string()), wouldCatch: z.array(z.string()) })),
  /** The open trace the preview judged (its whole execution when it carries one). */
  openTrace: z.object({ traceId: TraceIdSchema, executionId: RunIdSchema.optional(), spanCount: z.number().int().nonnegative() }).optional(),
});

export const suggestionCalls = {
  /** Suggested assertions for a test file, learned from the source, each previewed on every stored execution and on the open trace. */
  suggestionsForFile: {
    request: SuggestionRequestSchema.extend({ traceId: TraceIdSchema.optional() }),
    response: SuggestionsResponseSchema,
  },
  /** Writes suggestions (some with an edited snippet) into the file: atomic, re-validated, undoable. */
  acceptSuggestions: {
    request: SuggestionRequestSchema.extend({
      ids: z.array(SuggestionIdSchema).min(1).max(1000),
      /** Suggestion id → its snippet as the user edited it (same table, same shape). */
      edited: z.record(SuggestionIdSchema, z.string().max(64 * 1024)).default({}),
    }),
    response: z.object({ path: z.string(), diff: z.string(), written: z.array(z.string()), skipped: z.array(z.string()), undoToken: z.string() }),
  },
  /** Puts the file back as it was before that accept (refused when it changed since). Tokens last while the studio runs. */
  undoAccept: {
    request: z.object({ token: z.string().regex(/^[0-9a-f]{32}$/, 'expected an undo token (32 hex digits)') }),
    response: z.object({ path: z.string(), diff: z.string() }),
  },
  /** Never offer this suggestion for this file again (remembered in the data folder). */
  rejectSuggestion: {
    request: z.object({ path: z.string().min(1), id: SuggestionIdSchema }),
    response: z.object({ rejected: z.array(z.string()) }),
  },
} as const;
