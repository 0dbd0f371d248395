// A live collection window for `clnrm suggest|generate --live SECONDS`: the OTLP receiver (HTTP and
// gRPC, loopback only) takes spans for the window — or until the user stops it — and the spans become
// runs: one per `clnrm.run_id` resource attribute where spans carry one (a test run tags its spans so),
// otherwise one per trace.
import { StudioError } from '../../shared/errors';
import type { MiningRun } from '../../shared/intelligence';
import type { Span } from '../../shared/model';
import { createReceiver, type Receiver } from '../receiver';
import { runTag, type LoadedRuns } from './sources';

export interface LiveWindow {
  readonly seconds: number;
  readonly httpPort: number;
  readonly grpcPort: number;
}

export interface LiveHooks {
  /** The window is open: where senders should send. */
  onListening(http: string, grpc: string): void;
  /** Ends the window early (Ctrl-C); what arrived so far is kept. */
  readonly stopSignal: AbortSignal;
  onError(error: unknown): void;
}

/** One run per clnrm.run_id, else per trace; runs ordered by id (deterministic). */
export function runsOfSpans(spans: readonly Span[]): MiningRun[] {
  const runs = new Map<string, Span[]>();
  for (const s of spans) {
    const tag = runTag(s);
    const id = tag === undefined ? `trace:${s.traceId}` : `run:${tag}`;
    const list = runs.get(id);
    if (list) list.push(s);
    else runs.set(id, [s]);
  }
  return [...runs.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, list]) => ({ id, spans: list }));
}

function windowEnd(seconds: number, stop: AbortSignal): Promise<'elapsed' | 'stopped'> {
  if (stop.aborted) return Promise.resolve('stopped');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', onStop);
      resolve('elapsed');
    }, seconds * 1000);
    const onStop = () => {
      clearTimeout(timer);
      resolve('stopped');
    };
    stop.addEventListener('abort', onStop, { once: true });
  });
}

export async function collectLive(window: LiveWindow, hooks: LiveHooks): Promise<LoadedRuns> {
  const spans: Span[] = [];
  let receiver: Receiver;
  try {
    receiver = await createReceiver({ sink: (batch) => void spans.push(...batch), host: '127.0.0.1', httpPort: window.httpPort, grpcPort: window.grpcPort, onError: hooks.onError });
  } catch (error) {
    throw new StudioError({ code: 'suggest.live', message: `the live window's receiver could not start: ${(error as Error).message} (choose other ports with --http-port/--grpc-port; 0 = any free port)` });
  }
  hooks.onListening(`http://127.0.0.1:${receiver.http!.port}/v1/traces`, `127.0.0.1:${receiver.grpc!.port}`);
  const how = await windowEnd(window.seconds, hooks.stopSignal);
  // Stops listening, then hands every span already accepted to the sink.
  await receiver.dispose();
  const runs = runsOfSpans(spans);
  const notes = [`live window ${how === 'stopped' ? 'stopped early' : `of ${window.seconds} s ended`}: ${spans.length} span(s) in ${runs.length} run(s)`];
  if (spans.length === 0) throw new StudioError({ code: 'suggest.live', message: `no spans arrived during the live window (${how === 'stopped' ? 'stopped early' : `${window.seconds} s`}); point the system's OTLP exporter at the addresses printed and collect for longer` });
  return { runs, warnings: [], notes };
}
