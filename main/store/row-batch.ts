// A batch of span rows as the writer takes them: the spans' Span messages back to back in one
// buffer, where each lies, and each one's origin (resource + scope) id. Built on the ingesting
// thread with one copy of the bytes; the buffers move to the writer thread without copying
// (transferred), where the row columns are read from the bytes themselves (SpanScanner).
import type { Span } from '../../shared/model';
import { encodeSpanMessages, type SpanWire } from '../../shared/otlp';

export interface RowBatch {
  /** seq of the first row; rows are numbered consecutively. */
  firstSeq: number;
  count: number;
  /** The Span messages. */
  data: Uint8Array;
  /** start, end of row i's message in `data` at [2i], [2i + 1]. */
  ranges: Int32Array;
  /** Row i's origin id. */
  origins: Int32Array;
  /** Sum of the rows' `bytes` (the retention measure). */
  bytes: number;
}

/** What a row costs on disk, roughly (the retention measure): fixed columns, its own strings, its message. */
export function rowBytes(name: string, service: string, messageBytes: number): number {
  return 160 + name.length + service.length + messageBytes;
}

/**
 * The rows for these spans, numbered from `firstSeq`. `wire` (from the protobuf decoder) holds the
 * spans' original messages; without it they are encoded here. `originOf` maps a span to its origin.
 */
export function toRowBatch(spans: readonly Span[], wire: SpanWire | undefined, firstSeq: number, originOf: (span: Span) => number): RowBatch {
  const n = spans.length;
  const source = wire ?? encodeSpanMessages(spans);
  if (source.ranges.length !== 2 * n) throw new Error(`span bytes describe ${source.ranges.length / 2} spans, not ${n}`);
  // One copy that owns its buffer (the request's bytes may sit in a shared pool): transferable.
  let data: Uint8Array;
  let ranges: Int32Array;
  if (wire === undefined) {
    data = source.bytes;
    ranges = source.ranges;
  } else {
    // The request minus what lies before the first span and after the last.
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, source.ranges[2 * i]!);
      hi = Math.max(hi, source.ranges[2 * i + 1]!);
    }
    if (n === 0) lo = hi = 0;
    data = ownedCopy(source.bytes, lo, hi);
    ranges = new Int32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) ranges[i] = source.ranges[i]! - lo;
  }
  const origins = new Int32Array(n);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i]!;
    origins[i] = originOf(span);
    bytes += rowBytes(span.name, span.serviceName, ranges[2 * i + 1]! - ranges[2 * i]!);
  }
  return { firstSeq, count: n, data, ranges, origins, bytes };
}

/**
 * A copy of bytes[lo, hi) in an ArrayBuffer of its own, whatever `bytes` is: a Node Buffer's `slice`
 * is a view of the same memory, and transferring (detaching) that would take the caller's bytes too.
 */
export function ownedCopy(bytes: Uint8Array, lo = 0, hi = bytes.length): Uint8Array {
  const out = new Uint8Array(hi - lo);
  out.set(bytes.subarray(lo, hi));
  return out;
}
