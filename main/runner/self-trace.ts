// The runner traces itself: `clnrm.run` (root), `clnrm.test`, `clnrm.scenario`, `clnrm.service.start`,
// `clnrm.container.start|exec|stop`, `clnrm.step:<name>`. Spans are built with the shared model and
// handed to a sink (the store) when they end, so the studio shows a run's own timeline beside the
// system's spans. Each span is also kept on the test it belongs to: `clnrm self-test` evaluates
// expectations over them.
import { randomBytes } from 'node:crypto';
import { buildSpan, fromPlain, type KeyValue, type Resource, type Span, type SpanStatus } from '../../shared/model';

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
  /** Starts a child span of this one. */
  child(name: string, attributes?: AttributeValues, startMs?: number): OpenSpan;
  /** Starts a child whose spans (its own and its descendants') are also pushed onto `collector`. */
  childCollecting(name: string, attributes: AttributeValues, collector: Span[]): OpenSpan;
}

/** Receives every finished span. */
export type SpanSinkFn = (span: Span) => void;

export class SelfTracer {
  private readonly resource: Resource;

  /** `runId` tags the runner's spans (`clnrm.run_id`) apart from any scenario's own spans. */
  constructor(
    private readonly sink: SpanSinkFn,
    readonly runId: string,
  ) {
    this.resource = {
      attributes: toAttributes({ 'service.name': 'clnrm', 'service.version': '0.1.0', 'clnrm.run_id': runId, 'clnrm.scenario': 'clnrm.runner' }),
    };
  }

  /** A root span in a fresh trace. */
  root(name: string, attributes: AttributeValues = {}): OpenSpan {
    return this.open(randomBytes(16).toString('hex'), undefined, name, attributes, nowMs(), []);
  }

  private open(traceId: string, parentSpanId: string | undefined, name: string, attributes: AttributeValues, startMs: number, collectors: Span[][]): OpenSpan {
    const spanId = randomBytes(8).toString('hex');
    let ended: Span | undefined;
    const attrs: AttributeValues = { ...attributes };
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
          kind: 'internal',
          startTimeUnixNano: msToNanoString(startMs),
          endTimeUnixNano: msToNanoString(Math.max(endMs, startMs)),
          attributes: toAttributes({ ...attrs, ...more }),
          status,
          resource: this.resource,
          scope: { name: 'cleanroom.runner', version: '0.1.0' },
        });
        for (const list of collectors) list.push(ended);
        this.sink(ended);
        return ended;
      },
      child: (childName, childAttributes = {}, childStart = nowMs()) => this.open(traceId, spanId, childName, childAttributes, childStart, collectors),
      childCollecting: (childName, childAttributes, collector) => this.open(traceId, spanId, childName, childAttributes, nowMs(), [...collectors, collector]),
    };
    return self;
  }
}

export const errorStatus = (message: string): SpanStatus => ({ code: 'error', message });
