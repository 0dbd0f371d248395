// Which form declared a scenario's chaos, as its fault windows record it: the repository's chaos examples
// (a file's `[chaos.experiment]`, a scenario's `chaos_injection`, `[[scenario.phase]]`) planned without Docker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import { planFor } from './scenario-chaos';

const example = (name: string) => {
  const file = join(import.meta.dirname, '..', '..', 'examples', 'chaos', `${name}.clnrm.toml`);
  const { tests, errors } = parseTestFile(readFileSync(file, 'utf8'), { file });
  expect(errors).toEqual([]);
  return tests[0]!;
};

describe('planFor', () => {
  it.each([
    ['db-paused-cache-serves', 'experiment', 'chaos.experiment'],
    ['clnrm-injection-db-paused', 'scenario', undefined],
    ['phases-db-paused', 'phase', 'scenario[0].phase'],
  ])('%s is a %s fault source', (name, source, summaryPath) => {
    const test = example(name);
    const planned = planFor(test, test.scenarios[0]);
    expect(planned).toMatchObject({ source });
    expect(planned?.summaryPath).toBe(summaryPath);
    expect(planned!.plan.injections.map((i) => i.service)).toContain('db');
  });
});
