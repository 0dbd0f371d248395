// `[otel]`: how the system under test exports spans (clnrm's OtelConfig), plus the top-level
// `[otel_headers]` / `[otel_propagators]` tables clnrm also accepts.
import { z } from 'zod';
import { num, oneOf, shape, str, stringMap, strArray } from './common';

export const EXPORTERS = ['stdout', 'otlp', 'jaeger', 'zipkin'] as const;
export const PROTOCOLS = ['http/protobuf', 'grpc', 'http/json'] as const;

export const propagatorsSchema = z.object(
  { use: strArray('an array of propagator names like ["tracecontext", "baggage"]') },
  shape('a table like { use = ["tracecontext", "baggage"] }'),
);

export const otelSchema = z.object(
  {
    exporter: oneOf(EXPORTERS, 'an exporter name'),
    endpoint: str('an endpoint URL like "http://localhost:4318"').optional(),
    protocol: oneOf(PROTOCOLS, 'a protocol').optional(),
    sample_ratio: num('a number between 0.0 and 1.0 like 1.0')
      .min(0, 'must be between 0.0 and 1.0')
      .max(1, 'must be between 0.0 and 1.0')
      .optional(),
    resources: stringMap('a table of resource attributes like { "service.name" = "api" }').optional(),
    headers: stringMap('a table of headers like { Authorization = "Bearer ..." }').optional(),
    propagators: propagatorsSchema.optional(),
  },
  shape('a table [otel] with exporter = "otlp"'),
);

export const otelHeadersSchema = stringMap('a table of headers like { Authorization = "Bearer ..." }');

export type OtelSection = z.infer<typeof otelSchema>;
