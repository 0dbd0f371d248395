// The runner traces itself the way clnrm does, so a clnrm user's expectations about `clnrm.run`,
// `clnrm.service.start`, `clnrm.step:<name>`, `clnrm.cleanup`… answer here as they do there (names,
// kinds, parents, attributes and events: see the runner README's "The runner's own trace").
// Spans are built with the shared model and handed to a sink (the store) when they end. An open span
// can be read as it is now (`snapshot`), which is how a test's expectations see `clnrm.run` while
// the run is still going.
import { randomBytes } from 'node:crypto';
import { buildSpan, fromPlain, type KeyValue, type Resource, type Span, type SpanEvent, type SpanKind, type SpanStatus } from '../../shared/model';

export type AttributeValues = Record<string, string | number | boolean | undefined>;

/** The version our spans report as `clnrm.version` and `service.version`. */
export const CLNRM_VERSION = '0.1.0';

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
  /** Adds attributes to the span before it ends. */
  set(attributes: AttributeValues): void;
  /** Records an event (clnrm's `container.start`, `container.exec`, …) at `atMs` (default now). */
  event(name: string, attributes?: AttributeValues, atMs?: number): void;
  /** Ends the span (once) with more attributes and a status; returns it. */
  end(attributes?: AttributeValues, status?: SpanStatus, endMs?: number): Span;
  /** The span as it is now, ending now, without ending it (or the ended span). */
  snapshot(attributes?: AttributeValues): Span;
  /** Starts a child span in this span's trace, under `tracer`'s resource (default this span's). */
  child(name: string, attributes?: AttributeValues, options?: { startMs?: number; kind?: SpanKind; tracer?: SelfTracer }): OpenSpan;
}

/** Receives every finished span. */
export type SpanSinkFn = (span: Span) => void;

/** The instrumentation scope of every span the runner makes about itself. */
export const RUNNER_SCOPE = 'cleanroom.runner';

/** The resources of the runner's tracers: a span built by one of them is the runner's own. */
const runnerResources = new WeakSet<Resource>();

/** Whether the runner itself made this span (as ingested: spans read back from the database are new objects). */
export function isRunnerSpan(span: Span): boolean {
  return runnerResources.has(span.resource);
}

export class SelfTracer {
  private readonly resource: Resource;

  /**
   * `resourceTags` are added to the resource of every span (`clnrm.run_id`, and for the spans of one
   * execution `clnrm.execution_id`), which is how the store files them with the run and the execution.
   */
  constructor(
    private readonly sink: SpanSinkFn,
    readonly resourceTags: Readonly<Record<string, string>>,
  ) {
    this.resource = { attributes: toAttributes({ 'service.name': 'clnrm', 'service.version': CLNRM_VERSION, ...resourceTags }) };
    runnerResources.add(this.resource);
  }

  /** The same sink with more resource tags (an execution's spans); ended spans also go to `collector`. */
  with(tags: Readonly<Record<string, string>>, collector?: Span[]): SelfTracer {
    const sink: SpanSinkFn = collector ? (span) => (collector.push(span), this.sink(span)) : this.sink;
    return new SelfTracer(sink, { ...this.resourceTags, ...tags });
  }

  /** A root span in a fresh trace. */
  root(name: string, attributes: AttributeValues = {}): OpenSpan {
    return this.open(randomBytes(16).toString('hex'), undefined, name, attributes, nowMs(), 'internal');
  }

  private open(traceId: string, parentSpanId: string | undefined, name: string, attributes: AttributeValues, startMs: number, kind: SpanKind): OpenSpan {
    const spanId = randomBytes(8).toString('hex');
    let ended: Span | undefined;
    const attrs: AttributeValues = { ...attributes };
    const events: SpanEvent[] = [];
    const build = (more: AttributeValues, status: SpanStatus, endMs: number): Span =>
      buildSpan({
        traceId,
        spanId,
        parentSpanId,
        name,
        kind,
        startTimeUnixNano: msToNanoString(startMs),
        endTimeUnixNano: msToNanoString(Math.max(endMs, startMs)),
        attributes: toAttributes({ ...attrs, ...more }),
        events: [...events],
        status,
        resource: this.resource,
        scope: { name: RUNNER_SCOPE, version: CLNRM_VERSION },
      });
    return {
      traceId,
      spanId,
      name,
      set: (more) => void Object.assign(attrs, more),
      event: (eventName, eventAttributes = {}, atMs = nowMs()) => {
        if (!ended) events.push({ name: eventName, timeUnixNano: msToNanoString(atMs), attributes: toAttributes(eventAttributes) });
      },
      end: (more = {}, status = { code: 'unset' }, endMs = nowMs()) => {
        if (ended) return ended;
        ended = build(more, status, endMs);
        this.sink(ended);
        return ended;
      },
      snapshot: (more = {}) => ended ?? build(more, { code: 'unset' }, nowMs()),
      child: (childName, childAttributes = {}, options = {}) =>
        (options.tracer ?? this).open(traceId, spanId, childName, childAttributes, options.startMs ?? nowMs(), options.kind ?? 'internal'),
    };
  }
}

export const errorStatus = (message: string): SpanStatus => ({ code: 'error', message });
