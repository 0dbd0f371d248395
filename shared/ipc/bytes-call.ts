// A call whose request carries raw bytes (a `bytes` Uint8Array: an upload's chunk of a trace file)
// crosses the browser's WebSocket as one binary message rather than JSON text, so the bytes are
// neither decoded, escaped nor parsed on the way. Electron's IPC carries the Uint8Array as it is.
//
// Layout: "CLBC" magic · u32 (big-endian) header bytes H · H bytes of UTF-8 JSON
// { id, call, request } (the request without `bytes`) · the bytes, to the end of the message.
import { utf8Encode, utf8OfRange } from '../otlp/bytes';

const MAGIC = [0x43, 0x4c, 0x42, 0x43];
const FIXED_BYTES = 8;
/** Largest header accepted: the rest of such a request is a few ids and numbers. */
const MAX_HEADER_BYTES = 64 * 1024;

export type BytesRequest = Record<string, unknown> & { bytes: Uint8Array };

export function hasBytes(request: unknown): request is BytesRequest {
  return typeof request === 'object' && request !== null && (request as { bytes?: unknown }).bytes instanceof Uint8Array;
}

export function encodeBytesCall(id: number, call: string, request: BytesRequest): Uint8Array {
  const { bytes, ...rest } = request;
  const header = utf8Encode(JSON.stringify({ id, call, request: rest }));
  const out = new Uint8Array(FIXED_BYTES + header.length + bytes.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.length);
  out.set(header, FIXED_BYTES);
  out.set(bytes, FIXED_BYTES + header.length);
  return out;
}

export type DecodedBytesCall = { id: number; call: string; request: BytesRequest } | { id: number | null; error: string };

/** The call in a binary message, its bytes a view into `message` (no copy); or why it is not one. */
export function decodeBytesCall(message: Uint8Array): DecodedBytesCall {
  if (message.length < FIXED_BYTES || MAGIC.some((b, k) => message[k] !== b)) return { id: null, error: 'a binary message must be a call with bytes ("CLBC")' };
  const headerBytes = new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(4);
  if (headerBytes > MAX_HEADER_BYTES || FIXED_BYTES + headerBytes > message.length) return { id: null, error: `a binary call's header of ${headerBytes} bytes does not fit` };
  let header: unknown;
  try {
    header = JSON.parse(utf8OfRange(message, FIXED_BYTES, FIXED_BYTES + headerBytes));
  } catch (error) {
    return { id: null, error: `a binary call's header is not JSON: ${(error as Error).message}` };
  }
  const h = (typeof header === 'object' && header !== null ? header : {}) as Record<string, unknown>;
  const id = typeof h.id === 'number' && Number.isSafeInteger(h.id) ? h.id : null;
  if (id === null) return { id: null, error: 'a binary call needs a whole-number "id"' };
  if (typeof h.call !== 'string') return { id, error: 'a binary call needs a "call" name' };
  if (typeof h.request !== 'object' || h.request === null || Array.isArray(h.request)) return { id, error: 'a binary call needs a "request" object' };
  return { id, call: h.call, request: { ...(h.request as Record<string, unknown>), bytes: message.subarray(FIXED_BYTES + headerBytes) } };
}
