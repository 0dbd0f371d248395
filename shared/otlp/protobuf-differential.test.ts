// Differential tests: protobufjs, with the OTLP schema declared here (fixtures/otlp-trace-proto.ts),
// is the reference. Random requests encoded by protobufjs must decode with our decoder to exactly
// what protobufjs decodes from the same bytes; bytes from our encoder must decode in protobufjs to
// the spans we encoded.
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { AnyValue, InstrumentationScope, KeyValue, Resource, Span } from '../model';
import { SPAN_KINDS, buildSpan } from '../model';
import { decodeOtlpProtobuf, encodeOtlpProtobuf } from './index';
import { spansArb } from './fixtures/arbitraries';
import { OTLP_TRACE_PROTO } from './fixtures/otlp-trace-proto';
import { groupSpans } from './group';

const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: true }).root;
const Request = root.lookupType('otlp.ExportTraceServiceRequest');
const STATUS = ['unset', 'ok', 'error'] as const;

type Obj = Record<string, unknown>;
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const hex = (bytes: unknown) => Buffer.from((bytes as number[] | undefined) ?? []).toString('hex');

// ---- our model → protobufjs plain object (fromObject input) ----
function toProtoValue(v: AnyValue): Obj {
  if ('stringValue' in v) return { string_value: v.stringValue };
  if ('boolValue' in v) return { bool_value: v.boolValue };
  if ('intValue' in v) return { int_value: v.intValue };
  if ('doubleValue' in v) return { double_value: v.doubleValue };
  if ('bytesValue' in v) return { bytes_value: v.bytesValue };
  if ('arrayValue' in v) return { array_value: { values: v.arrayValue.values.map(toProtoValue) } };
  if ('kvlistValue' in v) return { kvlist_value: { values: toProtoAttrs(v.kvlistValue.values) } };
  return {};
}
const toProtoAttrs = (kvs: readonly KeyValue[]) => kvs.map((kv) => ({ key: kv.key, value: toProtoValue(kv.value) }));

function toProtoRequest(spans: readonly Span[]): Obj {
  return {
    resource_spans: groupSpans(spans).map((g) => ({
      resource: { attributes: toProtoAttrs(g.resource.attributes), dropped_attributes_count: g.resource.droppedAttributesCount ?? 0 },
      schema_url: g.resource.schemaUrl ?? '',
      scope_spans: g.scopes.map((sg) => ({
        scope: {
          name: sg.scope.name,
          version: sg.scope.version ?? '',
          attributes: toProtoAttrs(sg.scope.attributes ?? []),
          dropped_attributes_count: sg.scope.droppedAttributesCount ?? 0,
        },
        schema_url: sg.scope.schemaUrl ?? '',
        spans: sg.spans.map((s) => ({
          trace_id: b64(s.traceId),
          span_id: b64(s.spanId),
          parent_span_id: b64(s.parentSpanId ?? ''),
          trace_state: s.traceState ?? '',
          flags: s.flags ?? 0,
          name: s.name,
          kind: SPAN_KINDS.indexOf(s.kind),
          start_time_unix_nano: s.startTimeUnixNano,
          end_time_unix_nano: s.endTimeUnixNano,
          attributes: toProtoAttrs(s.attributes),
          dropped_attributes_count: s.droppedAttributesCount ?? 0,
          events: s.events.map((e) => ({
            time_unix_nano: e.timeUnixNano,
            name: e.name,
            attributes: toProtoAttrs(e.attributes),
            dropped_attributes_count: e.droppedAttributesCount ?? 0,
          })),
          dropped_events_count: s.droppedEventsCount ?? 0,
          links: s.links.map((l) => ({
            trace_id: b64(l.traceId),
            span_id: b64(l.spanId),
            trace_state: l.traceState ?? '',
            attributes: toProtoAttrs(l.attributes),
            dropped_attributes_count: l.droppedAttributesCount ?? 0,
            flags: l.flags ?? 0,
          })),
          dropped_links_count: s.droppedLinksCount ?? 0,
          status: { code: STATUS.indexOf(s.status.code), message: s.status.message ?? '' },
        })),
      })),
    })),
  };
}

// ---- protobufjs decoded object (toObject output) → our model, with our canonical rules ----
function fromProtoValue(v: Obj | undefined): AnyValue {
  switch (v?.['value']) {
    case 'string_value':
      return { stringValue: v['string_value'] as string };
    case 'bool_value':
      return { boolValue: v['bool_value'] as boolean };
    case 'int_value':
      return { intValue: v['int_value'] as string };
    case 'double_value':
      return { doubleValue: v['double_value'] as number };
    case 'bytes_value':
      return { bytesValue: Buffer.from(v['bytes_value'] as number[]).toString('base64') };
    case 'array_value':
      return { arrayValue: { values: ((v['array_value'] as Obj)['values'] as Obj[]).map(fromProtoValue) } };
    case 'kvlist_value':
      return { kvlistValue: { values: fromProtoAttrs((v['kvlist_value'] as Obj)['values'] as Obj[]) } };
    default:
      return {};
  }
}
const fromProtoAttrs = (kvs: Obj[]): KeyValue[] => kvs.map((kv) => ({ key: kv['key'] as string, value: fromProtoValue(kv['value'] as Obj | undefined) }));

function optional<T extends object>(base: T, extra: Obj): T {
  const out: Obj = { ...(base as Obj) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '' && v !== 0) out[k] = v;
  return out as T;
}

function fromProtoRequest(message: protobuf.Message): Span[] {
  const req = Request.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: true, oneofs: true }) as Obj;
  const spans: Span[] = [];
  for (const rs of req['resource_spans'] as Obj[]) {
    const r = (rs['resource'] as Obj | null) ?? { attributes: [], dropped_attributes_count: 0 };
    const resource: Resource = optional({ attributes: fromProtoAttrs(r['attributes'] as Obj[]) }, {
      droppedAttributesCount: r['dropped_attributes_count'],
      schemaUrl: rs['schema_url'],
    });
    for (const ss of rs['scope_spans'] as Obj[]) {
      const sc = (ss['scope'] as Obj | null) ?? { name: '', version: '', attributes: [], dropped_attributes_count: 0 };
      const attrs = fromProtoAttrs(sc['attributes'] as Obj[]);
      const scope: InstrumentationScope = optional({ name: sc['name'] as string }, {
        version: sc['version'],
        attributes: attrs.length ? attrs : undefined,
        droppedAttributesCount: sc['dropped_attributes_count'],
        schemaUrl: ss['schema_url'],
      });
      for (const s of ss['spans'] as Obj[]) {
        const status = (s['status'] as Obj | null) ?? { code: 0, message: '' };
        spans.push(
          buildSpan({
            traceId: hex(s['trace_id']),
            spanId: hex(s['span_id']),
            parentSpanId: /^0*$/.test(hex(s['parent_span_id'])) ? undefined : hex(s['parent_span_id']),
            traceState: s['trace_state'] as string,
            flags: (s['flags'] as number) || undefined,
            name: s['name'] as string,
            kind: SPAN_KINDS[s['kind'] as number]!,
            startTimeUnixNano: s['start_time_unix_nano'] as string,
            endTimeUnixNano: s['end_time_unix_nano'] as string,
            attributes: fromProtoAttrs(s['attributes'] as Obj[]),
            droppedAttributesCount: s['dropped_attributes_count'] as number,
            events: (s['events'] as Obj[]).map((e) =>
              optional(
                { name: e['name'] as string, timeUnixNano: e['time_unix_nano'] as string, attributes: fromProtoAttrs(e['attributes'] as Obj[]) },
                { droppedAttributesCount: e['dropped_attributes_count'] },
              ),
            ),
            droppedEventsCount: s['dropped_events_count'] as number,
            links: (s['links'] as Obj[]).map((l) =>
              optional(
                { traceId: hex(l['trace_id']), spanId: hex(l['span_id']), attributes: fromProtoAttrs(l['attributes'] as Obj[]) },
                { traceState: l['trace_state'], droppedAttributesCount: l['dropped_attributes_count'], flags: l['flags'] },
              ),
            ),
            droppedLinksCount: s['dropped_links_count'] as number,
            status: optional({ code: STATUS[status['code'] as number]! }, { message: status['message'] }),
            resource,
            scope,
          }),
        );
      }
    }
  }
  return spans;
}

describe('our protobuf codec against protobufjs', () => {
  it('decodes protobufjs-encoded random requests exactly as protobufjs does', () => {
    fc.assert(
      fc.property(spansArb(), (spans) => {
        const bytes = Request.encode(Request.fromObject(toProtoRequest(spans))).finish();
        const ours = decodeOtlpProtobuf(bytes);
        expect(ours.rejectedSpans).toBe(0);
        expect(ours.spans).toEqual(fromProtoRequest(Request.decode(bytes)));
        expect(ours.spans).toEqual(spans);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes bytes that protobufjs decodes to the spans we encoded', () => {
    fc.assert(
      fc.property(spansArb(), (spans) => {
        expect(fromProtoRequest(Request.decode(encodeOtlpProtobuf(spans)))).toEqual(spans);
      }),
      { numRuns: 300 },
    );
  });
});
