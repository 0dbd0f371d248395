// Reading just the indexed columns of stored Span messages (ids, name, kind, status, times) without
// building a Span: the trace store's writer derives its row columns from the very bytes it
// stores, so the two cannot disagree. Attributes, events and links are skipped by length.
// The bytes were decoded once already on the way in; anything malformed still throws
// StudioError 'otlp.decode'.
import type { SpanKind, StatusCode } from '../model';
import { kindFromNumber, statusFromNumber } from './otlp-enums';
import { OtlpReader } from './protobuf-values';

const VARINT = 0;
const I64 = 1;
const LEN = 2;

export class SpanScanner {
  traceId = '';
  spanId = '';
  /** Empty for a root span. */
  parentSpanId = '';
  name = '';
  kind: SpanKind = 'unspecified';
  statusCode: StatusCode = 'unset';
  startUs = 0;
  endUs = 0;
  private readonly r: OtlpReader;

  constructor(bytes: Uint8Array) {
    this.r = new OtlpReader(bytes);
  }

  /** Reads the Span message at bytes[start, end) into this scanner's fields. */
  scan(start: number, end: number): void {
    const r = this.r;
    r.pos = start;
    let traceAt = -1;
    let spanAt = -1;
    let parentAt = -1;
    this.name = '';
    this.kind = 'unspecified';
    this.statusCode = 'unset';
    this.startUs = 0;
    this.endUs = 0;
    while (r.pos < end) {
      const tag = r.uint32(end);
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 || field === 2 || field === 4) {
        if (wire !== LEN) throw r.wrongWire('Span id field', wire, LEN);
        const stop = r.lengthEnd(end);
        const n = stop - r.pos;
        if (field === 1) traceAt = n === 16 ? r.pos : -1;
        else if (field === 2) spanAt = n === 8 ? r.pos : -1;
        else parentAt = n === 8 && !r.isZero(r.pos, stop) ? r.pos : -1;
        r.pos = stop;
      } else if (field === 5) {
        if (wire !== LEN) throw r.wrongWire('Span.name (5)', wire, LEN);
        this.name = r.string(end);
      } else if (field === 6) {
        if (wire !== VARINT) throw r.wrongWire('Span.kind (6)', wire, VARINT);
        this.kind = kindFromNumber(r.uint32(end));
      } else if (field === 7 || field === 8) {
        if (wire !== I64) throw r.wrongWire('Span time field', wire, I64);
        r.fixed64(end);
        if (field === 7) this.startUs = r.uint64Micros();
        else this.endUs = r.uint64Micros();
      } else if (field === 15) {
        if (wire !== LEN) throw r.wrongWire('Span.status (15)', wire, LEN);
        const stop = r.lengthEnd(end);
        this.statusCode = this.statusOf(stop);
        r.pos = stop;
      } else {
        r.skip(wire, field, end);
      }
    }
    if (traceAt < 0 || spanAt < 0) throw r.fail(start, 'stored span without a valid trace id and span id');
    this.traceId = r.traceIdHex(traceAt);
    this.spanId = r.spanIdHex(spanAt);
    this.parentSpanId = parentAt < 0 ? '' : r.parentIdHex(parentAt);
  }

  /** Status: message = 2, code = 3. */
  private statusOf(end: number): StatusCode {
    const r = this.r;
    let code: StatusCode = 'unset';
    while (r.pos < end) {
      const tag = r.uint32(end);
      if (tag >>> 3 === 3 && (tag & 7) === VARINT) code = statusFromNumber(r.uint32(end));
      else r.skip(tag & 7, tag >>> 3, end);
    }
    return code;
  }
}
