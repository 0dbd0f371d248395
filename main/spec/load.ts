// Reads and parses a test file from disk. Bytes are checked before parsing: a file that is too big or
// not UTF-8 gets an `io.read` problem naming the byte offset, never a crash or mojibake. Parsing (which
// renders the file's templates) runs in the parse thread, with a deadline (parse-thread.ts).
import { readFile } from 'node:fs/promises';
import type { Problem } from '../../shared/errors';
import type { ParseResult } from '../../shared/spec';
import { parseInThread } from './parse-thread';

export const MAX_TEST_FILE_BYTES = 4 * 1024 * 1024;

export interface LoadedTestFile extends ParseResult {
  path: string;
  /** The file's text ('' when it could not be read). */
  source: string;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong 3/4-byte forms, surrogates and code points above U+10FFFF.
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += need + 1;
  }
  return -1;
}

export async function loadTestFile(path: string, env: Record<string, string | undefined> = process.env): Promise<LoadedTestFile> {
  const fail = (p: Problem): LoadedTestFile => ({ path, source: '', tests: [], errors: [p], warnings: [] });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return fail({ code: 'io.read', message: `cannot read the file (${code})`, file: path });
  }
  if (bytes.length > MAX_TEST_FILE_BYTES) {
    return fail({ code: 'io.read', message: `the file is ${bytes.length} bytes, more than the ${MAX_TEST_FILE_BYTES} a test file may have`, file: path });
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const before = bytes.subarray(0, bad).toString('utf8');
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return fail({
      code: 'io.read',
      message: `the file is not UTF-8: invalid byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at byte offset ${bad}; save it as UTF-8`,
      file: path,
      line,
      column,
      details: { byteOffset: bad },
    });
  }
  // A UTF-8 byte order mark is allowed and dropped.
  const source = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return { path, source, ...(await parseInThread(source, { file: path, env })) };
}
