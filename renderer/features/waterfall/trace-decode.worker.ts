// The trace decode worker: turns binary trace frames (shared/ipc/trace-frame.ts) into spans with the
// shared OTLP decoder, off the page's main thread. Frames arrive transferred; each answer says where
// its spans sit in the trace, or why the frame was refused (a Problem, never a throw).
import { toProblem } from '../../../shared/errors';
import { decodeTraceFrame, spansOfTraceFrame } from '../../../shared/ipc/trace-frame';
import type { DecodeReply, DecodeRequest } from './trace-decoder';

const scope = self as unknown as { onmessage: ((ev: MessageEvent<DecodeRequest>) => void) | null; postMessage(message: DecodeReply): void };

scope.onmessage = (ev) => {
  const { token, frame } = ev.data;
  try {
    const decoded = decodeTraceFrame(new Uint8Array(frame));
    scope.postMessage({ token, ok: true, first: decoded.header.first, total: decoded.header.total, spans: spansOfTraceFrame(decoded) });
  } catch (error) {
    scope.postMessage({ token, ok: false, problem: toProblem(error) });
  }
};
