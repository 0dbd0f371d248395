// Trace files: open what users have (OTLP JSON, OTLP JSON Lines from the Collector's file exporter,
// Jaeger UI/API JSON, clnrm's NDJSON stdout) by sniffing the content — the extension only breaks a
// tie — and write OTLP JSON / JSON Lines back out.
import { StudioError, type Problem } from '../errors';
import type { Span } from '../model';
import { ClnrmSpanReader, isClnrmSpanLine } from './clnrm-ndjson';
import { groupSpans } from './group';
import { jaegerToSpans, looksLikeJaeger } from './jaeger';
import { decodeRequestInto } from './json-decode';
import { encodeOtlpJson } from './json-encode';
import { isObject, parseJsonExact, type JsonObject } from './json-read';
import { Rejections } from './result';
import { fileError, fileProblem, syntaxErrorWhere, type FileWhere } from './trace-file-errors';

export type TraceFormat = 'otlp-json' | 'otlp-jsonl' | 'jaeger-json' | 'clnrm-ndjson';

export interface TraceFile {
  format: TraceFormat;
  spans: Span[];
  warnings: Problem[];
}

const ACCEPTED =
  'Accepted formats: OTLP JSON (an ExportTraceServiceRequest with "resourceSpans"), OTLP JSON Lines (one request per line, ' +
  'as the OpenTelemetry Collector file exporter writes), Jaeger JSON ({ "data": [ { "traceID", "spans", "processes" } ] }) ' +
  'and clnrm NDJSON (one span object per line with trace_id/traceId, span_id/spanId and name).';

function isOtlpRequest(value: unknown): value is JsonObject {
  return isObject(value) && ('resourceSpans' in value || 'resource_spans' in value);
}

export function parseTraceFile(text: string, fileName?: string): TraceFile {
  const where: FileWhere = fileName === undefined ? {} : { file: fileName };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw fileError('trace.invalid', 'The trace file is empty.', where);
  const lineMode = fileName !== undefined && /\.(jsonl|ndjson)$/i.test(fileName);

  let whole: unknown;
  let wholeError: unknown;
  try {
    whole = parseJsonExact(body);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === undefined) {
    if (isOtlpRequest(whole)) {
      const oneLine = !body.trim().includes('\n');
      return oneLine && lineMode ? parseOtlpLines(body, where) : withRejections('otlp-json', whole, where);
    }
    if (looksLikeJaeger(whole)) return { format: 'jaeger-json', spans: convert(() => jaegerToSpans(whole as JsonObject), where), warnings: [] };
    if (isClnrmSpanLine(whole)) {
      if (!body.trim().includes('\n')) return parseClnrmLines(body, where);
      const span = convert(() => new ClnrmSpanReader().read(whole as JsonObject), where);
      return { format: 'clnrm-ndjson', spans: [span], warnings: [] };
    }
    throw fileError('trace.format', `Unrecognised trace file: the JSON is neither an OTLP request, a Jaeger export nor a clnrm span. ${ACCEPTED}`, where);
  }

  // Not one JSON document: a line format. The first line that is JSON decides which one.
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line.startsWith('{')) continue;
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch {
      continue;
    }
    if (isOtlpRequest(value)) return parseOtlpLines(body, where);
    if (isClnrmSpanLine(value)) return parseClnrmLines(body, where);
  }
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const at = syntaxErrorWhere(wholeError, body);
    throw fileError('trace.invalid', `The trace file is not valid JSON (${(wholeError as Error).message}): it was cut short or edited by hand; export it again. ${ACCEPTED}`, { ...where, ...at });
  }
  throw fileError('trace.format', `Unrecognised trace file: no line is an OTLP request or a clnrm span. ${ACCEPTED}`, where);
}

/** Re-labels an OTLP/Jaeger shape error as a trace-file error carrying the file name. */
function convert<T>(run: () => T, where: FileWhere): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof StudioError) {
      throw fileError('trace.invalid', error.message, { ...where, path: error.problem.path });
    }
    throw error;
  }
}

function withRejections(format: 'otlp-json', request: JsonObject, where: FileWhere): TraceFile {
  const spans: Span[] = [];
  const rejections = new Rejections();
  convert(() => decodeRequestInto(request, '', spans, rejections), where);
  const result = rejections.finish(spans);
  const warnings = result.errorMessage ? [fileProblem('trace.invalid', result.errorMessage, where)] : [];
  return { format, spans, warnings };
}

function parseOtlpLines(body: string, where: FileWhere): TraceFile {
  const spans: Span[] = [];
  const warnings: Problem[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const at = { ...where, line: i + 1 };
    let value: unknown;
    try {
      value = parseJsonExact(line);
    } catch (error) {
      throw fileError('trace.invalid', `Line ${i + 1} is not JSON (${(error as Error).message}); every line of an OTLP JSON Lines file is one request.`, {
        ...at,
        column: syntaxErrorWhere(error, line).column,
      });
    }
    if (!isOtlpRequest(value)) throw fileError('trace.invalid', `Line ${i + 1} is not an OTLP request (no "resourceSpans").`, at);
    const rejections = new Rejections();
    convert(() => decodeRequestInto(value as JsonObject, '', spans, rejections), at);
    const result = rejections.finish([]);
    if (result.errorMessage) warnings.push(fileProblem('trace.invalid', result.errorMessage, at));
  }
  return { format: 'otlp-jsonl', spans, warnings };
}

function parseClnrmLines(body: string, where: FileWhere): TraceFile {
  const reader = new ClnrmSpanReader();
  const spans: Span[] = [];
  let skipped = 0;
  let firstSkipped = 0;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = line.startsWith('{') ? parseJsonExact(line) : undefined;
    } catch {
      value = undefined;
    }
    if (!isClnrmSpanLine(value)) {
      if (skipped++ === 0) firstSkipped = i + 1;
      continue;
    }
    try {
      spans.push(reader.read(value));
    } catch (error) {
      if (!(error instanceof StudioError)) throw error;
      throw fileError('trace.invalid', `Line ${i + 1}: ${error.message}`, { ...where, line: i + 1, path: error.problem.path });
    }
  }
  const warnings =
    skipped === 0
      ? []
      : [
          fileProblem(
            'trace.invalid',
            `${skipped} line${skipped === 1 ? ' was' : 's were'} not span JSON and ${skipped === 1 ? 'was' : 'were'} skipped (program output), first at line ${firstSkipped}.`,
            { ...where, line: firstSkipped },
          ),
        ];
  return { format: 'clnrm-ndjson', spans, warnings };
}

/** OTLP JSON (one pretty-printed request) or OTLP JSON Lines (one compact request per resource). */
export function formatTraceFile(spans: readonly Span[], format: 'otlp-json' | 'otlp-jsonl'): string {
  if (format === 'otlp-json') return JSON.stringify(encodeOtlpJson(spans), null, 2) + '\n';
  let out = '';
  for (const group of groupSpans(spans)) {
    const groupSpansList: Span[] = [];
    for (const scope of group.scopes) groupSpansList.push(...scope.spans);
    out += JSON.stringify(encodeOtlpJson(groupSpansList)) + '\n';
  }
  return out;
}
