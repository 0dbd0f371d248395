import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { formatTraceFile, parseTraceFile } from './index';
import { spansArb } from './fixtures/arbitraries';
import { sampleSpans } from './fixtures/sample-spans';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function fileFailure(text: string, fileName?: string): StudioError {
  try {
    parseTraceFile(text, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    return error as StudioError;
  }
  throw new Error('expected the file to be refused');
}

describe('parseTraceFile', () => {
  it('reads OTLP JSON and writes it back', () => {
    const spans = sampleSpans();
    const text = formatTraceFile(spans, 'otlp-json');
    expect(parseTraceFile(text, 'x.json')).toEqual({ format: 'otlp-json', spans, warnings: [] });
  });

  it('reads the Collector file exporter JSON Lines, with rejected spans as a warning naming the line', () => {
    const result = parseTraceFile(fixture('collector-export.jsonl'), 'traces.jsonl');
    expect(result.format).toBe('otlp-jsonl');
    expect(result.spans.map((s) => [s.serviceName, s.name, s.kind, s.traceId])).toEqual([
      ['cart', 'GET /cart', 'server', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['payments', 'Charge', 'client', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ]);
    expect(result.spans[1]!.status).toEqual({ code: 'error', message: 'card declined' });
    expect(result.spans[1]!.parentSpanId).toBe('00f067aa0ba902b7');
    expect(result.warnings).toEqual([
      { code: 'trace.invalid', message: "1 span rejected: span 'broken' has an all-zero trace id", file: 'traces.jsonl', line: 3 },
    ]);
  });

  it('sniffs JSON Lines from content whatever the extension says', () => {
    expect(parseTraceFile(fixture('collector-export.jsonl'), 'export.json').format).toBe('otlp-jsonl');
    expect(parseTraceFile(formatTraceFile(sampleSpans(), 'otlp-jsonl'), 'a.txt').format).toBe('otlp-jsonl');
  });

  it('round-trips random spans through OTLP JSON Lines text', () => {
    fc.assert(
      fc.property(spansArb({ textSafe: true }), (spans) => {
        const text = formatTraceFile(spans, 'otlp-jsonl');
        if (spans.length === 0) return;
        expect(parseTraceFile(text, 'r.jsonl').spans).toEqual(spans);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a Jaeger export: references, kind, status, process → resource, logs → events', () => {
    const { format, spans, warnings } = parseTraceFile(fixture('jaeger-export.json'), 'jaeger.json');
    expect(format).toBe('jaeger-json');
    expect(warnings).toEqual([]);
    const [root, child] = spans;
    expect(root).toMatchObject({
      traceId: '5b8aa5a2d2c872e8321cf37308d69df2',
      spanId: '051581bf3cb55c13',
      name: 'HTTP GET /dispatch',
      kind: 'server',
      status: { code: 'ok' },
      startTimeUnixNano: '1700000000000123000',
      endTimeUnixNano: '1700000000002623000',
      serviceName: 'frontend',
      scope: { name: 'frontend-http' },
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }, { key: 'hostname', value: { stringValue: 'web-1' } }] },
    });
    expect(root!.attributes).toEqual([
      { key: 'http.status_code', value: { intValue: '200' } },
      { key: 'sampler.param', value: { boolValue: true } },
      { key: 'load', value: { doubleValue: 0.75 } },
      { key: 'blob', value: { bytesValue: 'AAEC' } },
    ]);
    expect(root!.events).toEqual([{ name: 'cache miss', timeUnixNano: '1700000000000500000', attributes: [{ key: 'key', value: { stringValue: 'user:1' } }] }]);
    expect(child).toMatchObject({ parentSpanId: '051581bf3cb55c13', kind: 'client', status: { code: 'error', message: 'deadlock' }, serviceName: 'mysql', flags: 1, attributes: [] });
    expect(child!.links).toEqual([
      { traceId: '00000000000000000000000000000abc', spanId: '00000000000000ff', attributes: [{ key: 'jaeger.ref_type', value: { stringValue: 'FOLLOWS_FROM' } }] },
    ]);
  });

  it('reads clnrm stdout NDJSON in both spellings, skipping and counting program output', () => {
    const { format, spans, warnings } = parseTraceFile(fixture('clnrm-stdout.ndjson'), 'run.log');
    expect(format).toBe('clnrm-ndjson');
    expect(spans.map((s) => s.name)).toEqual(['clnrm.run', 'clnrm.step', 'validator.span']);
    const [run, step, validator] = spans;
    expect(run).toMatchObject({
      traceId: '0123456789abcdef0000000000000000',
      kind: 'internal',
      startTimeUnixNano: '1700000000123456789',
      endTimeUnixNano: '1700000000923456789',
      scope: { name: 'clnrm', version: '1.0.0' },
      status: { code: 'unset' },
    });
    expect(run!.parentSpanId).toBeUndefined();
    expect(run!.attributes).toEqual([
      { key: 'clnrm.version', value: { stringValue: '1.0.0' } },
      { key: 'test.count', value: { intValue: '2' } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      { key: 'ok', value: { boolValue: true } },
    ]);
    expect(run!.events).toEqual([{ name: 'step.start', timeUnixNano: '1700000000200000000', attributes: [{ key: 'step', value: { stringValue: 'echo' } }] }]);
    expect(step).toMatchObject({ parentSpanId: 'abcdef0123456789', kind: 'client', status: { code: 'error', message: 'exit code 1' } });
    expect(step!.scope).toBe(run!.scope);
    expect(validator).toMatchObject({ kind: 'server', serviceName: 'api', startTimeUnixNano: '1700000000000000001', endTimeUnixNano: '1700000000000000999' });
    expect(validator!.events.map((e) => e.name)).toEqual(['ready', 'done']);
    expect(warnings).toEqual([
      { code: 'trace.invalid', message: '4 lines were not span JSON and were skipped (program output), first at line 1.', file: 'run.log', line: 1 },
    ]);
  });

  it('takes a clnrm error status description from Rust\'s Debug form when the message is empty', () => {
    const line = '{"name":"s","traceId":"1","spanId":"2","status":{"code":"Error { description: \\"exit \\\\\\"1\\\\\\"\\" }","message":""}}';
    const { spans } = parseTraceFile(line + '\n', 'run.log');
    expect(spans[0]!.status).toEqual({ code: 'error', message: 'exit "1"' });
  });

  it('says which formats are accepted when it cannot tell', () => {
    const error = fileFailure('hello\nworld\n', 'notes.txt');
    expect(error.code).toBe('trace.format');
    expect(error.message).toContain('Accepted formats: OTLP JSON');
    expect(error.problem.file).toBe('notes.txt');
    expect(fileFailure('{"foo": 1}').code).toBe('trace.format');
  });

  it('points at the line, column and JSON path of bad input', () => {
    const empty = fileFailure('  \n', 'e.json');
    expect([empty.code, empty.message]).toEqual(['trace.invalid', 'The trace file is empty.']);

    const syntax = fileFailure('{\n  "resourceSpans": [\n    {,\n  ]\n}', 'broken.json');
    expect(syntax.code).toBe('trace.invalid');
    expect(syntax.message).toContain('not valid JSON');

    const good = '{"resourceSpans":[]}';
    const badLine = fileFailure(`${good}\n${good}\n{"resourceSpans": [oops\n`, 'x.jsonl');
    expect(badLine.problem).toMatchObject({ code: 'trace.invalid', file: 'x.jsonl', line: 3 });

    const shape = fileFailure('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","kind":[]}]}]}]}', 'k.json');
    expect(shape.problem).toMatchObject({ code: 'trace.invalid', file: 'k.json', path: 'resourceSpans[0].scopeSpans[0].spans[0].kind' });

    const clnrm = fileFailure('log line\n{"name":"a","trace_id":"xyz","span_id":"01"}\n', 'c.ndjson');
    expect(clnrm.problem).toMatchObject({ code: 'trace.invalid', file: 'c.ndjson', line: 2, path: 'traceId' });

    const jaeger = fileFailure('{"data":[{"spans":[{"traceID":"abc","spanID":"01","startTime":"yesterday"}]}]}', 'j.json');
    expect(jaeger.problem).toMatchObject({ code: 'trace.invalid', path: 'data[0].spans[0].startTime' });
  });

  it('never fails with anything but a StudioError on arbitrary or mangled input', () => {
    const clean = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (!(error instanceof StudioError) || !['trace.format', 'trace.invalid'].includes(error.code)) throw error;
      }
    };
    const jaeger = fixture('jaeger-export.json');
    const clnrm = fixture('clnrm-stdout.ndjson');
    const jsonl = fixture('collector-export.jsonl');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => clean(() => parseTraceFile(text, 'f.txt'))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        clean(() => parseTraceFile(JSON.stringify({ data: [value] })));
        clean(() => parseTraceFile(JSON.stringify({ data: [{ spans: [value], processes: {} }] })));
        clean(() => parseTraceFile(JSON.stringify({ name: 'x', trace_id: 'ab', span_id: 'cd', kind: value, events: value, attributes: value })));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.constantFrom(jaeger, clnrm, jsonl), fc.nat(), fc.string({ maxLength: 4 }), (text, at, insert) => {
        const i = at % text.length;
        clean(() => parseTraceFile(text.slice(0, i) + insert + text.slice(i + 1)));
      }),
      { numRuns: 1500 },
    );
  });
});
