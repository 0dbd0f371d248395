import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { parseTraceFile } from './trace-file';
import { TraceLinesStream } from './trace-file-lines';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function streamLines(text: string, size: number, file = 'f.jsonl') {
  const stream = new TraceLinesStream({ file });
  const spans = [];
  for (let i = 0; i < text.length; i += size) spans.push(...stream.push(text.slice(i, i + size)));
  const last = stream.end();
  return { format: stream.format, spans: [...spans, ...last.spans], warnings: last.warnings };
}

describe('TraceLinesStream', () => {
  it('reads the line formats as parseTraceFile does, whatever the chunk size', () => {
    for (const name of ['collector-export.jsonl', 'clnrm-stdout.ndjson']) {
      const text = fixture(name);
      const whole = parseTraceFile(text, name);
      for (const size of [1, 5, 100, text.length]) {
        expect(streamLines(text, size, name), `${name} in chunks of ${size}`).toEqual(whole);
      }
    }
  });

  it('names the file and line of a bad line', () => {
    const good = fixture('collector-export.jsonl').split('\n')[0]!;
    try {
      streamLines(`${good}\n${good}\n{"resourceSpans": [ {\n`, 7, 'cut.jsonl');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).problem).toMatchObject({ code: 'trace.invalid', file: 'cut.jsonl', line: 3 });
    }
    expect(() => streamLines('hello\nworld\n', 3)).toThrow(/Unrecognised trace file/);
  });
});
