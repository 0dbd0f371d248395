// The span model every layer speaks. OTLP-shaped so nothing is lost on the way in or out:
// ids are lowercase hex, timestamps are the original nanosecond decimal strings (exact, no float
// loss), attribute values keep their OTLP type. Numeric microsecond fields are derived once, where
// data enters, for computation (durations, layout, percentiles).

/** An OTLP AnyValue. `intValue` is a decimal string so int64 survives; `bytesValue` is base64. */
export type AnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly bytesValue: string }
  | { readonly arrayValue: { readonly values: readonly AnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly KeyValue[] } }
  | { readonly emptyValue?: undefined };

export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export const SPAN_KINDS: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export type StatusCode = 'unset' | 'ok' | 'error';

export interface SpanStatus {
  readonly code: StatusCode;
  readonly message?: string;
}

export interface SpanEvent {
  readonly name: string;
  /** Nanoseconds since the Unix epoch, decimal string, exactly as received. */
  readonly timeUnixNano: string;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount?: number;
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState?: string;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount?: number;
  readonly flags?: number;
}

/** Shared by every span of one OTLP ResourceSpans (same object reference). */
export interface Resource {
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount?: number;
  readonly schemaUrl?: string;
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly attributes?: readonly KeyValue[];
  readonly droppedAttributesCount?: number;
  readonly schemaUrl?: string;
}

export interface Span {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  /** 16 lowercase hex characters. */
  readonly spanId: string;
  /** 16 lowercase hex characters, or undefined for a root span. */
  readonly parentSpanId?: string;
  readonly traceState?: string;
  readonly flags?: number;
  readonly name: string;
  readonly kind: SpanKind;
  /** Nanoseconds since the Unix epoch, decimal string, exactly as received. */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount?: number;
  readonly events: readonly SpanEvent[];
  readonly droppedEventsCount?: number;
  readonly links: readonly SpanLink[];
  readonly droppedLinksCount?: number;
  readonly status: SpanStatus;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;

  // Derived once where the span enters (see `deriveTiming`), for computation only.
  /** `service.name` of the resource, or 'unknown_service'. */
  readonly serviceName: string;
  /** Start in microseconds since the epoch (fractional part keeps sub-µs precision). */
  readonly startUs: number;
  /** Duration in microseconds (>= 0; a span that ends before it starts counts as 0). */
  readonly durationUs: number;
}

export const UNKNOWN_SERVICE = 'unknown_service';
