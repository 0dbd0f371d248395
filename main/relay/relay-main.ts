// The cleanroom/otlp-relay image's entry (bundled alone into dist/otlp-relay.cjs, no node_modules): an
// OTLP/HTTP receiver on 0.0.0.0:4318 of its container whose spans go to stdout as relay records. SIGTERM
// (the engine's stop) is the flush request: stop listening, write what is left, the end marker, exit 0.
// Its own messages go to stderr, so stdout carries relay records only.
import { startRelay } from './relay-server';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`otlp-relay: ${name}=${raw} must be a positive integer\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const relay = await startRelay({
    out: process.stdout,
    port: positive('RELAY_PORT', 4318),
    maxQueuedSpans: positive('RELAY_MAX_QUEUED_SPANS', 50_000),
    onError: (error) => process.stderr.write(`otlp-relay: ${(error as Error).message}\n`),
  });
  process.stderr.write(`otlp-relay: listening on 0.0.0.0:${relay.port}\n`);
  const stop = (): void => {
    void relay.finish().then(
      (accepted) => {
        process.stderr.write(`otlp-relay: flushed ${accepted} spans\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`otlp-relay: flush failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`otlp-relay: ${(error as Error).message}\n`);
  process.exit(1);
});
