// A stored trace read a page at a time gives what getTrace gives, and its OTLP groups write the same
// document as the whole trace does, however the spans of its resources and scopes interleave.
import { describe, expect, it } from 'vitest';
import { buildSpan, type Span } from '../../shared/model';
import { encodeOtlpJson, prettyJsonArrayLines, prettyOtlpJsonLines } from '../../shared/otlp';
import { importScratch } from './import-scratch';
import { traceGroups, tracePages } from './trace-pages';

const scratch = importScratch('clnrm-trace-pages-');
const TRACE = 'ab'.repeat(16);

/** 60 spans of one trace over three resources and two scopes, taking turns, with starts that tie. */
function interleaved(): Span[] {
  const resources = ['api', 'db', 'cache'].map((name) => ({ attributes: [{ key: 'service.name', value: { stringValue: name } }], ...(name === 'db' ? { schemaUrl: 'https://example.com/db' } : {}) }));
  const scopes = [{ name: 'http' }, { name: 'sql', version: '1.0', schemaUrl: 'https://example.com/sql' }];
  return Array.from({ length: 60 }, (_, i) =>
    buildSpan({
      traceId: TRACE,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `op-${i}`,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(Math.floor(i / 2)) * 1000n),
      endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500n),
      resource: resources[(i * 7) % 3]!,
      scope: scopes[(i * 5) % 2]!,
    }),
  );
}

async function text(lines: AsyncIterable<string>): Promise<string> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all.join('\n');
}

describe('a stored trace read in pages', () => {
  it('gives getTrace\'s spans, in its order, however small the pages', async () => {
    const store = await scratch.memory();
    store.ingest(interleaved());
    await store.commit();
    const whole = await store.getTrace(TRACE);
    for (const pageSpans of [1, 7, 60, 1000]) {
      const pages: Span[][] = [];
      for await (const page of tracePages(store, TRACE, { pageSpans })) pages.push(page);
      expect(pages.flat()).toEqual(whole);
      expect(pages.length).toBe(Math.ceil(60 / pageSpans));
      expect(await text(prettyJsonArrayLines(pages))).toBe(JSON.stringify(whole, null, 2));
    }
  });

  it('groups it as the OTLP document of the whole trace does', async () => {
    const store = await scratch.memory();
    store.ingest(interleaved());
    await store.commit();
    const whole = await store.getTrace(TRACE);
    for (const pageSpans of [1, 4, 1000]) {
      expect(await text(prettyOtlpJsonLines(await traceGroups(store, TRACE, pageSpans)))).toBe(JSON.stringify(encodeOtlpJson(whole), null, 2));
    }
    expect(await traceGroups(store, 'cd'.repeat(16))).toEqual([]);
  });
});
