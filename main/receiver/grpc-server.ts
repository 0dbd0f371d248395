// OTLP/gRPC: the TraceService/Export method registered with a hand-written service definition
// whose (de)serialisers are our codec functions (no proto loading at run time). grpc-js inflates
// gzip messages and enforces the size cap (RESOURCE_EXHAUSTED); undecodable payloads get
// INVALID_ARGUMENT, a full ingest queue UNAVAILABLE (retryable).
import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import { decodeOtlpProtobuf, encodeExportTraceServiceResponse, type OtlpDecodeResult } from '../../shared/otlp';
import type { IngestQueue } from './ingest-queue';
import type { ReceiverStats } from './stats';

export const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';

const UNDECODABLE = 'Undecodable OTLP protobuf payload:';

type DecodedRequest = { ok: true; result: OtlpDecodeResult } | { ok: false; message: string };
type Partial = { rejectedSpans: number; errorMessage?: string } | undefined;

function deserializeRequest(bytes: Buffer): DecodedRequest {
  // Decoding failures become a value so the handler can answer INVALID_ARGUMENT with the reason
  // (a throwing deserializer would surface as INTERNAL).
  try {
    return { ok: true, result: decodeOtlpProtobuf(bytes) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

export const traceServiceDefinition: ServiceDefinition = {
  Export: {
    path: `/${TRACE_SERVICE}/Export`,
    requestStream: false,
    responseStream: false,
    // Client side is not ours; requests are already bytes when anyone serialises them here.
    requestSerialize: (value: Uint8Array) => Buffer.from(value),
    requestDeserialize: deserializeRequest,
    responseSerialize: (partial: Partial) => Buffer.from(encodeExportTraceServiceResponse(partial)),
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

export interface GrpcReceiverOptions {
  maxMessageBytes: number;
}

export function createGrpcReceiver(queue: IngestQueue, stats: ReceiverStats, options: GrpcReceiverOptions): Server {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  server.addService(traceServiceDefinition, {
    Export: (call: ServerUnaryCall<DecodedRequest, Partial>, callback: sendUnaryData<Partial>) => {
      stats.grpcRequests++;
      const request = call.request;
      if (!request.ok) {
        stats.grpcRejected++;
        stats.decodeErrors++;
        // The decoder's own errors already start with what they are; say it once.
        const details = request.message.startsWith(UNDECODABLE) ? request.message : `${UNDECODABLE} ${request.message}`;
        callback({ code: status.INVALID_ARGUMENT, details });
        return;
      }
      const { spans, rejectedSpans, errorMessage, wire } = request.result;
      if (queue.failing) {
        stats.throttled++;
        callback({ code: status.UNAVAILABLE, details: 'The trace store is not accepting spans right now; retry later.' });
        return;
      }
      if (!queue.offer(spans, wire)) {
        stats.throttled++;
        callback({ code: status.UNAVAILABLE, details: 'The receiver is saturated (ingest queue full); retry later.' });
        return;
      }
      stats.spansAccepted += spans.length;
      stats.spansRejected += rejectedSpans;
      stats.traceRequests++;
      callback(null, rejectedSpans > 0 ? { rejectedSpans, ...(errorMessage ? { errorMessage } : {}) } : undefined);
    },
  });
  return server;
}

export function bindGrpc(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
  });
}
