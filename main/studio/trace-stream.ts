// Streams a stored trace to the UI as binary frames (shared/ipc/trace-frame.ts): runs of spans in
// start-time order, the first small so the top of the waterfall paints at once, later ones larger
// so a million spans cost few round trips. No span object is built on the way: the stored Span
// messages go out as they are. `send` waits while the page is behind (backpressure).
import { StudioError } from '../../shared/errors';
import type { InstrumentationScope, Resource } from '../../shared/model';
import { encodeTraceFrame, type TraceFrameOrigin } from '../../shared/ipc/trace-frame';
import type { TraceStreamDone, TraceStreamRequest } from '../../shared/ipc/trace-stream';
import type { TraceChunkCursor, TraceStore } from '../store';

/** Spans in the first frame (a screenful and more), then each frame doubles up to LAST_RUN. */
export const FIRST_RUN = 200;
export const LAST_RUN = 50_000;

export type FrameSink = (frame: Uint8Array) => Promise<void>;
export type TraceStreamer = (request: TraceStreamRequest, streamId: number, send: FrameSink) => Promise<TraceStreamDone>;

export async function streamTrace(store: TraceStore, { traceId }: TraceStreamRequest, streamId: number, send: FrameSink): Promise<TraceStreamDone> {
  const origins = new Map<number, TraceFrameOrigin>();
  let after: TraceChunkCursor | null = null;
  let total = 0;
  let sent = 0;
  let frames = 0;
  for (let run = FIRST_RUN; ; run = Math.min(LAST_RUN, run * 2)) {
    const chunk = await store.traceChunk(traceId, after, run);
    if (chunk.total !== null) total = chunk.total;
    if (frames === 0 && chunk.lengths.length === 0) {
      throw new StudioError({ code: 'trace.not-found', message: `No trace ${traceId} in the store (it may have been cleared or pruned); refresh the list.`, details: { traceId } });
    }
    for (const o of chunk.origins) {
      if (!origins.has(o.id)) origins.set(o.id, { id: o.id, resource: JSON.parse(o.resource) as Resource, scope: JSON.parse(o.scope) as InstrumentationScope });
    }
    const used = chunk.origins.map((o) => origins.get(o.id)!);
    await send(encodeTraceFrame({ streamId, traceId, first: sent, total, origins: used, originIds: chunk.originIds, lengths: chunk.lengths, bodies: chunk.bodies }));
    sent += chunk.lengths.length;
    frames++;
    if (chunk.lengths.length < run || chunk.last === null) break;
    after = chunk.last;
  }
  return { traceId, spans: sent, frames };
}
