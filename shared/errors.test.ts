import { describe, expect, it } from 'vitest';
import { formatLocation, formatProblem, StudioError, toProblem } from './errors';

describe('errors', () => {
  it('keeps the problem of a StudioError, also one from another bundle', () => {
    const own = new StudioError({ code: 'io.read', message: 'cannot read x', file: 'x' });
    expect(toProblem(own)).toEqual({ code: 'io.read', message: 'cannot read x', file: 'x' });
    const foreign = Object.assign(new Error('cannot read y'), { problem: { code: 'io.read', message: 'cannot read y' } });
    expect(toProblem(foreign).code).toBe('io.read');
  });
  it('calls anything else internal', () => {
    expect(toProblem(new Error('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toProblem({ problem: { code: 3 } })).toEqual({ code: 'internal', message: '[object Object]' });
    expect(toProblem('text')).toEqual({ code: 'internal', message: 'text' });
  });
  it('formats locations like a compiler', () => {
    expect(formatLocation({ file: 'a.toml', line: 3, column: 7 })).toBe('a.toml:3:7');
    expect(formatLocation({ line: 3 })).toBe('3');
    expect(formatProblem({ code: 'toml.syntax', message: 'bad', file: 'a.toml', line: 1, column: 2 })).toBe('a.toml:1:2: bad [toml.syntax]');
  });
});
