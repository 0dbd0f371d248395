// One streamed import, fed a file's bytes in order as they become available: read from disk by
// `clnrm import` (./import-stream.ts), or as a studio upload's chunks arrive (main/studio/trace-upload.ts),
// so a large upload's first spans are stored, and its trace listed, while the rest is still on its way.
//
// OTLP JSON Lines and clnrm NDJSON are stored line by line. One OTLP request is read by a first pass
// (shared/otlp/otlp-json-stream.ts) that checks the syntax and finds each ResourceSpans; the text of
// the one being read is kept, and once it is whole (its resource, scope and schemaUrl may be written
// after its spans) it is parsed at once and its spans stored. A ResourceSpans whose text outgrows a
// bound is let go, and a second pass reads the file again at the end for it alone. What was stored
// before a syntax error stays stored, and the error says so (importing the fixed file again adds
// only the rest).
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Problem } from '../../shared/errors';
import type { Span } from '../../shared/model';
import { JsonScanError } from '../../shared/otlp/json-scan';
import { OtlpJsonStream, SecondDocument } from '../../shared/otlp/otlp-json-stream';
import { fileError, fileProblem, type FileWhere } from '../../shared/otlp/trace-file-errors';
import { convert, lineFormatOf, TraceLinesStream } from '../../shared/otlp/trace-file-lines';
import { ACCEPTED } from '../../shared/otlp/trace-file';
import { importSmallFile, MAX_IMPORT_BYTES, type ImportResult } from './import-export';
import { ImportSink } from './import-sink';
import type { TraceStore } from './trace-store';

export interface ImportProgress {
  file: string;
  /** 'checking': the first pass over one OTLP request, nothing stored yet; 'importing': storing. */
  phase: 'checking' | 'importing';
  bytesRead: number;
  totalBytes: number;
  /** Spans read so far (stored or already there). */
  spans: number;
  /** The traces this import has stored spans of so far (a live view: it grows as batches land). */
  traceIds: ReadonlySet<string>;
}

export interface StreamedImportOptions {
  /** The file the bytes are written to: read again when the text between the passes outgrew its bound. */
  path: string;
  /** Names the file in results, problems and progress. */
  label: string;
  totalBytes: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Most text of one ResourceSpans kept to parse it whole (tests lower it). */
  maxKeptChars?: number;
}

/** Text read before deciding between one document and lines. */
const SNIFF_CHARS = 1024 * 1024;
/** Default bound on the text of one ResourceSpans kept to parse it whole. */
const MAX_KEPT_CHARS = 16 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/** Spans decoded between two turns of the event loop. */
const DECODE_PIECE_SPANS = 2000;

export class StreamedImport {
  private readonly sink: ImportSink;
  private readonly where: FileWhere;
  private readonly decoder = new StringDecoder('utf8');
  private head = '';
  private mode: 'document' | 'lines' | undefined;
  private readonly document = new OtlpJsonStream();
  private lines: TraceLinesStream;
  /** The text from offset `keptFrom` on: the ResourceSpans being read, from its start (or the separators before it). */
  private kept = '';
  private keptFrom = 0;
  /** The document turned out to be several: the file is read as lines at the end. */
  private linesAfterAll = false;
  private bytesRead = 0;
  private failure: unknown;

  constructor(
    private readonly store: TraceStore,
    private readonly options: StreamedImportOptions,
  ) {
    this.where = { file: options.label };
    this.sink = new ImportSink(store, options.label);
    this.lines = new TraceLinesStream(this.where);
  }

  /** The traces this import has stored spans of so far: a live view, complete before their spans reach the store. */
  get traceIds(): ReadonlySet<string> {
    return this.sink.traceIds;
  }

  /** The next bytes of the file, in order, cut anywhere. An error is kept and thrown by end(). */
  async push(bytes: Uint8Array): Promise<void> {
    if (this.failure !== undefined) return;
    this.bytesRead += bytes.length;
    try {
      await this.text(this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    } catch (error) {
      this.failure = await this.explain(error);
    }
  }

  /** The file is complete (and wholly written to `path`): the last spans are stored and the result given. */
  async end(): Promise<ImportResult> {
    if (this.failure !== undefined) throw this.failure;
    try {
      await this.text(this.decoder.end());
      if (this.mode === undefined) await this.consume(this.decide());
      if (this.mode === 'lines') return await this.endLines();
      return await this.endDocument();
    } catch (error) {
      throw await this.explain(error);
    }
  }

  private async text(text: string): Promise<void> {
    if (this.mode === undefined) {
      this.head += text;
      if (this.head.length < SNIFF_CHARS) return;
      text = this.decide();
    }
    await this.consume(text);
  }

  private async consume(text: string): Promise<void> {
    if (text === '') return;
    if (this.mode === 'lines') {
      await this.sink.add(this.lines.push(text));
      await this.sink.storeFirstSpans();
    } else if (!this.linesAfterAll) await this.scan(text);
    this.progress();
  }

  /** One document or lines, from the start of the text and the file's name; returns the text so far. */
  private decide(): string {
    const head = this.head.replace(/^\ufeff/, '');
    this.head = '';
    this.mode = modeOf(head, this.options.label);
    return head;
  }

  private async scan(text: string): Promise<void> {
    try {
      this.document.scanEnvelopes(text);
    } catch (error) {
      if (!(error instanceof SecondDocument)) throw error;
      this.linesAfterAll = true;
      this.kept = '';
      return;
    }
    this.kept += text;
    await this.decodeResourcesRead();
    if (this.kept.length > (this.options.maxKeptChars ?? MAX_KEPT_CHARS)) {
      // This ResourceSpans is too large to hold: the second pass decodes it from the file at the end.
      this.keptFrom += this.kept.length;
      this.kept = '';
    }
  }

  /**
   * Parses and stores each ResourceSpans the first pass has read whole, its spans decoded a piece
   * at a time with a turn of the event loop between (the studio's thread answers the page
   * meanwhile). One that was let go, or whose text does not parse, is left to the second pass
   * (which reports a syntax error with its line and column).
   */
  private async decodeResourcesRead(): Promise<void> {
    for (const { index, start, end } of this.document.takeResourcesRead()) {
      if (start < this.keptFrom) continue;
      const text = this.kept.slice(start - this.keptFrom, end - this.keptFrom);
      this.kept = this.kept.slice(end - this.keptFrom);
      this.keptFrom = end;
      const pieces = this.parsed(index, text);
      if (pieces === undefined) continue;
      for (const spans of convertEach(pieces, this.where)) {
        await this.sink.add(spans);
        await this.sink.storeFirstSpans();
        await new Promise((go) => setImmediate(go));
      }
    }
  }

  private parsed(index: number, text: string): Iterable<Span[]> | undefined {
    try {
      return this.document.decodeResourceText(index, text, DECODE_PIECE_SPANS);
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  private async endDocument(): Promise<ImportResult> {
    if (this.linesAfterAll) {
      await this.sink.rewind();
      this.lines = new TraceLinesStream(this.where);
      await this.reread((chunk) => this.sink.add(this.lines.push(chunk)));
      return await this.endLines();
    }
    convert(() => this.document.endEnvelopes(), this.where);
    if (!this.document.isOtlp) return await this.otherFormat();
    await this.decodeResourcesRead();
    if (!this.document.allDecoded) await this.reread((chunk) => this.sink.add(convert(() => this.document.decodeSpans(chunk), this.where)));
    const last = convert(() => this.document.end(), this.where);
    await this.sink.add(last.spans);
    const problems: Problem[] = last.result.errorMessage ? [fileProblem('trace.invalid', last.result.errorMessage, this.where)] : [];
    return await this.sink.finish('otlp-json', problems);
  }

  private async endLines(): Promise<ImportResult> {
    const last = this.lines.end();
    await this.sink.add(last.spans);
    return await this.sink.finish(this.lines.format!, last.warnings);
  }

  /** JSON that is not an OTLP request (Jaeger JSON): nothing was stored; it is read whole. */
  private async otherFormat(): Promise<ImportResult> {
    const { totalBytes, label, path } = this.options;
    if (totalBytes > MAX_IMPORT_BYTES) throw fileError('trace.format', `Only OTLP JSON, OTLP JSON Lines and clnrm NDJSON files are read in a stream; this one is ${totalBytes} bytes, over the ${MAX_IMPORT_BYTES} read whole. ${ACCEPTED}`, this.where);
    return await importSmallFile(this.store, path, label);
  }

  /** Reads the file from its start again as text, for the second pass or the lines reader. */
  private async reread(each: (chunk: string) => Promise<void>): Promise<void> {
    const input = createReadStream(this.options.path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
    let first = true;
    try {
      for await (const chunk of input as AsyncIterable<string>) {
        await each(first ? chunk.replace(/^\ufeff/, '') : chunk);
        first = false;
        this.bytesRead = input.bytesRead;
        this.progress();
      }
    } finally {
      input.destroy();
    }
  }

  private progress(): void {
    const checking = this.mode === 'document' && this.sink.read === 0;
    this.options.onProgress?.({
      file: this.options.label,
      phase: checking ? 'checking' : 'importing',
      bytesRead: Math.min(this.bytesRead, this.options.totalBytes),
      totalBytes: this.options.totalBytes,
      spans: this.sink.read,
      traceIds: this.sink.traceIds,
    });
  }

  private explain(error: unknown): Promise<unknown> {
    return this.sink.explain(asFileError(error, this.where));
  }
}

/**
 * One OTLP request (possibly on one long line) or a line format: a first line that is already a
 * whole trace object, followed by more, means lines; anything else opening with `{` is a document.
 */
function modeOf(head: string, name: string): 'document' | 'lines' {
  if (!head.trimStart().startsWith('{')) return 'lines';
  const nl = head.indexOf('\n');
  if (nl < 0 || lineFormatOf(head.slice(0, nl)) === undefined) return 'document';
  return head.slice(nl).trim() === '' && !/\.(jsonl|ndjson)$/i.test(name) ? 'document' : 'lines';
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

/** The pieces, with a shape error re-labelled as the file's (see convert). */
function* convertEach(pieces: Iterable<Span[]>, where: FileWhere): Generator<Span[]> {
  const iterator = pieces[Symbol.iterator]();
  while (true) {
    const next = convert(() => iterator.next(), where);
    if (next.done) return;
    yield next.value;
  }
}
