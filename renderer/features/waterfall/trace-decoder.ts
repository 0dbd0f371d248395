// The page's side of the decode worker (./trace-decode.worker.ts): one worker for the page, started
// on first use; frames are transferred to it (no copy) and their spans come back in order.
import { StudioError, type Problem } from '../../../shared/errors';
import type { Span } from '../../../shared/model';

export interface DecodeRequest {
  token: number;
  frame: ArrayBuffer;
}
export type DecodeReply = { token: number; ok: true; first: number; total: number; spans: Span[] } | { token: number; ok: false; problem: Problem };
export interface DecodedFrame {
  /** Index of the first span within the trace, and the trace's span count. */
  first: number;
  total: number;
  spans: Span[];
}

let worker: Worker | undefined;
let nextToken = 1;
const waiting = new Map<number, { resolve: (d: DecodedFrame) => void; reject: (e: Error) => void }>();

function decoder(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./trace-decode.worker.ts', import.meta.url), { type: 'module', name: 'trace-decoder' });
  w.onmessage = (ev: MessageEvent<DecodeReply>) => {
    const reply = ev.data;
    const entry = waiting.get(reply.token);
    waiting.delete(reply.token);
    if (!entry) return;
    if (reply.ok) entry.resolve(reply);
    else entry.reject(new StudioError(reply.problem));
  };
  w.onerror = (ev) => {
    // The worker itself failed (it could not load): every waiting frame fails, and the next use starts a new one.
    const error = new StudioError({ code: 'internal', message: `The trace decoder stopped: ${ev.message || 'it could not start'}. Reopen the trace.` });
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
    worker = undefined;
    w.terminate();
  };
  worker = w;
  return w;
}

/** Starts the worker now (if it is not running): the page does at start, so its script has loaded by the first click on a trace. */
export function warmDecoder(): void {
  decoder();
}

/** Decodes one frame in the worker; `frame`'s bytes move there (it is unusable here afterwards). */
export function decodeOffThread(frame: Uint8Array): Promise<DecodedFrame> {
  // Transfer needs a buffer of exactly the frame; a view into a larger buffer is copied out first.
  const buffer = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength ? (frame.buffer as ArrayBuffer) : (frame.slice().buffer as ArrayBuffer);
  const token = nextToken++;
  return new Promise((resolve, reject) => {
    waiting.set(token, { resolve, reject });
    decoder().postMessage({ token, frame: buffer } satisfies DecodeRequest, [buffer]);
  });
}
