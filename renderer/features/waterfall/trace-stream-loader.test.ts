import { describe, expect, it } from 'vitest';
import type { Span } from '../../../shared/model';
import type { TraceStreamApi } from '../../../shared/ipc/trace-stream';
import { loadStreamedTrace, type StreamTarget } from './trace-stream-loader';
import type { DecodedFrame } from './trace-decoder';

// Frames here are one byte: the number of spans in it. The fake decoder turns that into spans.
const spanAt = (i: number): Span => ({ spanId: `s${i}` }) as unknown as Span;
function fakeDecoder(total: number) {
  let next = 0;
  return async (frame: Uint8Array): Promise<DecodedFrame> => {
    const first = next;
    next += frame[0]!;
    return { first, total, spans: Array.from({ length: frame[0]! }, (_, k) => spanAt(first + k)) };
  };
}
const api = (sizes: number[]): TraceStreamApi => ({
  streamTrace: async (_request, onFrame) => {
    for (const n of sizes) onFrame(Uint8Array.of(n));
    return { traceId: 't', spans: sizes.reduce((a, b) => a + b, 0), frames: sizes.length };
  },
});

function recorder(painted?: () => Promise<void>) {
  const calls: string[] = [];
  const target: StreamTarget = {
    current: () => true,
    first: (spans) => calls.push(`first ${spans.length}`),
    grow: (spans) => calls.push(`grow ${spans.length}`),
    progress: (loaded, total, done) => calls.push(`progress ${loaded}/${total}${done ? ' done' : ''}`),
    ...(painted ? { painted } : {}),
  };
  return { calls, target };
}

describe('loadStreamedTrace', () => {
  it('builds nothing past the first frame until the first rows have painted', async () => {
    let paint!: () => void;
    const painted = new Promise<void>((resolve) => (paint = resolve));
    const { calls, target } = recorder(() => painted);
    const loading = loadStreamedTrace(api([2, 2, 4]), 't', target, fakeDecoder(8));
    // Let every frame arrive and decode: only the first is shown while the paint is pending.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(calls).toEqual(['first 2', 'progress 2/8']);
    paint();
    await loading;
    expect(calls).toEqual(['first 2', 'progress 2/8', 'grow 4', 'progress 4/8', 'grow 8', 'progress 8/8', 'progress 8/8 done']);
  });

  it('does not wait when the target has no paint to wait for', async () => {
    const { calls, target } = recorder();
    await loadStreamedTrace(api([1, 1, 2]), 't', target, fakeDecoder(4));
    expect(calls).toEqual(['first 1', 'progress 1/4', 'grow 2', 'progress 2/4', 'grow 4', 'progress 4/4', 'progress 4/4 done']);
  });

  it('drops the rest of the stream once the user opened something else', async () => {
    let open = true;
    const { calls, target } = recorder(async () => void (open = false));
    await loadStreamedTrace(api([1, 1, 2]), 't', { ...target, current: () => open }, fakeDecoder(4));
    expect(calls).toEqual(['first 1', 'progress 1/4']);
  });
});
