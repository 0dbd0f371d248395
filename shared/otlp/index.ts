// OTLP and trace-file codecs: the one place where outside trace data becomes our span model
// (and goes back out). See each module for the format it speaks.
export type { OtlpDecodeResult, SpanWire } from './result';
export { decodeOtlpProtobuf, decodeSpanMessage } from './protobuf-decode';
export { encodeOtlpProtobuf, encodeSpanMessages, encodeSpanAttributeField, encodeExportTraceServiceResponse, exportTraceServiceResponseJson } from './protobuf-encode';
export { SpanScanner } from './protobuf-span-scan';
export { decodeOtlpJson } from './json-decode';
export { encodeOtlpJson } from './json-encode';
export { prettyJsonArrayLines, prettyOtlpJsonLines, spanGroups, type SpanGroup } from './json-text-stream';
export { parseTraceFile, formatTraceFile, type TraceFormat, type TraceFile } from './trace-file';
