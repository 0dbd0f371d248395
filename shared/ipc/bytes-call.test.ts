// Binary calls: the bytes come back exactly (any byte values, a view with an offset), the rest of the
// request as JSON; anything else is refused with a reason and, when it can be read, the call's id.
import { describe, expect, it } from 'vitest';
import { decodeBytesCall, encodeBytesCall, hasBytes } from './bytes-call';

describe('binary calls', () => {
  it('carries the request and its bytes exactly, from a view with an offset', () => {
    const backing = Uint8Array.from({ length: 300 }, (_, k) => (k * 7) % 256);
    const bytes = backing.subarray(10, 290);
    const message = encodeBytesCall(41, 'importUploadChunk', { uploadId: 'f'.repeat(32), seq: 3, bytes });
    const inBuffer = new Uint8Array(message.length + 5);
    inBuffer.set(message, 5);
    const decoded = decodeBytesCall(inBuffer.subarray(5));
    expect(decoded).toEqual({ id: 41, call: 'importUploadChunk', request: { uploadId: 'f'.repeat(32), seq: 3, bytes: expect.any(Uint8Array) } });
    if (!('call' in decoded)) throw new Error('not decoded');
    expect([...decoded.request.bytes]).toEqual([...bytes]);
    expect(hasBytes(decoded.request)).toBe(true);
    expect(hasBytes({ text: 'x' })).toBe(false);
  });

  it('refuses what is not a binary call, naming the id when it is readable', () => {
    const good = encodeBytesCall(7, 'importUploadChunk', { seq: 0, bytes: new Uint8Array([1, 2]) });
    expect(decodeBytesCall(new Uint8Array([1, 2, 3]))).toMatchObject({ id: null, error: expect.stringContaining('CLBC') });
    const tooLong = good.slice();
    new DataView(tooLong.buffer).setUint32(4, 1_000_000);
    expect(decodeBytesCall(tooLong)).toMatchObject({ id: null, error: expect.stringContaining('does not fit') });
    const notJson = good.slice();
    notJson[8] = 0x7b + 1;
    expect(decodeBytesCall(notJson)).toMatchObject({ id: null, error: expect.stringContaining('not JSON') });
    const noCall = encodeBytesCall(9, 'x', { bytes: new Uint8Array() });
    const header = new TextEncoder().encode(JSON.stringify({ id: 9, request: {} }));
    const rebuilt = new Uint8Array(8 + header.length);
    rebuilt.set(noCall.subarray(0, 4));
    new DataView(rebuilt.buffer).setUint32(4, header.length);
    rebuilt.set(header, 8);
    expect(decodeBytesCall(rebuilt)).toEqual({ id: 9, error: 'a binary call needs a "call" name' });
  });
});
