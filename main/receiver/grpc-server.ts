// OTLP/gRPC: the TraceService/Export method registered with a hand-written service definition
// whose (de)serialisers pass bytes through (no proto loading at run time): the handler admits a
// request by size before decoding it with our codec. grpc-js inflates gzip messages and enforces
// the size cap (RESOURCE_EXHAUSTED); undecodable payloads get INVALID_ARGUMENT, a full ingest queue
// or a store that could not take the spans UNAVAILABLE (retryable). Answers come once stored (or
// queued, with --ack=queued).
import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import { decodeOtlpProtobuf, encodeExportTraceServiceResponse, type OtlpDecodeResult } from '../../shared/otlp';
import type { IngestQueue } from './ingest-queue';
import type { ReceiverStats } from './stats';

export const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';

const UNDECODABLE = 'Undecodable OTLP protobuf payload:';

type Partial = { rejectedSpans: number; errorMessage?: string } | undefined;

export const traceServiceDefinition: ServiceDefinition = {
  Export: {
    path: `/${TRACE_SERVICE}/Export`,
    requestStream: false,
    responseStream: false,
    // Client side is not ours; requests are already bytes when anyone serialises them here.
    requestSerialize: (value: Uint8Array) => Buffer.from(value),
    requestDeserialize: (bytes: Buffer) => bytes,
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
  const unavailable = (callback: sendUnaryData<Partial>, details: string) => {
    stats.throttled++;
    callback({ code: status.UNAVAILABLE, details });
  };
  const exportSpans = async (bytes: Buffer, callback: sendUnaryData<Partial>): Promise<void> => {
    let decoded: OtlpDecodeResult | undefined;
    try {
      decoded = decodeOtlpProtobuf(bytes);
    } catch (error) {
      stats.grpcRejected++;
      stats.decodeErrors++;
      // The decoder's own errors already start with what they are; say it once.
      const message = (error as Error).message;
      callback({ code: status.INVALID_ARGUMENT, details: message.startsWith(UNDECODABLE) ? message : `${UNDECODABLE} ${message}` });
      return;
    }
    if (queue.failing) return unavailable(callback, 'The trace store is not accepting spans right now; retry later.');
    const stored = queue.offer(decoded.spans, decoded.wire);
    if (!stored) return unavailable(callback, 'The receiver is saturated (ingest queue full); retry later.');
    // Only counts wait for the commit (as in the HTTP receiver): the spans can be collected once the store took them.
    const { rejectedSpans, errorMessage } = decoded;
    const accepted = decoded.spans.length;
    decoded = undefined;
    try {
      await stored;
    } catch (error) {
      callback({ code: status.UNAVAILABLE, details: `The spans could not be stored (${(error as Error).message}); retry later.` });
      return;
    }
    stats.spansAccepted += accepted;
    stats.spansRejected += rejectedSpans;
    stats.traceRequests++;
    callback(null, rejectedSpans > 0 ? { rejectedSpans, ...(errorMessage ? { errorMessage } : {}) } : undefined);
  };
  server.addService(traceServiceDefinition, {
    Export: (call: ServerUnaryCall<Buffer, Partial>, callback: sendUnaryData<Partial>) => {
      stats.grpcRequests++;
      // Admitted by size before it is decoded: a burst of large messages is refused, not decoded at once.
      const admission = queue.admit(call.request.length);
      if (!admission) return unavailable(callback, 'The receiver is saturated (too many request bytes waiting); retry later.');
      exportSpans(call.request, callback)
        .catch((error: unknown) => callback({ code: status.INTERNAL, details: `internal receiver error: ${(error as Error).message}` }))
        .finally(() => admission.release());
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
