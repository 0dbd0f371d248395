// `clnrm collect --forward URL`: every batch the collector receives is also sent on, as OTLP/HTTP
// protobuf, to another receiver (e.g. the run's, when `clnrm collect` stands in for a test's own
// collector such as Jaeger). Batches go out in order; a failed forward is reported, never retried.
import { encodeOtlpProtobuf } from '../../../shared/otlp';
import type { Span } from '../../../shared/model';
import { tracesUrl } from '../../runner/self-test-export';

export interface Forwarder {
  send(spans: readonly Span[]): void;
  /** Resolves when every batch handed over so far has been answered. */
  drain(): Promise<void>;
  readonly failures: number;
}

export function createForwarder(endpoint: string, onError: (message: string) => void): Forwarder {
  const url = tracesUrl(endpoint);
  let chain: Promise<void> = Promise.resolve();
  let failures = 0;
  const post = async (spans: readonly Span[]): Promise<void> => {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(encodeOtlpProtobuf(spans)), signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      failures++;
      onError(`forwarding ${spans.length} span(s) to ${url.href} failed: ${(error as Error).message}`);
    }
  };
  return {
    send: (spans) => void (chain = chain.then(() => post(spans))),
    drain: () => chain,
    get failures() {
      return failures;
    },
  };
}
