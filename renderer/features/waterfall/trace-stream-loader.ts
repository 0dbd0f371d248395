// Opens a trace from a host that streams it (shared/ipc/trace-stream.ts): frames go to the decode
// worker as they arrive, their spans come back in start order, and the view is rebuilt when the
// loaded count has doubled — so the top of the waterfall paints from the first frame while a
// million spans cost about twice one full build in all. After the first frame the loader waits for
// that frame's rows to paint before it builds more: frames that arrive meanwhile would otherwise
// rebuild the tree before the screen ever shows the first rows.
import type { Span } from '../../../shared/model';
import type { TraceStreamApi } from '../../../shared/ipc/trace-stream';
import { decodeOffThread, type DecodedFrame } from './trace-decoder';

export interface StreamTarget {
  /** False once the user opened something else: the rest of the stream is dropped. */
  current(): boolean;
  /** The first spans (a new trace view). */
  first(spans: readonly Span[]): void;
  /** More spans: the loaded ones first, in the same order. */
  grow(spans: readonly Span[]): void;
  progress(loaded: number, total: number, done: boolean): void;
  /** Resolves once the first spans are on screen (none: the loader does not wait). */
  painted?(): Promise<void>;
}

/** `decode`: the decode worker (a test passes its own). */
export async function loadStreamedTrace(api: TraceStreamApi, traceId: string, target: StreamTarget, decode: (frame: Uint8Array) => Promise<DecodedFrame> = decodeOffThread): Promise<void> {
  const spans: Span[] = [];
  let built = 0;
  let total = 0;
  const take = (frame: DecodedFrame): Promise<void> | undefined => {
    if (!target.current()) return;
    const firstFrame = built === 0;
    if (firstFrame) performance.mark('trace:first-decoded');
    for (const span of frame.spans) spans.push(span);
    total = Math.max(frame.total, spans.length);
    // The tree holds the array it was built from: give it a copy, this one keeps growing.
    if (built === 0) target.first(spans.slice());
    else if (spans.length >= built * 2) target.grow(spans.slice());
    if (built === 0 || spans.length >= built * 2) built = spans.length;
    target.progress(spans.length, total, false);
    return firstFrame ? target.painted?.() : undefined;
  };
  // Decoded frames are taken strictly in arrival order (the worker answers in order too).
  let chain: Promise<void> = Promise.resolve();
  let frames = 0;
  await api.streamTrace({ traceId }, (frame) => {
    // Where the time to first rows goes (bench:ui reads these marks).
    if (frames++ === 0) performance.mark('trace:first-frame');
    const decoded = decode(frame);
    chain = chain.then(() => decoded).then(take);
    // Handled here so a failure waits for the awaited chain below instead of reporting as unhandled.
    chain.catch(() => undefined);
  });
  await chain;
  if (!target.current()) return;
  if (built !== spans.length) target.grow(spans);
  performance.mark('trace:all-loaded');
  target.progress(spans.length, spans.length, true);
}
