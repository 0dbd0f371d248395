// Counters the receiver keeps (what arrived, what was refused and why), for `clnrm collect` and the UI.
export interface ReceiverStats {
  httpRequests: number;
  grpcRequests: number;
  traceRequests: number;
  logsRequests: number;
  metricsRequests: number;
  spansAccepted: number;
  /** Spans the decoder refused inside otherwise valid requests (partial success). */
  spansRejected: number;
  /** HTTP requests answered with a 4xx. */
  httpRejected: number;
  grpcRejected: number;
  decodeErrors: number;
  /** Requests refused because the ingest queue was full. */
  throttled: number;
  httpErrors: number;
}

export function emptyStats(): ReceiverStats {
  return {
    httpRequests: 0,
    grpcRequests: 0,
    traceRequests: 0,
    logsRequests: 0,
    metricsRequests: 0,
    spansAccepted: 0,
    spansRejected: 0,
    httpRejected: 0,
    grpcRejected: 0,
    decodeErrors: 0,
    throttled: 0,
    httpErrors: 0,
  };
}
