// The OTLP receiver's public surface.
export { ACK_MODES, ACK_OPTION_HELP, createReceiver, DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUEUED_BYTES, type AckMode, type Receiver, type ReceiverOptions } from './receiver';
export type { ReceiverStats } from './stats';
export type { SpanSink } from './ingest-queue';
export { TRACE_SERVICE, traceServiceDefinition } from './grpc-server';
