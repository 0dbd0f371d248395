// The conditional forms (our extension, SEMANTICS.md "Conditional rules"): `when_present` on
// [[expect.span]] and `must_precede_when_present` on [expect.order] pass when the span they are about
// is absent, and judge exactly as the plain forms when it is present.
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { parseTestFile } from '../spec';
import { sid, spans } from './testing';

const hit = () =>
  spans([
    { id: 'req', name: 'GET /item', startMs: 0, endMs: 10, kind: 'server' },
    { id: 'c', name: 'cache.get', parent: 'req', startMs: 1, endMs: 2, kind: 'client' },
  ]);
const miss = () => [...hit(), ...spans([{ id: 'q', name: 'db.query', parent: 'req', startMs: 3, endMs: 8, kind: 'client', attrs: { 'db.system': 'postgresql' } }])];
const swapped = () =>
  spans([
    { id: 'req', name: 'GET /item', startMs: 0, endMs: 10, kind: 'server' },
    { id: 'q', name: 'db.query', parent: 'req', startMs: 1, endMs: 2, kind: 'client' },
    { id: 'c', name: 'cache.get', parent: 'req', startMs: 3, endMs: 8, kind: 'client' },
  ]);

describe('must_precede_when_present', () => {
  const order = { must_precede_when_present: [['cache.get', 'db.query']] as [string, string][] };
  it('passes when the second span is absent, where must_precede fails', () => {
    const [conditional] = evaluateExpectations(hit(), { expect: { order } });
    expect(conditional).toMatchObject({ expectation: 'expect.order.must_precede_when_present[0]', passed: true });
    expect(conditional!.message).toContain('no span named "db.query"');
    const [plain] = evaluateExpectations(hit(), { expect: { order: { must_precede: [['cache.get', 'db.query']] } } });
    expect(plain!.passed).toBe(false);
  });
  it('judges the order when the second span is present', () => {
    expect(evaluateExpectations(miss(), { expect: { order } })[0]!.passed).toBe(true);
    const [late] = evaluateExpectations(swapped(), { expect: { order } });
    expect(late!.passed).toBe(false);
    expect(late!.spans).toContain(sid('q'));
  });
  it('fails when the second is present but the first is not', () => {
    const noCache = miss().filter((s) => s.name !== 'cache.get');
    expect(evaluateExpectations(noCache, { expect: { order } })[0]!.passed).toBe(false);
  });
});

describe('must_precede_when_both_present', () => {
  const order = { must_precede_when_both_present: [['db.query', 'template.render']] as [string, string][] };
  const render = (startMs: number) => spans([{ id: 'r', name: 'template.render', parent: 'req', startMs, endMs: startMs + 1 }]);
  it('passes when either span is absent', () => {
    const [r] = evaluateExpectations([...hit(), ...render(3)], { expect: { order } });
    expect(r).toMatchObject({ expectation: 'expect.order.must_precede_when_both_present[0]', passed: true, spans: [] });
    expect(r!.message).toContain('only when both are present');
    expect(evaluateExpectations(miss(), { expect: { order } })[0]!.passed).toBe(true);
  });
  it('judges the order when both are present', () => {
    expect(evaluateExpectations([...miss(), ...render(8)], { expect: { order } })[0]!.passed).toBe(true);
    const [late] = evaluateExpectations([...miss(), ...render(3)], { expect: { order } });
    expect(late!.passed).toBe(false);
    expect(late!.spans).toContain(sid('r'));
  });
});

describe('[[expect.span]] when_present', () => {
  const rule = { name: 'db.query', kind: 'client', parent: 'GET /item', attrs: { all: { 'db.system': 'postgresql' } }, when_present: true };
  it('passes when no span has the name', () => {
    const [r] = evaluateExpectations(hit(), { expect: { span: [rule] } });
    expect(r).toMatchObject({ passed: true, spans: [] });
    expect(r!.message).toContain('when_present');
  });
  it('judges every constraint when the span is there', () => {
    expect(evaluateExpectations(miss(), { expect: { span: [rule] } })[0]!.passed).toBe(true);
    const changed = miss().map((s) => (s.name === 'db.query' ? { ...s, attributes: [{ key: 'db.system', value: { stringValue: 'mysql' } }] } : s));
    expect(evaluateExpectations(changed, { expect: { span: [rule] } })[0]!.passed).toBe(false);
  });
  it('without it, an absent span fails as before', () => {
    expect(evaluateExpectations(hit(), { expect: { span: [{ ...rule, when_present: false }] } })[0]!.passed).toBe(false);
  });
});

describe('the schema accepts both keys and rejects wrong types', () => {
  const file = (body: string) => `[meta]\nname = "t"\n\n[[scenario]]\nname = "s"\nrun = "true"\n\n${body}`;
  it('accepts them', () => {
    const r = parseTestFile(file('[[expect.span]]\nname = "db.query"\nwhen_present = true\n\n[expect.order]\nmust_precede_when_present = [["cache.get", "db.query"]]\nmust_precede_when_both_present = [["db.query", "x"]]\n'));
    expect(r.errors).toEqual([]);
    expect(r.warnings.filter((w) => w.code === 'toml.unknown-key')).toEqual([]);
    expect(r.tests[0]!.expect?.order?.must_precede_when_present).toEqual([['cache.get', 'db.query']]);
    expect(r.tests[0]!.expect?.order?.must_precede_when_both_present).toEqual([['db.query', 'x']]);
  });
  it('rejects a non-boolean when_present and a malformed pair', () => {
    expect(parseTestFile(file('[[expect.span]]\nname = "x"\nwhen_present = "yes"\n')).errors[0]!.message).toContain('when_present must be true or false');
    expect(parseTestFile(file('[expect.order]\nmust_precede_when_present = [["a"]]\n')).errors.length).toBeGreaterThan(0);
  });
});
