// The run history names the engine of each execution when the run spread its tests over a pool, and
// says nothing of engines for a run on one engine (its executions carry none).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RunHistory } from './RunHistory';
import type { RunHistoryEntry } from './store.tests';

const evidence = (engine?: string) => ({ steps: [], containers: [], expectations: [], problems: [], traceHash: '', spanCount: 3, ...(engine !== undefined ? { engine } : {}) });
const execution = (id: string, testName: string, engine?: string) => ({
  id,
  runId: 'run1',
  testFile: '/t/a.clnrm.toml',
  testFileHash: '',
  testName,
  scenario: 'main',
  iteration: 1,
  startedAt: 0,
  endedAt: 10,
  verdict: 'passed' as const,
  failedExpectations: 0,
  failedSteps: 0,
  evidence: evidence(engine),
});
const entry = (executions: RunHistoryEntry['executions']): RunHistoryEntry => ({
  run: { id: 'run1', origin: 'cli', startedAt: 0, endedAt: 10, environment: { host: 'h', platform: 'p', engine: 'e', clnrmVersion: '1', ci: false }, files: ['/t/a.clnrm.toml'], verdict: 'passed', passed: 2, failed: 0, errors: 0, skipped: 0 },
  executions,
});
const render = (e: RunHistoryEntry) => renderToStaticMarkup(<RunHistory entries={[e]} onShowTraces={() => undefined} selectedRunId={null} onSelect={() => undefined} />);

describe('run history engines', () => {
  it('shows the engine each execution ran on, for a pool run', () => {
    const html = render(entry([execution('aaaaaaaaaaaa', 'one', 'unix:///var/run/docker.sock'), execution('bbbbbbbbbbbb', 'two', 'tcp://127.0.0.1:23770')]));
    expect(html).toContain('on unix:///var/run/docker.sock');
    expect(html).toContain('on tcp://127.0.0.1:23770');
  });

  it('names no engine for a run on one engine', () => {
    expect(render(entry([execution('aaaaaaaaaaaa', 'one')]))).not.toMatch(/ on (unix|tcp):/);
  });
});
