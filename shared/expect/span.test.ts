import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { clnrmTrace } from './test-trace';
import { sid, spans } from './testing';

const run = (span: unknown[]) => evaluateExpectations(clnrmTrace(), { expect: { span } as never });

describe('expect.span', () => {
  it('passes when one span meets every constraint and lists it as evidence', () => {
    const [r] = run([
      {
        name: 'clnrm.step:hello_world',
        kind: 'internal',
        parent: 'clnrm.run',
        attrs: { all: { result: 'pass', 'http.status_code': '200' }, any: ['result=fail', 'result=pass'] },
        events: { any: ['container.exec'], all: ['container.start', 'container.stop'] },
        duration_ms: { min: 30, max: 50 },
        status: 'OK',
      },
    ]);
    expect(r).toMatchObject({ expectation: 'expect.span[0]', kind: 'span', passed: true, spans: [sid('step')] });
  });

  it('matches names as globs when they contain *', () => {
    const [r] = run([{ name: 'clnrm.*', parent: 'clnrm.run', count: { eq: 3 } }]);
    expect(r!.passed).toBe(true);
    expect(r!.spans.sort()).toEqual([sid('reg'), sid('step'), sid('clean')].sort());
  });

  it('reports the nearest same-name candidate and what it fails', () => {
    const [r] = run([{ name: 'clnrm.step:hello_world', kind: 'server', attrs: { all: { result: 'fail' } } }]);
    expect(r!.passed).toBe(false);
    expect(r!.message).toContain('kind = "server" (kind is "internal")');
    expect(r!.message).toContain('attrs.all result="fail" (result="pass")');
    expect(r!.spans).toEqual([sid('step')]);
  });

  it('suggests close names when no span has the name', () => {
    const [r] = run([{ name: 'clnrm.step:helo_world' }]);
    expect(r!.passed).toBe(false);
    expect(r!.message).toContain('Did you mean "clnrm.step:hello_world"');
  });

  it('fails duration and parent constraints with actual values', () => {
    const [r] = run([{ name: 'container.exec', parent: 'clnrm.run', duration_ms: { max: 10 } }]);
    expect(r!.passed).toBe(false);
    expect(r!.message).toContain('parent is "clnrm.step:hello_world"');
    expect(r!.message).toContain('duration is 28 ms');
  });

  it('count = { eq = 0 } passes only when nothing matches', () => {
    expect(run([{ name: 'clnrm.step:step_4', count: { eq: 0 } }])[0]!.passed).toBe(true);
    expect(run([{ name: 'clnrm.cleanup', count: { eq: 0 } }])[0]!.passed).toBe(false);
  });

  it('attrs.any accepts key = [alternatives]', () => {
    const [r] = run([{ name: 'clnrm.step:hello_world', attrs: { any: { result: ['skip', 'pass'] } } }]);
    expect(r!.passed).toBe(true);
  });

  it('compares attribute values as text across types', () => {
    const s = spans([{ id: 'a', name: 'x', attrs: { ok: true, ratio: 0.5 } }]);
    const r = evaluateExpectations(s, { expect: { span: [{ name: 'x', attrs: { all: { ok: 'true', ratio: 0.5 } } }] } });
    expect(r[0]!.passed).toBe(true);
  });

  it('attribute conditions: exists, numeric bounds, contains, lists against array attributes', () => {
    const s = spans([
      { id: 'a', name: 'chaos', attrs: { 'cascade.depth': 3, 'failure.rate': '0.4', note: 'network timeout' } },
    ]);
    (s[0]!.attributes as unknown[]).push({ key: 'chaos.types', value: { arrayValue: { values: [{ stringValue: 'network' }, { stringValue: 'cpu' }, { stringValue: 'memory' }] } } });
    const check = (all: Record<string, unknown>) =>
      evaluateExpectations(s, { expect: { span: [{ name: 'chaos', attrs: { all } }] } as never })[0]!;
    expect(check({ 'cascade.depth': { gte: 2 }, 'failure.rate': { lt: 0.5 }, note: { contains: 'timeout' }, missing: { exists: false } }).passed).toBe(true);
    expect(check({ 'chaos.types': ['network', 'memory'] }).passed).toBe(true);
    expect(check({ 'chaos.types': ['network', 'disk'] }).passed).toBe(false);
    const r = check({ 'cascade.depth': { gt: 3 } });
    expect(r.passed).toBe(false);
    expect(r.message).toContain('attrs.all cascade.depth {gt 3} (cascade.depth="3")');
    expect(check({ note: { exists: true }, 'cascade.depth': ['1', '3'] }).passed).toBe(true);
  });
});
