// Importing a trace file from disk: large files (OTLP JSON, one request or JSON Lines, and clnrm
// NDJSON) are read in 1 MiB chunks into a streamed import (./import-run.ts), so memory holds a
// chunk and a batch rather than the file, its text and its parse tree. Small files, and formats
// without a streaming reader (Jaeger JSON), are read whole.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StudioError } from '../../shared/errors';
import { importSmallFile, type ImportResult } from './import-export';
import { StreamedImport, type ImportProgress } from './import-run';
import type { TraceStore } from './trace-store';

export type { ImportProgress } from './import-run';

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Files at least this large are streamed (tests lower it). */
  streamFromBytes?: number;
  /** Names the file in results, problems and progress instead of `path`. */
  label?: string;
  /** Most text kept between the two passes over one OTLP request (tests lower it). */
  maxKeptChars?: number;
}

/** Below this a file is read whole: one parse is faster than two passes, and memory is no concern. */
export const STREAM_FROM_BYTES = 8 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export async function importFile(store: TraceStore, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const label = options.label ?? path;
  const size = await fileSize(path, label);
  if (size < (options.streamFromBytes ?? STREAM_FROM_BYTES)) return importSmallFile(store, path, label);
  const run = new StreamedImport(store, { path, label, totalBytes: size, onProgress: options.onProgress, maxKeptChars: options.maxKeptChars });
  const input = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) await run.push(chunk);
  } catch (error) {
    throw new StudioError({ code: 'io.read', message: `Cannot read ${label}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, file: label });
  } finally {
    input.destroy();
  }
  return run.end();
}

async function fileSize(path: string, label: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new StudioError({ code: 'io.read', message: `Cannot read ${label}: ${error.code ?? error.message}`, file: label });
  });
  if (!info.isFile()) throw new StudioError({ code: 'io.read', message: `Cannot read ${label}: it is not a file`, file: label });
  return info.size;
}
