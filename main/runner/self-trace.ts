// The runner traces itself: `clnrm.run` (root), `clnrm.test`, `clnrm.scenario`, `clnrm.service.start`,
// `clnrm.container.start|exec|stop`, `clnrm.step:<name>`. Spans are built with the shared model and
// handed to a sink (the store) when they end, so the studio shows a run's own timeline beside the
// system's spans. Each span is also kept on the test it belongs to: `clnrm self-test` evaluates
// expectations over them.
import { randomBytes } from 'node:crypto';
import { buildSpan, fromPlain, type KeyValue, type Resource, type Span, type SpanEvent, type SpanKind, type SpanStatus } from '../../shared/model';

export type AttributeValues = Record<string, string | number | boolean | undefined>;

/** Epoch milliseconds (fractional) → exact nanoseconds as a decimal string. */
export function msToNanoString(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

function toAttributes(values: AttributeValues): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out.push({ key, value: fromPlain(value) });
  }
  return out;
}

export interface OpenSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  /** Ends the span (once) with more attributes and a status; returns it. */
  end(attributes?: AttributeValues, status?: SpanStatus, endMs?: number): Span | undefined;
  /** Records an event (e.g. `container.start`) on the span, now or at `atMs`. */
  event(name: string, attributes?: AttributeValues, atMs?: number): void;
  /** Starts a child span of this one (kind `internal` unless said). */
  child(name: string, attributes?: AttributeValues, startMs?: number, kind?: SpanKind): OpenSpan;
  /** Starts a child whose spans (its own and its descendants') are also pushed onto `collector`. */
  childCollecting(name: string, attributes: AttributeValues, collector: Span[]): OpenSpan;
}

/** Receives every finished span. */
export type SpanSinkFn = (span: Span) => void;

export class SelfTracer {
  private readonly resource: Resource;

  /**
   * `runId` tags the runner's spans (`clnrm.run_id`) apart from any scenario's own spans. `resource`
   * adds to (and wins over) those resource attributes, e.g. `OTEL_RESOURCE_ATTRIBUTES` of an inner
   * `clnrm self-test` that reports to an outer run.
   */
  constructor(
    private readonly sink: SpanSinkFn,
    readonly runId: string,
    resource: AttributeValues = {},
  ) {
    this.resource = {
      attributes: toAttributes({ 'service.name': 'clnrm', 'service.version': '0.1.0', 'clnrm.run_id': runId, 'clnrm.scenario': 'clnrm.runner', ...resource }),
    };
  }

  /** A root span in a fresh trace. */
  root(name: string, attributes: AttributeValues = {}): OpenSpan {
    return this.open(randomBytes(16).toString('hex'), undefined, name, attributes, nowMs(), []);
  }

  private open(traceId: string, parentSpanId: string | undefined, name: string, attributes: AttributeValues, startMs: number, collectors: Span[][], kind: SpanKind = 'internal'): OpenSpan {
    const spanId = randomBytes(8).toString('hex');
    let ended: Span | undefined;
    const attrs: AttributeValues = { ...attributes };
    const events: SpanEvent[] = [];
    const self: OpenSpan = {
      traceId,
      spanId,
      name,
      end: (more = {}, status = { code: 'unset' }, endMs = nowMs()) => {
        if (ended) return ended;
        ended = buildSpan({
          traceId,
          spanId,
          parentSpanId,
          name,
          kind,
          startTimeUnixNano: msToNanoString(startMs),
          endTimeUnixNano: msToNanoString(Math.max(endMs, startMs)),
          attributes: toAttributes({ ...attrs, ...more }),
          events,
          status,
          resource: this.resource,
          scope: { name: 'cleanroom.runner', version: '0.1.0' },
        });
        for (const list of collectors) list.push(ended);
        this.sink(ended);
        return ended;
      },
      event: (eventName, eventAttributes = {}, atMs = nowMs()) => {
        if (!ended) events.push({ name: eventName, timeUnixNano: msToNanoString(atMs), attributes: toAttributes(eventAttributes) });
      },
      child: (childName, childAttributes = {}, childStart = nowMs(), childKind = 'internal') =>
        this.open(traceId, spanId, childName, childAttributes, childStart, collectors, childKind),
      childCollecting: (childName, childAttributes, collector) => this.open(traceId, spanId, childName, childAttributes, nowMs(), [...collectors, collector]),
    };
    return self;
  }
}

export const errorStatus = (message: string): SpanStatus => ({ code: 'error', message });
