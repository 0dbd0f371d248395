// The outcome of decoding one OTLP request, and the partial-success bookkeeping shared by the
// protobuf and JSON decoders: invalid spans are counted and explained, the rest are kept.
import type { Span } from '../model';

export interface OtlpDecodeResult {
  spans: Span[];
  /** Spans dropped because their ids were invalid (OTLP partial success `rejected_spans`). */
  rejectedSpans: number;
  /** Why spans were rejected (OTLP partial success `error_message`); absent when none were. */
  errorMessage?: string;
  /** Protobuf requests only: where each kept span's Span message lies in the request bytes. */
  wire?: SpanWire;
}

/** The original encoding of spans: `bytes[ranges[2i], ranges[2i+1])` is the Span message of span i. */
export interface SpanWire {
  readonly bytes: Uint8Array;
  readonly ranges: Int32Array;
}

const MAX_REASONS = 3;

/** Collects rejections; keeps only the first few reasons so a flood of bad spans stays cheap. */
export class Rejections {
  count = 0;
  private readonly reasons: string[] = [];

  reject(spanName: string, reason: string): void {
    this.count++;
    if (this.reasons.length < MAX_REASONS) this.reasons.push(`span '${spanName}' ${reason}`);
  }

  finish(spans: Span[]): OtlpDecodeResult {
    if (this.count === 0) return { spans, rejectedSpans: 0 };
    const more = this.count > this.reasons.length ? `; and ${this.count - this.reasons.length} more` : '';
    const noun = this.count === 1 ? 'span' : 'spans';
    return { spans, rejectedSpans: this.count, errorMessage: `${this.count} ${noun} rejected: ${this.reasons.join('; ')}${more}` };
  }
}

/** Why a trace id of `length` bytes (zero = all bytes zero) is invalid, or undefined when valid. */
export function traceIdProblem(length: number, zero: boolean): string | undefined {
  if (length !== 16) return length === 0 ? 'has no trace id' : `has a ${length}-byte trace id (expected 16)`;
  return zero ? 'has an all-zero trace id' : undefined;
}

export function spanIdProblem(length: number, zero: boolean): string | undefined {
  if (length !== 8) return length === 0 ? 'has no span id' : `has a ${length}-byte span id (expected 8)`;
  return zero ? 'has an all-zero span id' : undefined;
}

/** A parent id may be empty or all zero (a root span); any other length is invalid. */
export function parentIdProblem(length: number): string | undefined {
  return length === 0 || length === 8 ? undefined : `has a ${length}-byte parent span id (expected 8)`;
}
