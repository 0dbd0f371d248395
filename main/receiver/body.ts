// Reads a request body with a size cap, inflating gzip as a stream so a small compressed bomb is
// stopped at the cap instead of filling memory.
import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';

export class BodyError extends Error {
  constructor(
    readonly status: 413 | 400 | 415,
    message: string,
  ) {
    super(message);
  }
}

export type ContentEncoding = 'identity' | 'gzip';

export function parseContentEncoding(header: string | undefined): ContentEncoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  return undefined;
}

export function readBody(req: IncomingMessage, encoding: ContentEncoding, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (error: BodyError): void => {
      if (done) return;
      done = true;
      req.unpipe();
      reject(error);
    };
    const tooLarge = (): BodyError =>
      new BodyError(413, `The request body is larger than the receiver's limit of ${maxBytes} bytes (after decompression). Send smaller batches or raise --max-body.`);
    const source = encoding === 'gzip' ? req.pipe(createGunzip()) : req;
    if (encoding === 'gzip') {
      let raw = 0;
      req.on('data', (chunk: Buffer) => {
        raw += chunk.length;
        if (raw > maxBytes) fail(tooLarge());
      });
      source.on('error', (e) => fail(new BodyError(400, `The gzip body could not be inflated: ${e.message}.`)));
    }
    source.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        fail(tooLarge());
        if (encoding === 'gzip') (source as ReturnType<typeof createGunzip>).destroy();
        return;
      }
      chunks.push(chunk);
    });
    source.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('aborted', () => fail(new BodyError(400, 'The client aborted the request body.')));
    req.on('error', (e) => fail(new BodyError(400, `The request body could not be read: ${e.message}.`)));
  });
}
