import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from './evaluate';
import { clnrmTrace } from './test-trace';
import { sid, spans } from './testing';

describe('expect.graph', () => {
  it('finds required edges, rejects forbidden ones, and gives evidence', () => {
    const r = evaluateExpectations(clnrmTrace(), {
      expect: {
        graph: {
          must_include: [['clnrm.run', 'clnrm.step:hello_world'], ['clnrm.run', 'container.exec']],
          must_not_cross: [['clnrm.run', 'container.exec'], ['clnrm.step:hello_world', 'container.exec']],
          acyclic: true,
        },
      },
    });
    expect(r.map((x) => [x.expectation, x.passed])).toEqual([
      ['expect.graph.must_include[0]', true],
      ['expect.graph.must_include[1]', false],
      ['expect.graph.must_not_cross[0]', true],
      ['expect.graph.must_not_cross[1]', false],
      ['expect.graph.acyclic', true],
    ]);
    expect(r[0]!.spans).toEqual([sid('run'), sid('step')]);
    expect(r[1]!.message).toContain('have parents "clnrm.step:hello_world"');
    expect(r[3]!.spans).toEqual([sid('step'), sid('exec')]);
  });

  it('names the missing span with a suggestion', () => {
    const [r] = evaluateExpectations(clnrmTrace(), { expect: { graph: { must_include: [['clnrm.runn', 'clnrm.cleanup']] } } });
    expect(r!.passed).toBe(false);
    expect(r!.message).toContain('no span named "clnrm.runn"');
    expect(r!.message).toContain('Did you mean "clnrm.run"');
  });

  it('detects a parent cycle in malformed data', () => {
    const s = spans([
      { id: 'a', name: 'a', parent: 'b' },
      { id: 'b', name: 'b', parent: 'a' },
      { id: 'c', name: 'c' },
    ]);
    const [r] = evaluateExpectations(s, { expect: { graph: { acyclic: true } } });
    expect(r!.passed).toBe(false);
    expect(r!.spans.sort()).toEqual([sid('a'), sid('b')].sort());
  });
});
