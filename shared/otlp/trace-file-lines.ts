// The line formats of trace files, one line at a time: OTLP JSON Lines (one request per line, as
// the Collector's file exporter writes) and clnrm NDJSON (span lines between program output).
// parseTraceFile runs them over a whole text; TraceLinesStream over chunks of any size, holding
// one line at a time.
import { StudioError, type Problem } from '../errors';
import type { Span } from '../model';
import { ClnrmSpanReader, isClnrmSpanLine } from './clnrm-ndjson';
import { decodeRequestInto } from './json-decode';
import { isObject, parseJsonExact, type JsonObject } from './json-read';
import { Rejections } from './result';
import { fileError, fileProblem, syntaxErrorWhere, type FileWhere } from './trace-file-errors';

export function isOtlpRequest(value: unknown): value is JsonObject {
  return isObject(value) && ('resourceSpans' in value || 'resource_spans' in value);
}

/** Re-labels an OTLP/Jaeger shape error as a trace-file error carrying the file name. */
export function convert<T>(run: () => T, where: FileWhere): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof StudioError) {
      throw fileError('trace.invalid', error.message, { ...where, path: error.problem.path });
    }
    throw error;
  }
}

export interface LineReader {
  /** The spans of one line (1-based `lineNo`); throws a trace-file error for a bad line. */
  line(text: string, lineNo: number): Span[];
  warnings(): Problem[];
}

/** Every non-empty line must be one OTLP request. */
export class OtlpLineReader implements LineReader {
  private readonly found: Problem[] = [];
  constructor(private readonly where: FileWhere) {}

  line(raw: string, lineNo: number): Span[] {
    const line = raw.trim();
    if (line === '') return [];
    const at = { ...this.where, line: lineNo };
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch (error) {
      throw fileError('trace.invalid', `Line ${lineNo} is not JSON (${(error as Error).message}); every line of an OTLP JSON Lines file is one request.`, {
        ...at,
        column: syntaxErrorWhere(error, line).column,
      });
    }
    if (!isOtlpRequest(value)) throw fileError('trace.invalid', `Line ${lineNo} is not an OTLP request (no "resourceSpans").`, at);
    const spans: Span[] = [];
    const rejections = new Rejections();
    convert(() => decodeRequestInto(value as JsonObject, '', spans, rejections), at);
    const result = rejections.finish([]);
    if (result.errorMessage) this.found.push(fileProblem('trace.invalid', result.errorMessage, at));
    return spans;
  }

  warnings(): Problem[] {
    return this.found;
  }
}

/** Span lines are read; every other line is program output, counted and skipped. */
export class ClnrmLineReader implements LineReader {
  private readonly reader = new ClnrmSpanReader();
  private skipped = 0;
  private firstSkipped = 0;
  constructor(private readonly where: FileWhere) {}

  line(raw: string, lineNo: number): Span[] {
    const line = raw.trim();
    if (line === '') return [];
    let value: unknown;
    try {
      value = line.startsWith('{') ? parseJsonExact(line) : undefined;
    } catch {
      value = undefined;
    }
    if (!isClnrmSpanLine(value)) {
      if (this.skipped++ === 0) this.firstSkipped = lineNo;
      return [];
    }
    try {
      return [this.reader.read(value)];
    } catch (error) {
      if (!(error instanceof StudioError)) throw error;
      throw fileError('trace.invalid', `Line ${lineNo}: ${error.message}`, { ...this.where, line: lineNo, path: error.problem.path });
    }
  }

  warnings(): Problem[] {
    const n = this.skipped;
    if (n === 0) return [];
    const message = `${n} line${n === 1 ? ' was' : 's were'} not span JSON and ${n === 1 ? 'was' : 'were'} skipped (program output), first at line ${this.firstSkipped}.`;
    return [fileProblem('trace.invalid', message, { ...this.where, line: this.firstSkipped })];
  }
}

/** Which line format a line announces: the first line that is an OTLP request or a clnrm span decides. */
export function lineFormatOf(raw: string): 'otlp-jsonl' | 'clnrm-ndjson' | undefined {
  const line = raw.trim();
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = parseJsonExact(line);
  } catch {
    return undefined;
  }
  return isOtlpRequest(value) ? 'otlp-jsonl' : isClnrmSpanLine(value) ? 'clnrm-ndjson' : undefined;
}

/** Program output held before the first span line: past this, the file is not a trace file. */
const MAX_UNDECIDED_CHARS = 16 * 1024 * 1024;

/**
 * A line format read from chunks: lines before the deciding one are held (they are program output
 * or errors-to-be), then every line goes to its reader as it completes.
 */
export class TraceLinesStream {
  format: 'otlp-jsonl' | 'clnrm-ndjson' | undefined;
  private reader: LineReader | undefined;
  private partial = '';
  private lineNo = 0;
  private readonly undecided: string[] = [];
  private undecidedChars = 0;

  constructor(private readonly where: FileWhere) {}

  /** The spans of the lines this chunk completes. */
  push(chunk: string): Span[] {
    const text = this.partial + chunk;
    const spans: Span[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.take(text.slice(start, nl), spans);
      start = nl + 1;
    }
    this.partial = text.slice(start);
    return spans;
  }

  end(): { spans: Span[]; warnings: Problem[] } {
    const spans: Span[] = [];
    if (this.partial !== '') this.take(this.partial, spans);
    this.partial = '';
    if (!this.reader) throw fileError('trace.format', 'Unrecognised trace file: no line is an OTLP request or a clnrm span.', this.where);
    return { spans, warnings: this.reader.warnings() };
  }

  private take(line: string, into: Span[]): void {
    this.lineNo++;
    if (!this.reader) {
      this.undecided.push(line);
      this.undecidedChars += line.length;
      if (this.undecidedChars > MAX_UNDECIDED_CHARS) {
        throw fileError('trace.format', `Unrecognised trace file: none of its first ${this.lineNo} lines is an OTLP request or a clnrm span.`, this.where);
      }
      this.format = lineFormatOf(line);
      if (!this.format) return;
      this.reader = this.format === 'otlp-jsonl' ? new OtlpLineReader(this.where) : new ClnrmLineReader(this.where);
      const first = this.lineNo - this.undecided.length + 1;
      for (let i = 0; i < this.undecided.length; i++) for (const span of this.reader.line(this.undecided[i]!, first + i)) into.push(span);
      this.undecided.length = 0;
      this.undecidedChars = 0;
      return;
    }
    for (const span of this.reader.line(line, this.lineNo)) into.push(span);
  }
}
