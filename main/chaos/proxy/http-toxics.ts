// Our HTTP-aware toxics (beyond Toxiproxy, whose users asked for them): they follow requests on the
// client → server stream with the RequestFramer and decide per request (path_prefix, probability).
// http_status answers in the server's place and swallows the request; http_abort resets the
// connection; http_delay holds the request before it goes on. They assume no pipelining (a client
// that sends request 2 before response 1 may see a synthetic answer overtake a real one).
import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ToxicAttributes, ToxicType } from '../../../shared/chaos/toxics';
import { RequestFramer, type HttpSegment, type RequestHead } from './http-framer';
import { isEnd, sleep, type Chunk, type Stub } from './stub';
import type { ToxicLoop } from './stream-toxics';

interface HttpState {
  framer?: RequestFramer;
  /** The request now passing is being swallowed (http_status). */
  swallowing?: boolean;
}

/** The answer http_status sends; says which fault made it, so a trace or a log can tell. */
export function syntheticResponse(code: number, closes: boolean): Buffer {
  const reason = STATUS_CODES[code] ?? 'Fault';
  const body = `${code} ${reason} (injected by the cleanroom fault proxy)\n`;
  return Buffer.from(
    `HTTP/1.1 ${code} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-cleanroom-fault: http_status\r\nconnection: ${closes ? 'close' : 'keep-alive'}\r\n\r\n${body}`,
  );
}

function matches(request: RequestHead, a: ToxicAttributes): boolean {
  const prefix = a.path_prefix as string;
  if (prefix && !request.path.startsWith(prefix)) return false;
  const probability = (a.probability as number | undefined) ?? 1;
  return probability >= 1 || Math.random() < probability;
}

type Verdict = 'continue' | 'interrupted' | 'ended';

/** What one toxic does with one segment of a request stream. */
async function handle(type: ToxicType, segment: HttpSegment, chunk: Chunk, stub: Stub, a: ToxicAttributes, state: HttpState): Promise<Verdict> {
  const pass = () => stub.output.push({ data: segment.data, at: chunk.at });
  if (segment.kind !== 'head') {
    if (segment.kind === 'body' && state.swallowing) {
      stub.drop({ data: segment.data, at: chunk.at });
      if (segment.complete) state.swallowing = false;
    } else pass();
    return 'continue';
  }
  if (!matches(segment.request, a)) return (pass(), 'continue');
  switch (type) {
    case 'http_abort':
      stub.drop({ data: segment.data, at: chunk.at });
      stub.reset();
      return 'ended';
    case 'http_status':
      stub.drop({ data: segment.data, at: chunk.at });
      state.swallowing = !segment.complete;
      stub.respond(syntheticResponse(a.code as number, segment.request.closes), segment.request.closes);
      return segment.request.closes ? 'ended' : 'continue';
    default:
      if (!(await sleep(a.latency as number, stub.signal))) return (pass(), 'interrupted');
      pass();
      return 'continue';
  }
}

export function httpToxic(type: ToxicType): ToxicLoop {
  return async (stub, attributes) => {
    const state = stub.state as HttpState;
    const framer = (state.framer ??= new RequestFramer());
    for (;;) {
      const item = await stub.input.take(stub.signal);
      if (!item) return handBack(stub, framer);
      if (isEnd(item)) return (stub.output.push(item), 'ended');
      const segments = framer.push(item.data);
      for (let i = 0; i < segments.length; i++) {
        const verdict = await handle(type, segments[i]!, item, stub, attributes, state);
        if (verdict === 'continue') continue;
        // Interrupted mid-chunk: what follows passes untouched (the framer has already read it).
        if (verdict === 'interrupted') for (const rest of segments.slice(i + 1)) stub.output.push({ data: rest.data, at: item.at });
        if (verdict === 'ended') for (const rest of segments.slice(i + 1)) stub.drop({ data: rest.data, at: item.at });
        return verdict === 'ended' ? 'ended' : handBack(stub, framer);
      }
    }
  };
}

/** Interrupted: an unfinished head goes back to the input, to be read again or passed on. */
function handBack(stub: Stub, framer: RequestFramer): 'interrupted' {
  const held = framer.takePendingHead();
  if (held.length > 0) stub.input.unshift({ data: held, at: performance.now() });
  return 'interrupted';
}
