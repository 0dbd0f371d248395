// Trace files sent from a page in pieces (browser mode, and files dropped on the desktop): the page
// starts an upload, sends the file's bytes in chunks of at most MAX_UPLOAD_CHUNK_BYTES in order (as
// binary messages in browser mode, see ./bytes-call.ts: nothing decoded or escaped on the way), then
// asks the studio to import it, polling the upload's status for progress meanwhile. The studio keeps
// the pieces in a temporary file and imports it as a stream (main/studio/trace-upload.ts), so neither
// side holds a large file in one message. Small files still go whole with importFiles.
import { z } from 'zod';

/** Largest chunk of a file in one importUploadChunk. */
export const MAX_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** Files at least this large are uploaded in chunks (the studio imports them as a stream, see STREAM_FROM_BYTES). */
export const UPLOAD_FROM_BYTES = 8 * 1024 * 1024;

const UploadIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'expected an upload id (32 hex digits) from importUploadStart');

export const UploadStatusSchema = z.object({
  /** receiving chunks; checking (first pass over one OTLP request); importing (storing); done or failed. */
  phase: z.enum(['receiving', 'checking', 'importing', 'done', 'failed']),
  /** Bytes received so far and the size the page announced. */
  bytesReceived: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Bytes of the file read by the importer so far, and spans read. */
  bytesRead: z.number().int().nonnegative(),
  spans: z.number().int().nonnegative(),
});
export type UploadStatus = z.output<typeof UploadStatusSchema>;

/** The upload calls; `importResult` is the contract's answer of importFiles (the same for a finished upload). */
export function uploadCalls<R extends z.ZodTypeAny>(importResult: R) {
  return {
    /** Opens an upload of one file: `name` is only a label, `size` its length in bytes (UTF-8). */
    importUploadStart: {
      request: z.object({ name: z.string().min(1).max(255), size: z.number().int().nonnegative() }),
      response: z.object({ uploadId: UploadIdSchema, chunkBytes: z.number().int().positive() }),
    },
    /** The next piece of the file, cut anywhere (even inside a character); `seq` counts from 0 and must follow the last one. */
    importUploadChunk: {
      request: z.object({
        uploadId: UploadIdSchema,
        seq: z.number().int().nonnegative(),
        bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_UPLOAD_CHUNK_BYTES, `a chunk holds at most ${MAX_UPLOAD_CHUNK_BYTES} bytes`),
      }),
      response: z.object({ bytesReceived: z.number().int().nonnegative() }),
    },
    /** Imports the uploaded file (a stream for large ones) and forgets the upload. */
    importUploadFinish: { request: z.object({ uploadId: UploadIdSchema }), response: importResult },
    /** How far an upload has got (the page polls it while importUploadFinish runs). */
    importUploadStatus: { request: z.object({ uploadId: UploadIdSchema }), response: UploadStatusSchema },
    /** Drops an upload and its temporary file (the page gave up, or the user cancelled). */
    importUploadCancel: { request: z.object({ uploadId: UploadIdSchema }), response: z.object({ cancelled: z.boolean() }) },
  } as const;
}
