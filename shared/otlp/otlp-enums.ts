// OTLP enum numbers ↔ our lowercase model values, shared by the protobuf and JSON codecs.
import type { SpanKind, StatusCode } from '../model';

export const KIND_BY_NUMBER: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
export const STATUS_BY_NUMBER: readonly StatusCode[] = ['unset', 'ok', 'error'];

export function kindFromNumber(n: number): SpanKind {
  return KIND_BY_NUMBER[n] ?? 'unspecified';
}

export function statusFromNumber(n: number): StatusCode {
  return STATUS_BY_NUMBER[n] ?? 'unset';
}

export function kindNumber(kind: SpanKind): number {
  const n = KIND_BY_NUMBER.indexOf(kind);
  return n < 0 ? 0 : n;
}

export function statusNumber(code: StatusCode): number {
  const n = STATUS_BY_NUMBER.indexOf(code);
  return n < 0 ? 0 : n;
}

/** `SPAN_KIND_SERVER` → 2; undefined when not a known name. */
export function kindFromName(name: string): SpanKind | undefined {
  const upper = name.toUpperCase();
  const bare = upper.startsWith('SPAN_KIND_') ? upper.slice(10) : upper;
  const kind = bare.toLowerCase() as SpanKind;
  return KIND_BY_NUMBER.includes(kind) ? kind : undefined;
}

/** `STATUS_CODE_ERROR` → 'error'; undefined when not a known name. */
export function statusFromName(name: string): StatusCode | undefined {
  const upper = name.toUpperCase();
  const bare = upper.startsWith('STATUS_CODE_') ? upper.slice(12) : upper;
  const code = bare.toLowerCase() as StatusCode;
  return STATUS_BY_NUMBER.includes(code) ? code : undefined;
}
