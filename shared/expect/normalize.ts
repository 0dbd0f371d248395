// Which attributes count for determinism: the hash and the trace diff both ignore these.
import { nameMatcher } from './trace-index';

/** Attribute keys whose values differ between identical runs (span and event attributes; resources count only by service name). */
export const NONDETERMINISTIC_ATTRIBUTES: readonly string[] = [
  // ids
  'trace_id', 'span_id', 'parent_id', 'traceId', 'spanId', 'request.id', 'request_id', 'correlation_id',
  'service.instance.id', 'container.id', 'container.name', 'k8s.pod.name', 'k8s.pod.uid', 'host.id',
  'test.run_id', 'clnrm.run_id', 'run.id',
  // hosts, addresses, ephemeral ports
  'host.name', 'host.ip', 'host.mac', 'net.host.name', 'net.host.ip', 'net.host.port', 'net.sock.host.addr',
  'net.sock.host.port', 'net.sock.peer.addr', 'net.sock.peer.port', 'network.local.address', 'network.local.port',
  'network.peer.port', 'client.address', 'client.port', 'net.peer.port', 'net.peer.ip',
  // processes and threads
  'process.pid', 'process.parent_pid', 'process.command_line', 'process.start_time', 'thread.id', 'thread.name',
  // time
  'timestamp', 'time', 'start_time', 'end_time', 'duration', 'duration_ms', 'duration_us', 'elapsed_ms',
  // stack traces carry addresses and line numbers of the run
  'exception.stacktrace',
];

/** Key patterns treated as nondeterministic as well (`*` is a glob). */
export const NONDETERMINISTIC_PATTERNS: readonly string[] = ['*.timestamp', '*_timestamp', '*.time_unix_nano', '*.pid', '*.thread_id'];

export interface NormalizeOptions {
  /** Extra attribute keys (exact, or globs with `*`) to ignore, e.g. from `[determinism]`. */
  readonly excludeAttributes?: readonly string[] | undefined;
}

/** A predicate telling which attribute keys are kept for hashing and diffing. */
export function keepAttribute(options: NormalizeOptions = {}): (key: string) => boolean {
  const exact = new Set(NONDETERMINISTIC_ATTRIBUTES);
  const globs: ((k: string) => boolean)[] = NONDETERMINISTIC_PATTERNS.map(nameMatcher);
  for (const k of options.excludeAttributes ?? []) {
    if (k.includes('*')) globs.push(nameMatcher(k));
    else exact.add(k);
  }
  const cache = new Map<string, boolean>();
  return (key) => {
    let keep = cache.get(key);
    if (keep === undefined) {
      keep = !exact.has(key) && !globs.some((g) => g(key));
      cache.set(key, keep);
    }
    return keep;
  };
}
