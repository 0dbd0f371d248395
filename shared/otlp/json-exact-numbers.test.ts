// Text is parsed plainly first and again exactly only when a long bare integer shows up: the
// result (or the error) must be the one the exact parse alone gives, whatever the numbers look like.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson } from './index';
import { parseJsonExact } from './json-read';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

/** What decodeOtlpJson gives for the exactly parsed text: the spans, or the error message. */
function outcome(run: () => ReturnType<typeof decodeOtlpJson>): unknown {
  try {
    const r = run();
    return { spans: r.spans, rejected: r.rejectedSpans };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function request(start: string, end: string, eventTime: string, intValue: string, resourceInt: string): string {
  return (
    `{"resourceSpans":[{"resource":{"attributes":[{"key":"r","value":{"intValue":${resourceInt}}}]},"scopeSpans":[{"spans":[` +
    `{"traceId":"${TRACE}","spanId":"${SPAN}","name":"n","startTimeUnixNano":${start},"end_time_unix_nano": ${end},` +
    `"events":[{"name":"e","timeUnixNano":${eventTime}}],"attributes":[{"key":"i","value":{"int_value" :${intValue}}}]}]}]}]}`
  );
}

// Numbers as senders write them, and as the quoting pass alone would accept them.
const number = fc.oneof(
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }).map(String),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('1000000000000000', '-1000000000000000', '9007199254740993', '0000000000000001234', '-0000000000000000001', '1.7e18', '12345678901234567.5', '1e15'),
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map((n) => `"${n}"`),
);

describe('decodeOtlpJson on text: long bare integers', () => {
  it('gives what decoding the exactly parsed text gives, spans or error', () => {
    fc.assert(
      fc.property(number, number, number, number, number, (a, b, c, d, e) => {
        const text = request(a, b, c, d, e);
        let exact: unknown;
        try {
          exact = parseJsonExact(text);
        } catch {
          return; // not JSON even quoted: the body error, covered below
        }
        expect(outcome(() => decodeOtlpJson(text))).toEqual(outcome(() => decodeOtlpJson(exact)));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a 19-digit bare timestamp exact and reports a negative one as the exact parse does', () => {
    const text = request('1700000000123456789', '-1700000000123456789', '1', '1', '1');
    expect(outcome(() => decodeOtlpJson(text))).toEqual(outcome(() => decodeOtlpJson(parseJsonExact(text))));
    expect(outcome(() => decodeOtlpJson(text))).toMatchObject({ error: expect.stringContaining('the string "-1700000000123456789"') });
  });

  it('reads leading zeros the quoting makes valid, and reports text that is not JSON', () => {
    const span = decodeOtlpJson(request('0000000000000001234', '1', '1', '1', '1')).spans[0]!;
    expect(span.startTimeUnixNano).toBe('1234');
    expect(() => decodeOtlpJson(request('01', '1', '1', '1', '1'))).toThrow(/the body is not JSON/);
  });
});
