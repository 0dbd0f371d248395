// A batch of span rows in column form (the spans table's columns), built on the ingesting thread
// and appended by the engine, in this thread or in the writer thread. Column form makes the
// hand-over to the writer thread cheap: arrays of strings and typed arrays that can be moved.
import type { Span } from '../../shared/model';
import { resourceInfo, spanBodyJson } from './schema';

export interface RowBatch {
  /** seq of the first row; rows are numbered consecutively. */
  firstSeq: number;
  count: number;
  traceId: string[];
  spanId: string[];
  parentSpanId: (string | null)[];
  name: string[];
  kind: string[];
  statusCode: string[];
  service: string[];
  startNs: string[];
  endNs: string[];
  /** start_us, end_us, duration_us interleaved per row. */
  micros: Float64Array;
  runId: (string | null)[];
  scenario: (string | null)[];
  /** resource_id and bytes interleaved per row. */
  ints: Int32Array;
  body: string[];
  /** Sum of the rows' `bytes` (the retention measure). */
  bytes: number;
}

/** The rows for these spans, numbered from `firstSeq`; `resourceId` maps a span's resource to its row. */
export function toRowBatch(spans: readonly Span[], firstSeq: number, resourceId: (span: Span) => number): RowBatch {
  const n = spans.length;
  const batch: RowBatch = {
    firstSeq,
    count: n,
    traceId: new Array<string>(n),
    spanId: new Array<string>(n),
    parentSpanId: new Array<string | null>(n),
    name: new Array<string>(n),
    kind: new Array<string>(n),
    statusCode: new Array<string>(n),
    service: new Array<string>(n),
    startNs: new Array<string>(n),
    endNs: new Array<string>(n),
    micros: new Float64Array(n * 3),
    runId: new Array<string | null>(n),
    scenario: new Array<string | null>(n),
    ints: new Int32Array(n * 2),
    body: new Array<string>(n),
    bytes: 0,
  };
  for (let i = 0; i < n; i++) {
    const span = spans[i]!;
    const body = spanBodyJson(span);
    const res = resourceInfo(span.resource);
    batch.traceId[i] = span.traceId;
    batch.spanId[i] = span.spanId;
    batch.parentSpanId[i] = span.parentSpanId || null;
    batch.name[i] = span.name;
    batch.kind[i] = span.kind;
    batch.statusCode[i] = span.status.code;
    batch.service[i] = span.serviceName;
    batch.startNs[i] = span.startTimeUnixNano;
    batch.endNs[i] = span.endTimeUnixNano;
    batch.micros[i * 3] = span.startUs;
    batch.micros[i * 3 + 1] = span.startUs + span.durationUs;
    batch.micros[i * 3 + 2] = span.durationUs;
    batch.runId[i] = res.runId ?? null;
    batch.scenario[i] = res.scenario ?? null;
    // What the row costs on disk, roughly: fixed columns plus the strings (resources are shared).
    const bytes = 160 + span.name.length + span.serviceName.length + body.length;
    batch.ints[i * 2] = resourceId(span);
    batch.ints[i * 2 + 1] = bytes;
    batch.body[i] = body;
    batch.bytes += bytes;
  }
  return batch;
}
