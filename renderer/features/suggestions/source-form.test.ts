// The traces source from the "Learn from" form: the open trace first, typed ids split and lower-cased, each once.
import { describe, expect, it } from 'vitest';
import { tracesSource, typedTraceIds } from './source-form';

const A = 'ab'.repeat(16);
const B = '0c'.repeat(16);

describe('the Learn from form', () => {
  it('splits typed ids on spaces, commas and new lines, lower-cased', () => {
    expect(typedTraceIds(` ${A.toUpperCase()},${B}\n\n`)).toEqual([A, B]);
    expect(typedTraceIds('  ')).toEqual([]);
  });

  it('puts the open trace first when ticked, and names each trace once', () => {
    expect(tracesSource(A, true, `${B} ${A}`)).toEqual({ kind: 'traces', traceIds: [A, B] });
    expect(tracesSource(A, false, B)).toEqual({ kind: 'traces', traceIds: [B] });
    expect(tracesSource(undefined, true, '')).toEqual({ kind: 'traces', traceIds: [] });
  });
});
