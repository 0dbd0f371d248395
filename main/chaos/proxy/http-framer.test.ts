import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RequestFramer, type HttpSegment } from './http-framer';

const GET = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n';
const POST = 'POST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
const CHUNKED = 'POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nTrailer: t\r\n\r\n';
const CLOSE = 'GET /d HTTP/1.0\r\n\r\n';
const STREAM = GET + POST + CHUNKED + CLOSE;

function feed(pieces: Buffer[]): HttpSegment[] {
  const framer = new RequestFramer();
  return pieces.flatMap((p) => framer.push(p));
}

const heads = (segments: HttpSegment[]) => segments.flatMap((s) => (s.kind === 'head' ? [s.request] : []));
/** Requests completed, from the `complete` flags. */
const completions = (segments: HttpSegment[]) => segments.filter((s) => s.kind !== 'opaque' && s.complete).length;

describe('RequestFramer', () => {
  it('finds every request of a keep-alive stream: plain, Content-Length, chunked with trailer, HTTP/1.0', () => {
    const segments = feed([Buffer.from(STREAM)]);
    expect(heads(segments)).toEqual([
      { method: 'GET', path: '/a', closes: false },
      { method: 'POST', path: '/b?q=1', closes: false },
      { method: 'POST', path: '/c', closes: false },
      { method: 'GET', path: '/d', closes: true },
    ]);
    expect(completions(segments)).toBe(4);
    expect(Buffer.concat(segments.map((s) => s.data)).toString()).toBe(STREAM);
  });

  it('gives the same requests and bytes however the stream is cut', () => {
    const bytes = Buffer.from(STREAM);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const segments = feed(points.slice(1).map((end, i) => bytes.subarray(points[i], end)));
        expect(heads(segments).map((h) => h.path)).toEqual(['/a', '/b?q=1', '/c', '/d']);
        expect(completions(segments)).toBe(4);
        expect(Buffer.concat(segments.map((s) => s.data)).equals(bytes)).toBe(true);
      }),
    );
  });

  it('passes what is not HTTP through untouched', () => {
    const segments = feed([Buffer.from('\x16\x03\x01 binary TLS hello\r\n\r\nmore')]);
    expect(segments.every((s) => s.kind === 'opaque')).toBe(true);
  });

  it('turns opaque after an upgrade (the WebSocket frames are not requests)', () => {
    const segments = feed([Buffer.from('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello')]);
    expect(segments.map((s) => s.kind)).toEqual(['head', 'opaque']);
  });

  it('gives the path of an absolute-form target', () => {
    expect(heads(feed([Buffer.from('GET http://api:8080/v1/x HTTP/1.1\r\n\r\n')]))[0]!.path).toBe('/v1/x');
  });

  it('holds an unfinished head and hands it back for re-feeding', () => {
    const framer = new RequestFramer();
    expect(framer.push(Buffer.from('GET /a HT'))).toEqual([]);
    expect(framer.takePendingHead().toString()).toBe('GET /a HT');
    expect(heads(framer.push(Buffer.from(GET)))[0]!.path).toBe('/a');
  });
});
