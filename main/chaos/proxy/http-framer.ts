// Just enough HTTP/1.1 to find request boundaries in a client → server byte stream: request heads,
// then bodies by Content-Length or chunked encoding, request after request on a keep-alive
// connection. Anything it cannot follow (not HTTP, an oversized head, an upgrade or CONNECT tunnel)
// turns the rest of the connection opaque: passed through untouched. Incremental: bytes arrive in
// any pieces (slicer upstream, small TCP reads).

export interface RequestHead {
  readonly method: string;
  /** The request target's path and query (`/api/users?id=1`); absolute-form targets give their path. */
  readonly path: string;
  /** The client asked to close after this request (`Connection: close`, HTTP/1.0 without keep-alive). */
  readonly closes: boolean;
}

export type HttpSegment =
  | { readonly kind: 'head'; readonly data: Buffer; readonly request: RequestHead; readonly complete: boolean }
  | { readonly kind: 'body'; readonly data: Buffer; readonly complete: boolean }
  | { readonly kind: 'opaque'; readonly data: Buffer };

/** Larger heads are not parsed (Node's own limit is 16 KiB). */
export const MAX_HEAD_BYTES = 64 * 1024;

type Mode = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'trailer' | 'opaque';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/(\d)\.(\d)$/;

export class RequestFramer {
  private mode: Mode = 'head';
  /** Bytes of an unfinished head or chunk-size/trailer line. */
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;

  /**
   * The start of a head held back waiting for its end, taken out so it can be fed again (a toxic
   * interrupted mid-head hands it back to its input). Empty elsewhere: other bytes are already passed on.
   */
  takePendingHead(): Buffer {
    if (this.mode !== 'head') return Buffer.alloc(0);
    const out = this.pending;
    this.pending = Buffer.alloc(0);
    return out;
  }

  push(data: Buffer): HttpSegment[] {
    const out: HttpSegment[] = [];
    let rest = data;
    while (rest.length > 0) rest = this.step(rest, out);
    return out;
  }

  /** Consumes a prefix of `data`, appending segments; returns what is left. */
  private step(data: Buffer, out: HttpSegment[]): Buffer {
    switch (this.mode) {
      case 'opaque':
        out.push({ kind: 'opaque', data });
        return Buffer.alloc(0);
      case 'head':
        return this.head(data, out);
      case 'length':
      case 'chunk-data': {
        const take = Math.min(this.remaining, data.length);
        this.remaining -= take;
        const done = this.remaining === 0;
        if (done) this.mode = this.mode === 'length' ? 'head' : 'chunk-size';
        out.push({ kind: 'body', data: data.subarray(0, take), complete: done && this.mode === 'head' });
        return data.subarray(take);
      }
      case 'chunk-size':
      case 'trailer':
        return this.line(data, out);
    }
  }

  private head(data: Buffer, out: HttpSegment[]): Buffer {
    const joined = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    const end = joined.indexOf(CRLFCRLF);
    if (end < 0) {
      if (joined.length > MAX_HEAD_BYTES) return this.opaque(joined, out);
      this.pending = joined;
      return Buffer.alloc(0);
    }
    this.pending = Buffer.alloc(0);
    const headBytes = joined.subarray(0, end + 4);
    const parsed = parseHead(headBytes.toString('latin1', 0, end));
    if (!parsed) return this.opaque(joined, out);
    const { request, length, chunked, tunnel } = parsed;
    if (tunnel) {
      out.push({ kind: 'head', data: headBytes, request, complete: true });
      this.mode = 'opaque';
    } else if (chunked) {
      this.mode = 'chunk-size';
      out.push({ kind: 'head', data: headBytes, request, complete: false });
    } else {
      this.remaining = length;
      this.mode = length > 0 ? 'length' : 'head';
      out.push({ kind: 'head', data: headBytes, request, complete: length === 0 });
    }
    return joined.subarray(end + 4);
  }

  /** A chunk-size line or a trailer line; both are body bytes. */
  private line(data: Buffer, out: HttpSegment[]): Buffer {
    const nl = data.indexOf(0x0a);
    if (nl < 0) {
      this.pending = Buffer.concat([this.pending, data]);
      out.push({ kind: 'body', data, complete: false });
      return this.pending.length > MAX_HEAD_BYTES ? this.opaque(Buffer.alloc(0), out) : Buffer.alloc(0);
    }
    const text = Buffer.concat([this.pending, data.subarray(0, nl)]).toString('latin1').replace(/\r$/, '');
    this.pending = Buffer.alloc(0);
    let complete = false;
    if (this.mode === 'trailer') {
      complete = text === '';
      if (complete) this.mode = 'head';
    } else {
      const size = Number.parseInt(text.split(';')[0]!.trim(), 16);
      if (!Number.isFinite(size) || size < 0) return this.opaque(data, out);
      if (size === 0) this.mode = 'trailer';
      else {
        this.mode = 'chunk-data';
        this.remaining = size + 2; // the chunk and its CRLF
      }
    }
    out.push({ kind: 'body', data: data.subarray(0, nl + 1), complete });
    return data.subarray(nl + 1);
  }

  private opaque(data: Buffer, out: HttpSegment[]): Buffer {
    this.mode = 'opaque';
    this.pending = Buffer.alloc(0);
    if (data.length > 0) out.push({ kind: 'opaque', data });
    return Buffer.alloc(0);
  }
}

interface ParsedHead {
  request: RequestHead;
  length: number;
  chunked: boolean;
  tunnel: boolean;
}

function parseHead(text: string): ParsedHead | undefined {
  const lines = text.split('\r\n');
  const match = REQUEST_LINE.exec(lines[0] ?? '');
  if (!match) return undefined;
  const [, method, target, major, minor] = match as unknown as [string, string, string, string, string];
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  const chunked = /(^|,)\s*chunked\s*$/i.test(headers.get('transfer-encoding') ?? '');
  const lengthText = headers.get('content-length');
  if (!chunked && lengthText !== undefined && !/^\d+$/.test(lengthText)) return undefined;
  const connection = (headers.get('connection') ?? '').toLowerCase();
  const http10 = major === '1' && minor === '0';
  return {
    request: {
      method,
      path: target.startsWith('/') ? target : (/^https?:\/\/[^/]*(\/.*)?$/i.exec(target)?.[1] ?? '/'),
      closes: connection.includes('close') || (http10 && !connection.includes('keep-alive')),
    },
    length: chunked ? 0 : Number(lengthText ?? 0),
    chunked,
    tunnel: method === 'CONNECT' || headers.has('upgrade'),
  };
}
