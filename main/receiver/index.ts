// The OTLP receiver's public surface.
export { createReceiver, DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_MAX_BODY_BYTES, type Receiver, type ReceiverOptions } from './receiver';
export type { ReceiverStats } from './stats';
export type { SpanSink } from './ingest-queue';
export { TRACE_SERVICE, traceServiceDefinition } from './grpc-server';
