// zod schemas for the span model (shared/model) as it crosses the IPC boundary. Kept beside the
// contract so both transports (Electron IPC, browser-mode WebSocket) check spans the same way.
import { z } from 'zod';
import type { AnyValue, KeyValue, Span } from '../model';

const hex = (len: number) => z.string().regex(new RegExp(`^[0-9a-f]{${len}}$`), `expected ${len} lowercase hex characters`);
const unixNano = z.string().regex(/^\d{1,20}$/, 'expected nanoseconds since the epoch as a decimal string');

export const TraceIdSchema = hex(32);
export const SpanIdSchema = hex(16);

/** Most evidence spans one verdict carries (the runner's reports show the first few too). */
export const MAX_EVIDENCE_PER_VERDICT = 100;
/** A span an expectation looked at: where it is, so the UI can open its trace with it selected. */
export const EvidenceSpanSchema = z.object({ traceId: TraceIdSchema, spanId: SpanIdSchema, name: z.string() });
export type EvidenceSpan = z.infer<typeof EvidenceSpanSchema>;

export const AnyValueSchema: z.ZodType<AnyValue> = z.lazy(() =>
  z.union([
    z.object({ stringValue: z.string() }).strict(),
    z.object({ boolValue: z.boolean() }).strict(),
    z.object({ intValue: z.string().regex(/^-?\d{1,20}$/, 'expected an int64 decimal string') }).strict(),
    z.object({ doubleValue: z.number() }).strict(),
    z.object({ bytesValue: z.string() }).strict(),
    z.object({ arrayValue: z.object({ values: z.array(AnyValueSchema) }) }).strict(),
    z.object({ kvlistValue: z.object({ values: z.array(KeyValueSchema) }) }).strict(),
    z.object({}).strict(),
  ]),
) as z.ZodType<AnyValue>;

export const KeyValueSchema: z.ZodType<KeyValue> = z.lazy(() => z.object({ key: z.string(), value: AnyValueSchema }));

const attributes = z.array(KeyValueSchema);

/** Typed as the model's Span: a checked span is a Span, with no cast between the store's and the contract's. */
export const SpanSchema: z.ZodType<Span> = z.object({
  traceId: TraceIdSchema,
  spanId: SpanIdSchema,
  parentSpanId: SpanIdSchema.optional(),
  traceState: z.string().optional(),
  flags: z.number().int().nonnegative().optional(),
  name: z.string(),
  kind: z.enum(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']),
  startTimeUnixNano: unixNano,
  endTimeUnixNano: unixNano,
  attributes,
  droppedAttributesCount: z.number().int().nonnegative().optional(),
  events: z.array(
    z.object({ name: z.string(), timeUnixNano: unixNano, attributes, droppedAttributesCount: z.number().int().nonnegative().optional() }),
  ),
  droppedEventsCount: z.number().int().nonnegative().optional(),
  links: z.array(
    z.object({
      traceId: TraceIdSchema,
      spanId: SpanIdSchema,
      traceState: z.string().optional(),
      attributes,
      droppedAttributesCount: z.number().int().nonnegative().optional(),
      flags: z.number().int().nonnegative().optional(),
    }),
  ),
  droppedLinksCount: z.number().int().nonnegative().optional(),
  status: z.object({ code: z.enum(['unset', 'ok', 'error']), message: z.string().optional() }),
  resource: z.object({ attributes, droppedAttributesCount: z.number().int().nonnegative().optional(), schemaUrl: z.string().optional() }),
  scope: z.object({
    name: z.string(),
    version: z.string().optional(),
    attributes: attributes.optional(),
    droppedAttributesCount: z.number().int().nonnegative().optional(),
    schemaUrl: z.string().optional(),
  }),
  serviceName: z.string(),
  startUs: z.number(),
  durationUs: z.number().nonnegative(),
});
