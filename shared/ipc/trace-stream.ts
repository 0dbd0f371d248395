// The streamed form of getTrace: the studio sends a stored trace as binary frames (./trace-frame.ts)
// in start-time order, then one checked answer saying how many spans and frames it sent. Browser mode
// carries it over the WebSocket (main/studio/server/ws-endpoint.ts), the desktop shell over its own
// IPC channel (main/app/ipc.ts). Kept out of ./contract.ts: its answer is not one JSON value.
import { z } from 'zod';
import { TraceIdSchema } from './span-schema';

export const TraceStreamRequestSchema = z.object({ traceId: TraceIdSchema });
export type TraceStreamRequest = z.infer<typeof TraceStreamRequestSchema>;

export const TraceStreamDoneSchema = z.object({
  traceId: TraceIdSchema,
  /** Spans sent, over all frames. */
  spans: z.number().int().nonnegative(),
  frames: z.number().int().nonnegative(),
});
export type TraceStreamDone = z.infer<typeof TraceStreamDoneSchema>;

/** Hosts that can stream traces add this to `window.api`; the UI falls back to getTrace without it. */
export interface TraceStreamApi {
  /** Sends each frame to `onFrame` as it arrives (the bytes are the caller's); resolves when all were sent. */
  streamTrace(request: TraceStreamRequest, onFrame: (frame: Uint8Array) => void): Promise<TraceStreamDone>;
}

/** The page → studio message that asks for a stream over the WebSocket (frames carry `id` as their stream id). */
export interface TraceStreamMessage {
  id: number;
  stream: 'trace';
  request: TraceStreamRequest;
}
