import { describe, expect, it } from 'vitest';
import { summariseImport } from './import-summary';

const file = (spanCount: number, duplicates: number, traceIds: string[]) => ({ file: 'a.json', format: 'otlp-json', spanCount, duplicates, traceIds, warnings: [] });

describe('summariseImport', () => {
  it('says how many spans were new and how many the store already held', () => {
    expect(summariseImport({ imported: [file(0, 7, ['t1'])], problems: [] })).toEqual({ message: 'Imported 0 new, 7 already stored (1 trace)', lines: [], failed: false });
    expect(summariseImport({ imported: [file(3, 1, ['t1', 't2']), file(2, 0, ['t2'])], problems: [] }).message).toBe('Imported 5 new, 1 already stored (2 traces)');
  });

  it('lists each refused file with where and why, in the banner text itself', () => {
    const summary = summariseImport({
      imported: [file(1, 0, ['t1'])],
      problems: [{ code: 'otlp.decode', message: 'not JSON: expected a value; export OTLP JSON or JSON Lines', file: 'bad.json', line: 3, column: 7 }],
    });
    expect(summary.failed).toBe(true);
    expect(summary.message).toBe('Imported 1 new, 0 already stored (1 trace); 1 file refused');
    expect(summary.lines).toEqual(['bad.json:3:7: not JSON: expected a value; export OTLP JSON or JSON Lines [otlp.decode]']);
    expect(summariseImport({ imported: [], problems: [{ code: 'io.read', message: 'empty', file: 'x.json' }] }).message).toBe('Nothing imported: 1 file refused');
  });
});
