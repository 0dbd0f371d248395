// Importing a trace file from disk as a stream: large OTLP JSON files (one request, or JSON Lines)
// and clnrm NDJSON are read in 1 MiB chunks and stored in batches, so memory holds a chunk and a
// batch rather than the file, its text and its parse tree. One OTLP request is read twice: the
// first pass checks all of its syntax (nothing is stored from a file cut short) and finds the
// envelopes, the second stores the spans. A studio upload runs the first pass on the chunks as they
// arrive (./import-precheck.ts), so its import reads the file once. Small files, and formats without a streaming reader
// (Jaeger JSON), are read whole as before.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StudioError } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { JsonScanError } from '../../shared/otlp/json-scan';
import { OtlpJsonStream, SecondDocument } from '../../shared/otlp/otlp-json-stream';
import { fileError, fileProblem, type FileWhere } from '../../shared/otlp/trace-file-errors';
import { convert, lineFormatOf, TraceLinesStream } from '../../shared/otlp/trace-file-lines';
import { ACCEPTED } from '../../shared/otlp/trace-file';
import { importSmallFile, MAX_IMPORT_BYTES, type ImportResult } from './import-export';
import type { TraceStore } from './trace-store';

export interface ImportProgress {
  file: string;
  /** 'checking': the first pass over one OTLP request (nothing stored yet); 'importing': storing. */
  phase: 'checking' | 'importing';
  bytesRead: number;
  totalBytes: number;
  /** Spans read so far (stored or already there). */
  spans: number;
  /** The traces this import has stored spans of so far (a live view: it grows as batches land). */
  traceIds: ReadonlySet<string>;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Files at least this large are streamed (tests lower it). */
  streamFromBytes?: number;
  /** Names the file in results, problems and progress instead of `path` (a studio upload's temporary copy). */
  label?: string;
  /**
   * The first pass already run on this file's text as it arrived (./import-precheck.ts): a document
   * goes straight to storing. Undefined: the import checks the file itself.
   */
  checked?: OtlpJsonStream;
}

/** Below this a file is read whole: one parse is faster than two passes, and memory is no concern. */
export const STREAM_FROM_BYTES = 8 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const BATCH = 5000;

type Mode = 'document' | 'lines';

export async function importFile(store: TraceStore, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const label = options.label ?? path;
  const size = await fileSize(path, label);
  if (size < (options.streamFromBytes ?? STREAM_FROM_BYTES)) return importSmallFile(store, path, label);
  const where: FileWhere = { file: label };
  const sink = new ImportSink(store, label);
  const progress = (phase: ImportProgress['phase'], bytesRead: number): void =>
    options.onProgress?.({ file: label, phase, bytesRead, totalBytes: size, spans: sink.read, traceIds: sink.traceIds });
  try {
    let mode = await sniff(path);
    if (mode === 'document' && options.checked) return await sink.finish('otlp-json', await readDocument(path, where, options.checked, sink, progress));
    if (mode === 'document') {
      const stream = new OtlpJsonStream();
      try {
        await eachChunk(path, (chunk, bytes) => {
          stream.scanEnvelopes(chunk);
          progress('checking', bytes);
        });
        stream.endEnvelopes();
      } catch (error) {
        if (!(error instanceof SecondDocument)) throw error;
        mode = 'lines';
      }
      if (mode === 'document' && !stream.isOtlp) {
        if (size > MAX_IMPORT_BYTES) throw fileError('trace.format', `Only OTLP JSON, OTLP JSON Lines and clnrm NDJSON files are read in a stream; this one is ${size} bytes, over the ${MAX_IMPORT_BYTES} read whole. ${ACCEPTED}`, where);
        return await importSmallFile(store, path, label);
      }
      if (mode === 'document') return await sink.finish('otlp-json', await readDocument(path, where, stream, sink, progress));
    }
    const lines = new TraceLinesStream(where);
    await eachChunk(path, async (chunk, bytes) => {
      await sink.add(lines.push(chunk));
      progress('importing', bytes);
    });
    const last = lines.end();
    await sink.add(last.spans);
    return await sink.finish(lines.format!, last.warnings);
  } catch (error) {
    throw sink.explain(asFileError(error, where));
  }
}

async function readDocument(path: string, where: FileWhere, stream: OtlpJsonStream, sink: ImportSink, progress: (phase: 'importing', bytes: number) => void) {
  await eachChunk(path, async (chunk, bytes) => {
    await sink.add(convert(() => stream.decodeSpans(chunk), where));
    progress('importing', bytes);
  });
  const last = convert(() => stream.end(), where);
  await sink.add(last.spans);
  return last.result.errorMessage ? [fileProblem('trace.invalid', last.result.errorMessage, where)] : [];
}

async function fileSize(path: string, label: string): Promise<number> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new StudioError({ code: 'io.read', message: `Cannot read ${label}: ${error.code ?? error.message}`, file: label });
  });
  if (!info.isFile()) throw new StudioError({ code: 'io.read', message: `Cannot read ${label}: it is not a file`, file: label });
  return info.size;
}

/**
 * One OTLP request (possibly on one long line) or a line format: a first line that is already a
 * whole trace object, followed by more, means lines; anything else opening with `{` is a document.
 */
async function sniff(path: string): Promise<Mode> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\ufeff/, '');
    if (!head.trimStart().startsWith('{')) return 'lines';
    const nl = head.indexOf('\n');
    if (nl < 0 || lineFormatOf(head.slice(0, nl)) === undefined) return 'document';
    return head.slice(nl).trim() === '' && !/\.(jsonl|ndjson)$/i.test(path) ? 'document' : 'lines';
  } finally {
    await handle.close();
  }
}

/** Calls `each` with every chunk of the file as text (multi-byte characters never split), one at a time. */
async function eachChunk(path: string, each: (chunk: string, bytesRead: number) => void | Promise<void>): Promise<void> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  let first = true;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      await each(first ? chunk.replace(/^\ufeff/, '') : chunk, input.bytesRead);
      first = false;
    }
  } finally {
    input.destroy();
  }
}

function asFileError(error: unknown, where: FileWhere): unknown {
  if (error instanceof JsonScanError) {
    return fileError('trace.invalid', `The trace file is not valid JSON (${error.message}): it was cut short or edited by hand; export it again.`, {
      ...where,
      line: error.line,
      column: error.column,
    });
  }
  return error;
}

/** Batches spans into the store, skipping those it (or this file, earlier) already holds. */
class ImportSink {
  read = 0;
  private imported = 0;
  private duplicates = 0;
  private pending: Span[] = [];
  private readonly inFile = new Set<string>();
  private readonly storedBefore = new Set<string>();
  readonly traceIds = new Set<string>();
  private readonly newTraces = new Set<string>();

  constructor(
    private readonly store: TraceStore,
    private readonly file: string,
  ) {}

  async add(spans: readonly Span[]): Promise<void> {
    for (const span of spans) this.pending.push(span);
    this.read += spans.length;
    if (this.pending.length >= BATCH) await this.store_();
  }

  async finish(format: ImportResult['format'], warnings: ImportResult['warnings']): Promise<ImportResult> {
    await this.store_();
    this.store.flush();
    return { file: this.file, format, imported: this.imported, duplicates: this.duplicates, traces: this.newTraces.size, traceIds: [...this.traceIds], warnings };
  }

  /** Says what became of the spans before an error: they stay stored, and a second import skips them. */
  explain(error: unknown): unknown {
    if (!(error instanceof StudioError) || this.imported === 0) return error;
    this.store.flush();
    const kept = ` The ${this.imported} spans read before it were imported and stay in the store; importing the fixed file again adds only the rest.`;
    return new StudioError({ ...error.problem, message: error.problem.message + kept });
  }

  private async store_(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // What the store held before this import, asked once per trace (a later batch of the same
    // trace would otherwise fetch back every span this import stored).
    const unseen = [...new Set(batch.map((s) => s.traceId))].filter((id) => !this.traceIds.has(id));
    for (const id of unseen) this.traceIds.add(id);
    if (unseen.length > 0) for (const key of await this.store.storedSpanKeys(unseen)) this.storedBefore.add(key);
    const fresh: Span[] = [];
    for (const span of batch) {
      const key = `${span.traceId}:${span.spanId}`;
      if (this.storedBefore.has(key) || this.inFile.has(key)) this.duplicates++;
      else {
        this.inFile.add(key);
        this.newTraces.add(span.traceId);
        fresh.push(span);
      }
    }
    this.store.ingest(fresh);
    this.store.flush();
    this.imported += fresh.length;
    // A writer thread that falls behind holds the reader back (backpressure).
    await this.store.writable();
  }
}
