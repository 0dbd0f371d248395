// OpenTelemetry setup for one demo service: the real Node SDK exporting OTLP/HTTP (JSON) to
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_TRACES_EXPORTER=none turns
// export off), resource from OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES, W3C traceparent propagation. `shutdownTracing()` flushes pending spans.
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let provider;

/** Starts the SDK once; `fallbackName` is the service name when OTEL_SERVICE_NAME is not set. */
export function startTracing(fallbackName) {
  if (provider) return trace.getTracer('cleanroom-demo');
  // Later merges win: the env (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) overrides our fallback name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': fallbackName, 'service.version': '0.1.0' }))
    .merge(detectResources({ detectors: [envDetector] }));
  // OTEL_TRACES_EXPORTER=none (the standard switch) keeps the spans in-process: no exporter at all.
  const exporting = (process.env.OTEL_TRACES_EXPORTER ?? 'otlp').trim().toLowerCase() !== 'none';
  provider = new NodeTracerProvider({
    resource,
    // Short delay so a test sees spans quickly; shutdown flushes whatever is left.
    spanProcessors: exporting ? [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 200 })] : [],
  });
  // Installs the async-hooks context manager and the W3C trace-context + baggage propagators.
  provider.register();
  return trace.getTracer('cleanroom-demo', '0.1.0');
}

export async function shutdownTracing() {
  if (!provider) return;
  const current = provider;
  provider = undefined;
  await current.shutdown();
}
