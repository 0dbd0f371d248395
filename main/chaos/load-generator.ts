// The experiments' built-in load generator: steady HTTP requests from the runner to a service's published
// port, each one a client span (`clnrm.load`) with the outcome seen from outside — status code, timeout or
// connection error — so an experiment is judged even when the system emits nothing while it is down. A
// `traceparent` header joins the server's spans to the request's trace. Requests leave on schedule whether
// or not earlier ones have answered (no coordinated omission).
import { randomBytes } from 'node:crypto';
import { buildSpan, fromPlain, millisToUnixNano, type KeyValue, type Span } from '../../shared/model';
import type { PlannedLoad } from '../../shared/chaos/experiment-plan';

export const LOAD_SPAN = 'clnrm.load';
export const LOAD_SERVICE = 'clnrm-load';

export interface LoadOptions {
  readonly load: PlannedLoad;
  /** Where the service's port is published, e.g. { host: '127.0.0.1', port: 49153 }. */
  readonly target: { readonly host: string; readonly port: number };
  /** Resource attributes every span carries (the execution's tags). */
  readonly tags: Readonly<Record<string, string>>;
  /** Receives each finished request's span. */
  readonly sink: (span: Span) => void;
}

const nowMs = (): number => performance.timeOrigin + performance.now();

export class LoadGenerator {
  private timer: NodeJS.Timeout | undefined;
  /** Each request still out, with when it left (epoch ms), oldest first. */
  private readonly inFlight = new Map<Promise<void>, number>();
  private readonly resource;
  private sent = 0;

  constructor(private readonly options: LoadOptions) {
    const attributes: KeyValue[] = Object.entries({ 'service.name': LOAD_SERVICE, ...options.tags }).map(([key, value]) => ({ key, value: fromPlain(value) }));
    this.resource = { attributes };
  }

  /** Starts sending at the planned rate; the n-th request leaves at n / rate seconds. */
  start(): void {
    const begin = nowMs();
    const interval = 1000 / this.options.load.ratePerS;
    const tick = (): void => {
      const due = Math.floor((nowMs() - begin) / interval) + 1;
      while (this.sent < due) {
        this.sent++;
        const leftAt = nowMs();
        const p = this.request().finally(() => this.inFlight.delete(p));
        this.inFlight.set(p, leftAt);
      }
      this.timer = setTimeout(tick, Math.max(1, begin + this.sent * interval - nowMs()));
    };
    tick();
  }

  /** Stops sending and waits for the requests still out (each bounded by the timeout). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight.keys()]);
  }

  /** When the oldest request still out left (epoch ms): every one that left before has its span in the sink. */
  oldestOutMs(): number | undefined {
    return this.inFlight.values().next().value;
  }

  private async request(): Promise<void> {
    const { load, target } = this.options;
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    const start = nowMs();
    const attrs: Record<string, string | number> = { 'http.request.method': load.method, 'url.full': load.url, 'server.address': load.service, 'server.port': load.port };
    let error: string | undefined;
    try {
      const res = await fetch(`http://${target.host}:${target.port}${load.path}`, {
        method: load.method,
        headers: { traceparent: `00-${traceId}-${spanId}-01` },
        signal: AbortSignal.timeout(load.timeoutMs),
      });
      await res.arrayBuffer();
      attrs['http.response.status_code'] = res.status;
      if (res.status >= 500 || res.status === 429) error = String(res.status);
    } catch (e) {
      const name = (e as Error).name;
      error = name === 'TimeoutError' ? 'timeout' : (((e as Error).cause as { code?: string } | undefined)?.code ?? name);
    }
    if (error !== undefined) attrs['error.type'] = error;
    this.options.sink(
      buildSpan({
        traceId,
        spanId,
        name: LOAD_SPAN,
        kind: 'client',
        startTimeUnixNano: millisToUnixNano(start),
        endTimeUnixNano: millisToUnixNano(nowMs()),
        attributes: Object.entries(attrs).map(([key, value]) => ({ key, value: fromPlain(value) })),
        status: error !== undefined ? { code: 'error', message: error } : { code: 'unset' },
        resource: this.resource,
        scope: { name: 'clnrm.chaos' },
      }),
    );
  }
}
