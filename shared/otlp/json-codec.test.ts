import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { decodeOtlpJson, encodeOtlpJson, exportTraceServiceResponseJson } from './index';
import { sampleSpans } from './fixtures/sample-spans';

function jsonFailure(input: unknown): StudioError {
  try {
    decodeOtlpJson(input);
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('otlp.decode');
    return error as StudioError;
  }
  throw new Error('expected the input to be rejected');
}

const TRACE = '0AF7651916CD43DD8448EB211C80319C';
const SPAN = 'B7AD6B7169203331';

describe('decodeOtlpJson', () => {
  it('round-trips every part of the model, as an object and as text', () => {
    const spans = sampleSpans();
    const encoded = encodeOtlpJson(spans);
    expect(decodeOtlpJson(encoded).spans).toEqual(spans);
    expect(decodeOtlpJson(JSON.stringify(encoded)).spans).toEqual(spans);
  });

  it('accepts snake_case names, uppercase hex, enum names and int64 as numbers', () => {
    const request = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'api' } }], dropped_attributes_count: 1 },
          schema_url: 'r',
          scope_spans: [
            {
              scope: { name: 's', version: 'v' },
              spans: [
                {
                  trace_id: TRACE,
                  span_id: SPAN,
                  parent_span_id: '',
                  name: 'op',
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: 1700000000000000000,
                  end_time_unix_nano: '1700000000000000500',
                  attributes: [
                    { key: 'n', value: { int_value: 42 } },
                    { key: 'd', value: { double_value: 'NaN' } },
                    { key: 'b', value: { bytes_value: 'AQI' } },
                    { key: 'a', value: { array_value: { values: [{ bool_value: true }] } } },
                    { key: 'k', value: { kvlist_value: { values: [{ key: 'x', value: {} }] } } },
                  ],
                  status: { code: 'STATUS_CODE_ERROR', message: 'bad' },
                  events: [{ time_unix_nano: '5', name: 'e' }],
                  links: [{ trace_id: TRACE, span_id: SPAN, trace_state: 't' }],
                  unknownField: { whatever: true },
                },
              ],
            },
          ],
        },
      ],
    };
    const { spans, rejectedSpans } = decodeOtlpJson(request);
    expect(rejectedSpans).toBe(0);
    const span = spans[0]!;
    expect(span.traceId).toBe(TRACE.toLowerCase());
    expect(span.spanId).toBe(SPAN.toLowerCase());
    expect(span.parentSpanId).toBeUndefined();
    expect(span.kind).toBe('server');
    expect(span.startTimeUnixNano).toBe('1700000000000000000');
    expect(span.durationUs).toBe(0.5);
    expect(span.serviceName).toBe('api');
    expect(span.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'api' } }], droppedAttributesCount: 1, schemaUrl: 'r' });
    expect(span.attributes).toEqual([
      { key: 'n', value: { intValue: '42' } },
      { key: 'd', value: { doubleValue: NaN } },
      { key: 'b', value: { bytesValue: 'AQI=' } },
      { key: 'a', value: { arrayValue: { values: [{ boolValue: true }] } } },
      { key: 'k', value: { kvlistValue: { values: [{ key: 'x', value: {} }] } } },
    ]);
    expect(span.status).toEqual({ code: 'error', message: 'bad' });
    expect(span.events).toEqual([{ name: 'e', timeUnixNano: '5', attributes: [] }]);
    expect(span.links).toEqual([{ traceId: TRACE.toLowerCase(), spanId: SPAN.toLowerCase(), traceState: 't', attributes: [] }]);
  });

  it('keeps bare-number timestamps and int64 values exact when given JSON text', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE}","spanId":"${SPAN}","startTimeUnixNano":18446744073709551615,"endTimeUnixNano": 1700000000123456789,"attributes":[{"key":"i","value":{"intValue":-9223372036854775807}}]}]}]}]}`;
    const span = decodeOtlpJson(text).spans[0]!;
    expect(span.startTimeUnixNano).toBe('18446744073709551615');
    expect(span.endTimeUnixNano).toBe('1700000000123456789');
    expect(span.attributes[0]!.value).toEqual({ intValue: '-9223372036854775807' });
  });

  it('also accepts base64 ids (plain proto3 JSON encoders write bytes that way)', () => {
    const traceB64 = Buffer.from(TRACE, 'hex').toString('base64');
    const spanB64 = Buffer.from(SPAN, 'hex').toString('base64');
    const { spans } = decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: traceB64, spanId: spanB64, name: 'b64' }] }] }] });
    expect(spans[0]).toMatchObject({ traceId: TRACE.toLowerCase(), spanId: SPAN.toLowerCase() });
  });

  it('accepts the body as UTF-8 bytes too', () => {
    const spans = sampleSpans();
    const bytes = new TextEncoder().encode(JSON.stringify(encodeOtlpJson(spans)));
    expect(decodeOtlpJson(bytes).spans).toEqual(spans);
  });

  it('groups spans by resource and scope object identity when encoding', () => {
    const [root, child, other] = sampleSpans();
    const request = encodeOtlpJson([root!, other!, child!]) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    expect(request.resourceSpans).toHaveLength(2);
    expect(request.resourceSpans[0]!.scopeSpans.map((s) => s.spans.length)).toEqual([1, 1]);
    expect(request.resourceSpans[1]!.scopeSpans.map((s) => s.spans.length)).toEqual([1]);
  });

  it('decodes an empty request and empty resource spans', () => {
    expect(decodeOtlpJson('{}')).toEqual({ spans: [], rejectedSpans: 0 });
    expect(decodeOtlpJson({ resourceSpans: [{}] })).toEqual({ spans: [], rejectedSpans: 0 });
  });

  it('rejects spans with invalid ids, counting them, and keeps the rest', () => {
    const result = decodeOtlpJson({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { name: 'a', traceId: '0'.repeat(32), spanId: SPAN },
                { name: 'b', traceId: TRACE, spanId: 'xyz' },
                { name: 'c', traceId: TRACE, spanId: SPAN },
              ],
            },
          ],
        },
      ],
    });
    expect(result.spans.map((s) => s.name)).toEqual(['c']);
    expect(result.rejectedSpans).toBe(2);
    expect(result.errorMessage).toBe("2 spans rejected: span 'a' has an all-zero trace id; span 'b' has a span id that is not hex");
  });

  it('says a 32-character trace id that is not hex is not hex (not the byte count of its base64 reading)', () => {
    const spans = [
      { name: 'z', traceId: 'z'.repeat(32), spanId: SPAN },
      { name: 'q', traceId: TRACE, spanId: 'q'.repeat(16) },
    ];
    const result = decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
    expect(result.rejectedSpans).toBe(2);
    expect(result.errorMessage).toBe(
      `2 spans rejected: span 'z' has a trace id "${'z'.repeat(32)}" that is not hex (32 digits 0-9, a-f) nor base64 of 16 bytes; ` +
        `span 'q' has a span id "${'q'.repeat(16)}" that is not hex (16 digits 0-9, a-f) nor base64 of 8 bytes`,
    );
  });

  it('says where the shape is wrong', () => {
    expect(jsonFailure('not json').message).toMatch(/not JSON/);
    expect(jsonFailure('[1]').message).toContain('expected an object with "resourceSpans", found an array');
    expect(jsonFailure({ resourceSpans: {} }).message).toContain('expected an array, found an object at resourceSpans');
    const bad = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, startTimeUnixNano: 'soon' }] }] }] };
    const error = jsonFailure(bad);
    expect(error.problem.path).toBe('resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano');
    expect(jsonFailure({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, kind: 'SPAN_KIND_WEIRD' }] }] }] }).message).toContain(
      'expected a span kind',
    );
  });
});

describe('decodeOtlpJson: fast paths agree with the general decoder', () => {
  const one = (span: object, attributes: object[]): unknown =>
    decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'op', ...span, attributes }] }] }] }).spans[0];

  it('canonicalises ids and values the fast paths must leave to it', () => {
    const span = one({ traceId: TRACE, spanId: SPAN, parentSpanId: '0000000000000000' }, [
      { key: 'lead0', value: { intValue: '007' } },
      { key: 'big', value: { intValue: '9223372036854775807' } },
      { key: 'num', value: { intValue: 12 } },
      { key: 'neg0', value: { intValue: '-0' } },
      { key: 'snake', value: { stringValue: null, string_value: 's' } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'bool', value: { boolValue: false } },
    ]) as { traceId: string; spanId: string; parentSpanId?: string; attributes: Array<{ key: string; value: object }> };
    expect([span.traceId, span.spanId, span.parentSpanId]).toEqual([TRACE.toLowerCase(), SPAN.toLowerCase(), undefined]);
    expect(Object.fromEntries(span.attributes.map((kv) => [kv.key, kv.value]))).toEqual({
      lead0: { intValue: '7' },
      big: { intValue: '9223372036854775807' },
      num: { intValue: '12' },
      neg0: { intValue: '0' },
      snake: { stringValue: 's' },
      nan: { doubleValue: NaN },
      bool: { boolValue: false },
    });
  });

  it('still rejects bad values and all-zero ids in canonical form', () => {
    expect(() => one({ traceId: TRACE, spanId: SPAN }, [{ key: 'x', value: { intValue: '1.5' } }])).toThrow(/attributes\[0\]\.value\.intValue/);
    const zero = decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'z', traceId: '0'.repeat(32), spanId: 'b7ad6b7169203331' }] }] }] });
    expect(zero.rejectedSpans).toBe(1);
  });
});

describe('exportTraceServiceResponseJson', () => {
  it('is empty when nothing was rejected and carries partialSuccess otherwise', () => {
    expect(exportTraceServiceResponseJson()).toEqual({});
    expect(exportTraceServiceResponseJson({ rejectedSpans: 3, errorMessage: 'why' })).toEqual({
      partialSuccess: { rejectedSpans: '3', errorMessage: 'why' },
    });
  });
});

describe('decodeOtlpJson: byte-order marks', () => {
  it('ignores a BOM opening the document, keeps one inside a string', () => {
    const body = JSON.stringify(encodeOtlpJson([{ ...sampleSpans()[0]!, name: '\uFEFFx' }]));
    const fromBytes = decodeOtlpJson(new TextEncoder().encode('\uFEFF' + body));
    expect(fromBytes.spans[0]!.name).toBe('\uFEFFx');
    expect(decodeOtlpJson('\uFEFF' + body).spans[0]!.name).toBe('\uFEFFx');
  });
});
