// The IPC contract over one WebSocket per page. The wire format is JSON text frames:
//   page → studio   { "id": 7, "call": "listTraces", "request": { … } }
//   studio → page   { "id": 7, "reply": { "ok": true, "value": … } | { "ok": false, "error": { code, message, details } } }
//                   { "event": "spansAdded", "payload": { … } }
// a call with bytes (an upload's chunk) as one binary frame (shared/ipc/bytes-call.ts):
//   page → studio   "CLBC" · header length · { "id": 9, "call": "importUploadChunk", "request": { … } } · the bytes
// and one streamed call, getTrace as bytes (shared/ipc/trace-stream.ts):
//   page → studio   { "id": 8, "stream": "trace", "request": { "traceId": … } }
//   studio → page   binary frames whose stream id is 8, then { "id": 8, "reply": { "ok": true, "value": { traceId, spans, frames } } }
// Only contract calls run (handleCall checks the name and the request); anything else is answered
// with an `ipc.invalid` error. Events wait for the socket's send buffer to drain (backpressure).
import type { WebSocket } from 'ws';
import type { EventName, StudioHandlers } from '../../../shared/ipc/contract';
import { handleCall, toIpcError, type IpcReply } from '../../../shared/ipc/validate';
import { TraceStreamRequestSchema } from '../../../shared/ipc/trace-stream';
import { decodeBytesCall } from '../../../shared/ipc/bytes-call';
import type { EventClient, EventHub } from '../events';
import type { TraceStreamer } from '../trace-stream';

/** Largest message a page may send (importFiles carries whole trace files as text). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Calls one page may have running at once; more are refused rather than queued without bound. */
const MAX_IN_FLIGHT = 32;
/** Events are held back while this much is waiting in the socket's send buffer. */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;
/** Longest wait for a slow page to drain before an event is sent anyway (it then buffers in ws). */
const DRAIN_TIMEOUT_MS = 5000;

function invalid(message: string): IpcReply<never> {
  return { ok: false, error: { code: 'ipc.invalid', message } };
}

type Message = { id: number; call: string; request: unknown } | { id: number; stream: 'trace'; request: unknown };

function parseMessage(data: Buffer, isBinary: boolean): Message | { id: number | null; error: string } {
  if (isBinary) return decodeBytesCall(data);
  let message: unknown;
  try {
    message = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return { id: null, error: `message is not JSON: ${(error as Error).message}` };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { id: null, error: 'message must be an object { id, call, request }' };
  const m = message as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
  if (id === null) return { id: null, error: 'message needs a whole-number "id"' };
  if (m.stream !== undefined) return m.stream === 'trace' ? { id, stream: 'trace', request: m.request } : { id, error: 'the only stream is "trace"' };
  if (typeof m.call !== 'string') return { id, error: 'message needs a "call" name' };
  return { id, call: m.call, request: m.request };
}

/** Resolves once the socket's buffer is below the high-water mark (or it closed, or the wait timed out). */
function drained(socket: WebSocket): Promise<void> {
  if (socket.bufferedAmount < HIGH_WATER_BYTES || socket.readyState !== socket.OPEN) return Promise.resolve();
  return new Promise((resolve) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (socket.bufferedAmount < HIGH_WATER_BYTES || socket.readyState !== socket.OPEN || Date.now() - started > DRAIN_TIMEOUT_MS) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
}

/** Streams one trace as binary frames (after a backpressure wait each), then answers like a call. */
async function answerStream(socket: WebSocket, request: unknown, id: number, streamer: TraceStreamer | undefined): Promise<IpcReply<unknown>> {
  if (!streamer) return invalid('this studio does not stream traces; use getTrace');
  const checked = TraceStreamRequestSchema.safeParse(request);
  if (!checked.success) return invalid(`trace stream request is invalid: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
  const sendFrame = async (frame: Uint8Array): Promise<void> => {
    await drained(socket);
    if (socket.readyState !== socket.OPEN) throw new Error('the page closed the connection');
    socket.send(frame, { binary: true });
  };
  try {
    return { ok: true, value: await streamer(checked.data, id, sendFrame) };
  } catch (error) {
    return { ok: false, error: toIpcError(error) };
  }
}

/** Serves one page's socket until it closes. */
export function serveSocket(socket: WebSocket, handlers: StudioHandlers, hub: EventHub, onError: (error: unknown) => void, traceStream?: TraceStreamer): void {
  let inFlight = 0;
  const send = (message: unknown): Promise<void> =>
    new Promise((resolve) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(JSON.stringify(message), (error) => {
        if (error) onError(error);
        resolve();
      });
    });

  const client: EventClient = {
    async send(event: EventName, payload: unknown) {
      await drained(socket);
      // Not awaiting the write itself: a frame is queued; the drain above is the backpressure.
      void send({ event, payload });
    },
  };
  const disconnect = hub.connect(client);

  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const parsed = parseMessage(data, isBinary);
    if ('error' in parsed) {
      void send({ id: parsed.id, reply: invalid(parsed.error) });
      return;
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      void send({ id: parsed.id, reply: { ok: false, error: { code: 'ipc.unavailable', message: `more than ${MAX_IN_FLIGHT} calls at once; wait for answers before sending more` } } });
      return;
    }
    inFlight++;
    ('stream' in parsed ? answerStream(socket, parsed.request, parsed.id, traceStream) : handleCall(handlers, parsed.call, parsed.request))
      .then((reply) => send({ id: parsed.id, reply }))
      .catch(onError)
      .finally(() => inFlight--);
  });
  socket.on('close', disconnect);
  socket.on('error', (error) => {
    onError(error);
    disconnect();
  });
}
