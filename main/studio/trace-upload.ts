// Trace files a page sends in chunks (shared/ipc/upload-schema.ts): each upload is a temporary file
// that the chunks are appended to in order. A large one is imported as a stream while it arrives
// (main/store/import-run.ts): each chunk, once written and answered, is read by the importer while
// the page sends the next, so the first spans are stored (and the trace listed, marked importing)
// long before the last chunk. Finishing the upload stores the rest and removes the file; cancelling
// it stops the reading, and what was stored stays, as after an error in the file. Uploads are
// bounded in number, size and idle time, so a page that vanishes mid-upload leaves nothing behind for long.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { StudioError, toProblem } from '../../shared/errors';
import type { CallArgs, CallResponse, TraceSummary } from '../../shared/ipc/contract';
import { MAX_UPLOAD_CHUNK_BYTES, type UploadStatus } from '../../shared/ipc/upload-schema';
import type { ImportProgress, TraceStore } from '../store';
import { StreamedImport } from '../store/import-run';
import { STREAM_FROM_BYTES } from '../store/import-stream';
import { MAX_TRACE_FILE_BYTES, plainProblem } from './trace-files';

/** Uploads open at once (across pages); more are refused until one finishes or is cancelled. */
const MAX_OPEN_UPLOADS = 4;
/** An upload that receives nothing for this long is dropped with its file. */
export const UPLOAD_IDLE_MS = 2 * 60_000;

type TraceImporting = NonNullable<TraceSummary['importing']>;

interface Upload {
  readonly label: string;
  readonly path: string;
  readonly file: FileHandle;
  nextSeq: number;
  /** The chunk writes, one after another. */
  writing: Promise<void>;
  /** The import reading the chunks written so far, one after another, behind the writes (large files only). */
  reading: Promise<void>;
  run: StreamedImport | undefined;
  status: UploadStatus;
  /** The traces the import has stored spans of so far (set once it stores). */
  traceIds: ReadonlySet<string>;
  idle: NodeJS.Timeout | undefined;
  finishing: boolean;
  /** Cancelled or idle too long: the import stops reading (what it stored stays, as after an error). */
  dropped: boolean;
}

/** What the import reads between two turns of the event loop (a few tens of milliseconds). */
const READ_SLICE_BYTES = 512 * 1024;

async function readInSlices(upload: Upload, run: StreamedImport, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length && !upload.dropped; at += READ_SLICE_BYTES) {
    await new Promise((go) => setImmediate(go));
    await run.push(bytes.subarray(at, at + READ_SLICE_BYTES));
  }
}

function refused(message: string): never {
  throw new StudioError({ code: 'studio.upload', message });
}

/** The extension the importer sniffs by (JSON Lines vs one document), kept from the page's name. */
function extensionOf(label: string): string {
  const ext = /\.(json|jsonl|ndjson)$/i.exec(label)?.[1]?.toLowerCase();
  return ext ?? 'json';
}

export class TraceUploads {
  private readonly uploads = new Map<string, Upload>();
  private dir: string | undefined;

  constructor(
    private readonly store: TraceStore,
    private readonly idleMs = UPLOAD_IDLE_MS,
  ) {}

  async start({ name, size }: CallArgs<'importUploadStart'>): Promise<CallResponse<'importUploadStart'>> {
    const label = basename(name);
    if (size > MAX_TRACE_FILE_BYTES) refused(`${label} is ${size} bytes; the studio imports files up to ${MAX_TRACE_FILE_BYTES} bytes. Import it with \`clnrm import\` instead.`);
    if (this.uploads.size >= MAX_OPEN_UPLOADS) refused(`${MAX_OPEN_UPLOADS} uploads are already open; wait for one to finish.`);
    const uploadId = randomBytes(16).toString('hex');
    const path = join(this.folder(), `${uploadId}.${extensionOf(label)}`);
    const file = await open(path, 'wx', 0o600);
    const status: UploadStatus = { phase: 'receiving', bytesReceived: 0, totalBytes: size, bytesRead: 0, spans: 0 };
    const upload: Upload = { label, path, file, nextSeq: 0, writing: Promise.resolve(), reading: Promise.resolve(), run: undefined, traceIds: new Set(), idle: undefined, finishing: false, dropped: false, status };
    if (size >= STREAM_FROM_BYTES) {
      upload.run = new StreamedImport(this.store, { path, label, totalBytes: size, onProgress: this.progressOf(upload) });
      // The list marks a trace as importing from its first stored span on, not from the first progress report.
      upload.traceIds = upload.run.traceIds;
    }
    this.uploads.set(uploadId, upload);
    this.touch(uploadId, upload);
    return { uploadId, chunkBytes: MAX_UPLOAD_CHUNK_BYTES };
  }

  async chunk({ uploadId, seq, bytes }: CallArgs<'importUploadChunk'>): Promise<CallResponse<'importUploadChunk'>> {
    const upload = this.receiving(uploadId);
    if (seq !== upload.nextSeq) refused(`chunk ${seq} of ${upload.label} arrived out of order: expected chunk ${upload.nextSeq}. Start the upload again.`);
    if (upload.status.bytesReceived + bytes.length > MAX_TRACE_FILE_BYTES) {
      await this.drop(uploadId);
      refused(`${upload.label} grew past ${MAX_TRACE_FILE_BYTES} bytes; the upload was dropped. Import it with \`clnrm import\` instead.`);
    }
    // Counted and ordered before the write: a page that sends the next chunk without waiting for this
    // answer cannot pass the size limit or interleave writes (FileHandle.write must not overlap itself).
    upload.nextSeq++;
    upload.status.bytesReceived += bytes.length;
    const received = upload.status.bytesReceived;
    upload.writing = upload.writing.then(() => upload.file.write(bytes).then(() => undefined));
    const written = upload.writing;
    // Read on later turns of the event loop, so this chunk's answer leaves first, a slice at a time, so
    // the thread that also serves the receiver and the page is never held for a whole chunk.
    const run = upload.run;
    if (run) {
      upload.reading = Promise.all([upload.reading, written]).then(
        () => readInSlices(upload, run, bytes),
        () => undefined, // a failed write fails the import in finish
      );
    }
    await written;
    this.touch(uploadId, upload);
    return { bytesReceived: received };
  }

  async finish({ uploadId }: CallArgs<'importUploadFinish'>): Promise<CallResponse<'importUploadFinish'>> {
    const upload = this.receiving(uploadId);
    upload.finishing = true;
    clearTimeout(upload.idle);
    try {
      await upload.writing; // a chunk whose write failed fails the import here
      await upload.file.close();
      await upload.reading;
      const result = upload.run ? await upload.run.end() : await this.store.importFile(upload.path, { label: upload.label, onProgress: this.progressOf(upload) });
      upload.status.phase = 'done';
      return { imported: [{ file: upload.label, format: result.format, spanCount: result.imported, duplicates: result.duplicates, traceIds: result.traceIds, warnings: result.warnings.map(plainProblem) }], problems: [] };
    } catch (error) {
      upload.status.phase = 'failed';
      return { imported: [], problems: [plainProblem({ file: upload.label, ...toProblem(error) })] };
    } finally {
      this.uploads.delete(uploadId);
      await upload.file.close().catch(() => undefined); // closed above unless a write failed
      await rm(upload.path, { force: true });
    }
  }

  status({ uploadId }: CallArgs<'importUploadStatus'>): CallResponse<'importUploadStatus'> {
    return { ...this.known(uploadId).status };
  }

  async cancel({ uploadId }: CallArgs<'importUploadCancel'>): Promise<CallResponse<'importUploadCancel'>> {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.finishing) return { cancelled: false };
    await this.drop(uploadId);
    return { cancelled: true };
  }

  /**
   * Answers `list()` with the summaries of traces an import is still storing marked `importing` (the
   * list shows them as importing, never as complete). An import running when the query started
   * counts even if it ends before the answer: the answer may predate its last batch.
   */
  async markImporting<T extends { traces: Array<{ traceId: string; importing?: TraceImporting }> }>(list: () => Promise<T>): Promise<T> {
    const running = new Set(this.uploads.values());
    const answer = await list();
    for (const upload of this.uploads.values()) running.add(upload);
    for (const upload of running) {
      if (upload.traceIds.size === 0) continue;
      const importing = { file: upload.label, percent: Math.min(100, Math.floor((100 * upload.status.bytesRead) / Math.max(1, upload.status.totalBytes))) };
      for (const trace of answer.traces) if (upload.traceIds.has(trace.traceId)) trace.importing = importing;
    }
    return answer;
  }

  private progressOf(upload: Upload): (p: ImportProgress) => void {
    return (p) => {
      // While chunks still arrive the phase stays 'receiving' (the page shows the upload's bytes).
      if (upload.finishing) upload.status.phase = p.phase;
      Object.assign(upload.status, { bytesRead: p.bytesRead, spans: p.spans });
      upload.traceIds = p.traceIds;
    };
  }

  /** Drops every open upload and the temporary folder (the studio is closing). */
  dispose(): void {
    for (const upload of this.uploads.values()) {
      upload.dropped = true;
      clearTimeout(upload.idle);
    }
    this.uploads.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private folder(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'clnrm-uploads-'));
    return this.dir;
  }

  private known(uploadId: string): Upload {
    return this.uploads.get(uploadId) ?? refused(`no upload ${uploadId}: it finished, was cancelled, or was dropped after ${Math.round(this.idleMs / 1000)} s without a chunk. Start it again.`);
  }

  private receiving(uploadId: string): Upload {
    const upload = this.known(uploadId);
    if (upload.finishing) refused(`upload ${uploadId} (${upload.label}) is already being imported.`);
    return upload;
  }

  private touch(uploadId: string, upload: Upload): void {
    clearTimeout(upload.idle);
    upload.idle = setTimeout(() => void this.drop(uploadId), this.idleMs);
    upload.idle.unref();
  }

  private async drop(uploadId: string): Promise<void> {
    const upload = this.uploads.get(uploadId);
    if (!upload) return;
    this.uploads.delete(uploadId);
    upload.dropped = true;
    clearTimeout(upload.idle);
    await upload.file.close().catch(() => undefined);
    await rm(upload.path, { force: true });
  }
}
