// Binary frames that carry a stored trace from the store to the UI: each frame holds a run of the
// trace's spans (in start-time order) as their stored OTLP Span messages, plus the resource/scope
// pairs (origins) those spans use — never a span as JSON. Both ends share this codec: the studio
// encodes (main/studio/trace-stream.ts), the renderer's decode worker checks and decodes.
//
// Layout (little-endian):
//   0  "CLTF" magic · 4 version (1) · 5..7 zero
//   8  u32 stream id (the request it answers) · 12 u32 header bytes H · 16 u32 span count n · 20 u32 body bytes B
//   24 header: UTF-8 JSON { traceId, first, total, origins: [{ id, resource, scope }] }
//   24+H  n × u32 origin id · n × u32 body length · B bytes of Span messages, back to back
// A frame is exactly 24 + H + 8n + B bytes; anything else is refused with `ipc.frame`.
import { z } from 'zod';
import { StudioError } from '../errors';
import type { InstrumentationScope, Resource, Span } from '../model';
import { decodeSpanMessage } from '../otlp';
import { utf8Encode, utf8OfRange } from '../otlp/bytes';
import { TraceIdSchema } from './span-schema';

const MAGIC = [0x43, 0x4c, 0x54, 0x46];
const VERSION = 1;
const FIXED_BYTES = 24;
/** Largest frame either side accepts (the studio sends far smaller ones, see TRACE_FRAME_TARGET_BYTES). */
export const MAX_TRACE_FRAME_BYTES = 64 * 1024 * 1024;
/** Largest header: origins are few per trace; this bounds what a malformed frame can make us parse. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

const OriginSchema = z.object({
  id: z.number().int().nonnegative(),
  resource: z.object({ attributes: z.array(z.unknown()) }).passthrough(),
  scope: z.object({ name: z.string() }).passthrough(),
});

const HeaderSchema = z.object({
  traceId: TraceIdSchema,
  /** Index (in start order) of the frame's first span within the whole trace. */
  first: z.number().int().nonnegative(),
  /** Spans in the whole trace when the stream began. */
  total: z.number().int().nonnegative(),
  origins: z.array(OriginSchema),
});
export type TraceFrameHeader = z.infer<typeof HeaderSchema>;

export interface TraceFrameOrigin {
  readonly id: number;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}

export interface TraceFrameInput {
  readonly streamId: number;
  readonly traceId: string;
  readonly first: number;
  readonly total: number;
  readonly origins: readonly TraceFrameOrigin[];
  /** Each span's origin id and its stored Span message's length, in order. */
  readonly originIds: ArrayLike<number>;
  readonly lengths: ArrayLike<number>;
  /** The Span messages back to back. */
  readonly bodies: Uint8Array;
}

export interface TraceFrame {
  readonly streamId: number;
  readonly header: TraceFrameHeader;
  readonly originIds: Uint32Array;
  readonly lengths: Uint32Array;
  /** The Span messages back to back (a view into the frame). */
  readonly bodies: Uint8Array;
}

function refuse(message: string): StudioError {
  return new StudioError({ code: 'ipc.frame', message: `A trace frame from the studio is malformed: ${message}. Reopen the trace; if it keeps failing, the studio and page are from different versions (reload the page).` });
}

export function encodeTraceFrame(input: TraceFrameInput): Uint8Array {
  const n = input.lengths.length;
  let bodyBytes = 0;
  for (let i = 0; i < n; i++) bodyBytes += input.lengths[i]!;
  if (input.originIds.length !== n || bodyBytes !== input.bodies.length) {
    throw new StudioError({ code: 'internal', message: `trace frame: ${input.originIds.length} origin ids and ${bodyBytes} of ${input.bodies.length} body bytes for ${n} spans` });
  }
  const header = utf8Encode(JSON.stringify({ traceId: input.traceId, first: input.first, total: input.total, origins: input.origins }));
  const out = new Uint8Array(FIXED_BYTES + header.length + 8 * n + bodyBytes);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  view.setUint32(8, input.streamId, true);
  view.setUint32(12, header.length, true);
  view.setUint32(16, n, true);
  view.setUint32(20, bodyBytes, true);
  out.set(header, FIXED_BYTES);
  let at = FIXED_BYTES + header.length;
  for (let i = 0; i < n; i++, at += 4) view.setUint32(at, input.originIds[i]!, true);
  for (let i = 0; i < n; i++, at += 4) view.setUint32(at, input.lengths[i]!, true);
  out.set(input.bodies, at);
  return out;
}

/** The stream id of a frame (to route it) after checking only its fixed part; throws `ipc.frame`. */
export function traceFrameStreamId(bytes: Uint8Array): number {
  if (bytes.length < FIXED_BYTES) throw refuse(`${bytes.length} bytes is shorter than the ${FIXED_BYTES}-byte frame head`);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) throw refuse('it does not start with "CLTF"');
  if (bytes[4] !== VERSION) throw refuse(`version ${bytes[4]} (this page reads version ${VERSION})`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
}

/** Checks a frame's framing and header; throws `ipc.frame` saying what is wrong. */
export function decodeTraceFrame(bytes: Uint8Array): TraceFrame {
  const streamId = traceFrameStreamId(bytes);
  if (bytes.length > MAX_TRACE_FRAME_BYTES) throw refuse(`${bytes.length} bytes is over the ${MAX_TRACE_FRAME_BYTES}-byte limit`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint32(12, true);
  const n = view.getUint32(16, true);
  const bodyBytes = view.getUint32(20, true);
  if (headerBytes > MAX_HEADER_BYTES) throw refuse(`a ${headerBytes}-byte header (at most ${MAX_HEADER_BYTES})`);
  const expected = FIXED_BYTES + headerBytes + 8 * n + bodyBytes;
  if (expected !== bytes.length) throw refuse(`its head announces ${expected} bytes but it has ${bytes.length} (truncated or padded)`);
  let json: unknown;
  try {
    json = JSON.parse(utf8OfRange(bytes, FIXED_BYTES, FIXED_BYTES + headerBytes));
  } catch (error) {
    throw refuse(`its header is not JSON (${(error as Error).message})`);
  }
  const parsed = HeaderSchema.safeParse(json);
  if (!parsed.success) throw refuse(`its header is invalid at ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message}`);
  const tables = bytes.slice(FIXED_BYTES + headerBytes, FIXED_BYTES + headerBytes + 8 * n);
  const originIds = new Uint32Array(n);
  const lengths = new Uint32Array(n);
  const tableView = new DataView(tables.buffer);
  let sum = 0;
  const known = new Set(parsed.data.origins.map((o) => o.id));
  for (let i = 0; i < n; i++) {
    originIds[i] = tableView.getUint32(4 * i, true);
    lengths[i] = tableView.getUint32(4 * (n + i), true);
    sum += lengths[i]!;
    if (!known.has(originIds[i]!)) throw refuse(`span ${i} names origin ${originIds[i]}, which its header does not list`);
  }
  if (sum !== bodyBytes) throw refuse(`its span lengths add up to ${sum} bytes, not the ${bodyBytes} its head announces`);
  return { streamId, header: parsed.data, originIds, lengths, bodies: bytes.subarray(FIXED_BYTES + headerBytes + 8 * n) };
}

/** The frame's spans, decoded with the shared OTLP decoder; spans of one origin share its objects. */
export function spansOfTraceFrame(frame: TraceFrame): Span[] {
  const origins = new Map<number, TraceFrameOrigin>();
  for (const o of frame.header.origins) origins.set(o.id, o as unknown as TraceFrameOrigin);
  const spans: Span[] = new Array<Span>(frame.lengths.length);
  let at = 0;
  for (let i = 0; i < frame.lengths.length; i++) {
    const origin = origins.get(frame.originIds[i]!)!;
    const end = at + frame.lengths[i]!;
    const span = decodeSpanMessage(frame.bodies.subarray(at, end), origin.resource, origin.scope);
    if (span.traceId !== frame.header.traceId) throw refuse(`span ${frame.header.first + i} belongs to trace ${span.traceId}, not ${frame.header.traceId}`);
    spans[i] = span;
    at = end;
  }
  return spans;
}
