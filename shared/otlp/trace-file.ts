// Trace files: open what users have (OTLP JSON, OTLP JSON Lines from the Collector's file exporter,
// Jaeger UI/API JSON, clnrm's NDJSON stdout) by sniffing the content — the extension only breaks a
// tie — and write OTLP JSON / JSON Lines back out.
import type { Problem } from '../errors';
import type { Span } from '../model';
import { ClnrmSpanReader, isClnrmSpanLine } from './clnrm-ndjson';
import { groupSpans } from './group';
import { jaegerToSpans, looksLikeJaeger } from './jaeger';
import { decodeRequestInto } from './json-decode';
import { encodeOtlpJson } from './json-encode';
import { parseJsonExact, type JsonObject } from './json-read';
import { Rejections } from './result';
import { fileError, fileProblem, syntaxErrorWhere, type FileWhere } from './trace-file-errors';
import { ClnrmLineReader, OtlpLineReader, convert, isOtlpRequest, lineFormatOf } from './trace-file-lines';

export type TraceFormat = 'otlp-json' | 'otlp-jsonl' | 'jaeger-json' | 'clnrm-ndjson';

export interface TraceFile {
  format: TraceFormat;
  spans: Span[];
  warnings: Problem[];
}

export const ACCEPTED =
  'Accepted formats: OTLP JSON (an ExportTraceServiceRequest with "resourceSpans"), OTLP JSON Lines (one request per line, ' +
  'as the OpenTelemetry Collector file exporter writes), Jaeger JSON ({ "data": [ { "traceID", "spans", "processes" } ] }) ' +
  'and clnrm NDJSON (one span object per line with trace_id/traceId, span_id/spanId and name).';

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
      return oneLine && lineMode ? readLines('otlp-jsonl', body, where) : withRejections('otlp-json', whole, where);
    }
    if (looksLikeJaeger(whole)) return { format: 'jaeger-json', spans: convert(() => jaegerToSpans(whole as JsonObject), where), warnings: [] };
    if (isClnrmSpanLine(whole)) {
      if (!body.trim().includes('\n')) return readLines('clnrm-ndjson', body, where);
      const span = convert(() => new ClnrmSpanReader().read(whole as JsonObject), where);
      return { format: 'clnrm-ndjson', spans: [span], warnings: [] };
    }
    throw fileError('trace.format', `Unrecognised trace file: the JSON is neither an OTLP request, a Jaeger export nor a clnrm span. ${ACCEPTED}`, where);
  }

  // Not one JSON document: a line format. The first line that is JSON decides which one.
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const format = lineFormatOf(lines[i]!);
    if (format) return readLines(format, body, where);
  }
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const at = syntaxErrorWhere(wholeError, body);
    throw fileError('trace.invalid', `The trace file is not valid JSON (${(wholeError as Error).message}): it was cut short or edited by hand; export it again. ${ACCEPTED}`, { ...where, ...at });
  }
  throw fileError('trace.format', `Unrecognised trace file: no line is an OTLP request or a clnrm span. ${ACCEPTED}`, where);
}

function withRejections(format: 'otlp-json', request: JsonObject, where: FileWhere): TraceFile {
  const spans: Span[] = [];
  const rejections = new Rejections();
  convert(() => decodeRequestInto(request, '', spans, rejections), where);
  const result = rejections.finish(spans);
  const warnings = result.errorMessage ? [fileProblem('trace.invalid', result.errorMessage, where)] : [];
  return { format, spans, warnings };
}

function readLines(format: 'otlp-jsonl' | 'clnrm-ndjson', body: string, where: FileWhere): TraceFile {
  const reader = format === 'otlp-jsonl' ? new OtlpLineReader(where) : new ClnrmLineReader(where);
  const spans: Span[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) for (const span of reader.line(lines[i]!, i + 1)) spans.push(span);
  return { format, spans, warnings: reader.warnings() };
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
