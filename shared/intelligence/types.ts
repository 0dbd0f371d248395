// The vocabulary of suggested assertions: the runs mined, the invariants found in them (each with its
// support, confidence and evidence) and how each is written into a test file.
import type { Span } from '../model';

/** One run: the spans of one trace file, or of one stored execution. */
export interface MiningRun {
  readonly id: string;
  readonly spans: readonly Span[];
}

export type SuggestionKind =
  | 'span'
  | 'count'
  | 'attribute'
  | 'event'
  | 'duration'
  | 'status'
  | 'order'
  | 'window'
  | 'topology'
  | 'propagation';

export const SUGGESTION_KINDS: readonly SuggestionKind[] = ['span', 'count', 'attribute', 'event', 'duration', 'status', 'order', 'window', 'topology', 'propagation'];

/** Tables written as one more `[[…]]` entry. */
export type ArrayTable = 'expect.span' | 'expect.window' | 'orchestration.distributed_tracing.assertion' | 'orchestration.temporal.constraint';

/**
 * How a suggestion goes into a file: one more array-of-tables entry; one key of a table (a count
 * bound, a status); or one more pair in a list of pairs (an order). Tables and keys are raw names.
 */
export type SuggestionEdit =
  | { readonly type: 'entry'; readonly table: ArrayTable; readonly entries: Readonly<Record<string, unknown>> }
  | { readonly type: 'key'; readonly table: string; readonly key: string; readonly value: unknown }
  | { readonly type: 'pair'; readonly table: string; readonly key: string; readonly pair: readonly [string, string] };

/** One mined fact before composition: what it says, how strongly the runs support it. */
export interface Invariant {
  readonly kind: SuggestionKind;
  /** What it is about (span name, pair, table key): suggestions are composed per kind and subject. */
  readonly subject: string;
  /** A sentence: "every db.query has db.system = postgresql". */
  readonly summary: string;
  /** Runs in which it applies (and, being mined, holds). */
  readonly support: number;
  /** 0..1, see confidence.ts. */
  readonly confidence: number;
  /** Span ids that justify it (capped). */
  readonly evidence: readonly string[];
  /** True when it holds only when its span is present (the run may lack it). */
  readonly conditional: boolean;
  readonly edit: SuggestionEdit;
  /** For composition: invariants with the same merge key become one [[expect.span]] entry. */
  readonly merge?: string;
}

export interface Suggestion extends Invariant {
  /** Stable: derived from the edit's content, so the same runs give the same ids. */
  readonly id: string;
  /** The TOML text of the edit, as it would read alone. */
  readonly snippet: string;
  /** Set when the file already says something else here; such a suggestion is never written. */
  readonly conflict?: string;
}

export interface MiningOptions {
  /** Daikon-like threshold: suggestions below it are dropped (default 0.99). */
  readonly minConfidence?: number;
  /** Fewest runs an invariant must apply to (default 2). */
  readonly minSupport?: number;
  /** Widens duration and numeric bounds both ways (the seed's buffer_factor; default 1.5). */
  readonly bufferFactor?: number;
  /** Only spans of this service (resource service.name). */
  readonly service?: string;
  /** Only runs of this structure group (an id, or a prefix of one, as the report lists them). */
  readonly group?: string;
}

export const DEFAULT_MIN_CONFIDENCE = 0.99;
export const DEFAULT_MIN_SUPPORT = 2;
export const DEFAULT_BUFFER_FACTOR = 1.5;
