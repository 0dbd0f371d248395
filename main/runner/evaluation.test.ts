// Which spans a test's expectations are evaluated over (no Docker needed).
import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import { SELF_TEST_SOURCE } from './self-test';
import { expectsRunnerSpans } from './evaluation';

const parse = (source: string) => {
  const parsed = parseTestFile(source);
  expect(parsed.errors).toEqual([]);
  return parsed.tests[0]!;
};

describe('expectsRunnerSpans', () => {
  it('is true when an expectation names a runner span, false for system-only expectations', () => {
    expect(expectsRunnerSpans(parse(SELF_TEST_SOURCE))).toBe(true);
    const base = '[meta]\nname = "t"\n[[steps]]\nname = "s"\ncommand = ["true"]\n';
    expect(expectsRunnerSpans(parse(`${base}[[expect.span]]\nname = "clnrm.run"\n`))).toBe(true);
    expect(expectsRunnerSpans(parse(`${base}[expect.order]\nmust_precede = [["clnrm.step:a", "clnrm.step:b"]]\n`))).toBe(true);
    expect(expectsRunnerSpans(parse(`${base}[[expect.span]]\nname = "GET /items"\nattrs.all = { "clnrm.service" = "x" }\n`))).toBe(false);
    expect(expectsRunnerSpans(parse(`${base}[expect.counts]\nspans_total = { eq = 3 }\n`))).toBe(false);
  });
});
